// `cert` declarations: the file is read relative to the declaring module, must stay inside the
// project root, must hold exactly one certificate, and must match its pin and expectations.
#include <algorithm>
#include <cctype>
#include <span>

#include "base/file_read.h"
#include "base/parallel.h"
#include "compiler/limits.h"
#include "compiler/sema/context.h"
#include "compiler/sema/session.h"
#include "runtime/x509/dn.h"

namespace trust::sema {
namespace fs = std::filesystem;
using ast::ItemKind;

namespace {

diag::Kind LoadErrorKind(x509::LoadErrorKind kind) {
  switch (kind) {
    case x509::LoadErrorKind::kPrivateKey:
      return diag::Kind::cert_has_key;
    case x509::LoadErrorKind::kMultiple:
    case x509::LoadErrorKind::kOtherPemBlock:
      return diag::Kind::cert_multiple;
    case x509::LoadErrorKind::kEmpty:
    case x509::LoadErrorKind::kNotCertificate:
      return diag::Kind::cert_invalid;
  }
  return diag::Kind::cert_invalid;
}

// "9F:2C ..." -> "9f2c..."; nullopt unless exactly 64 hex digits remain.
std::optional<std::string> NormalisePin(const std::string& text) {
  std::string hex;
  for (char c : text) {
    if (c == ':' || c == ' ') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (hex.size() != 64) return std::nullopt;
  return hex;
}

}  // namespace

void Context::LoadAllCerts() {
  cert_used.clear();
  std::vector<DeclRef> certs;
  for (size_t m = 0; m < program.modules.size(); ++m) {
    for (size_t d = 0; d < module(m).ast.decls.size(); ++d) {
      if (module(m).ast.decls[d].kind == ast::DeclKind::kCert) certs.push_back({m, d});
    }
  }
  // Sized once: a 100,000-certificate program grown by doubling held up to half again of these
  // lists as slack at the peak.
  out.certs.reserve(certs.size());
  out.cert_files.reserve(certs.size());
  cert_used.reserve(certs.size());
  // In batches, so that the files read ahead are a few hundred at a time, never all held.
  constexpr size_t kBatch = 256;
  for (size_t first = 0; first < certs.size(); first += kBatch) {
    std::span<const DeclRef> batch =
        std::span(certs).subspan(first, std::min(kBatch, certs.size() - first));
    PrefetchCertFiles(batch);
    for (DeclRef ref : batch) {
      std::optional<ir::CertId> id = LoadCert(ref);
      // A second declaration of a name (`duplicate_decl`) cannot be referenced: not "unused".
      const Symbol* symbol = FindSymbol(ref.module, decl(ref).name.name);
      bool shadowed = symbol == nullptr || symbol->is_param || symbol->index != ref.decl;
      if (id && shadowed) cert_used[id->index] = true;
    }
    prefetched_.clear();
  }
}

namespace {

// The `file` string a cert declaration writes itself as plain text (no `${...}`, no template),
// or null: only such files are read ahead, as LoadCert would resolve them without anything
// else of the program.
const ast::Str* LiteralFile(const ast::Decl& decl) {
  const ast::Str* file = nullptr;
  for (const ast::Item& item : decl.items) {
    if (item.kind == ItemKind::kFile && !item.strings.empty()) file = &item.strings[0];
  }
  if (file == nullptr || file->parts.size() != 1 ||
      file->parts[0].kind != ast::StrPart::Kind::kText) {
    return nullptr;
  }
  return file;
}

}  // namespace

void Context::PrefetchCertFiles(std::span<const DeclRef> batch) {
  // A language-server session knows its files already (LoadCertFile asks it first).
  if (options.session != nullptr) return;
  std::vector<PrefetchedCertFile*> files;
  std::vector<std::string> named;
  for (DeclRef ref : batch) {
    const ast::Str* file = module(ref.module).is_stdlib ? nullptr : LiteralFile(decl(ref));
    if (file == nullptr) continue;
    std::string path = (module(ref.module).real_path.parent_path() / file->parts[0].text).native();
    auto [it, added] = prefetched_.try_emplace(path);
    if (!added) continue;
    files.push_back(&it->second);
    named.push_back(path);
  }
  ResolvedDirectories directories;
  for (const std::string& path : named) directories.Add(path);
  cert_cache.ReadyToPrepare();
  base::ForEachIndex(files.size(), base::FileCheckThreads(), [&](size_t i) {
    PrefetchedCertFile& file = *files[i];
    ResolvedDirectories::File resolved = directories.Resolve(named[i]);
    file.real = resolved.real();
    if (!options.allow_outside_root && !InsideRoot(program.project_root, file.real)) return;
    if (options.read_ahead != nullptr) file.bytes = options.read_ahead->Take(file.real.native());
    if (!file.bytes) {
      base::ReadFailure failure;
      file.bytes = resolved.Read(limits::kMaxCertificateBytes, &failure);
      if (!file.bytes) file.error = base::Describe(failure);
    }
    if (file.bytes) file.prepared = cert_cache.Prepare(*file.bytes);
  });
}

std::optional<ir::CertId> Context::CertFor(const ast::Ref& ref, size_t m) {
  auto found = Lookup(ref, m, {ast::DeclKind::kCert}, "certificate");
  if (!found) return std::nullopt;
  auto id = LoadCert(*found);
  if (id) cert_used[id->index] = true;
  return id;
}

namespace {

// Reads and decodes the certificate file at `path`, or takes what `prefetched` read of it;
// `read` gets the SHA-256 and size of its bytes.
std::optional<std::shared_ptr<const x509::Certificate>> ReadCertificate(
    Context& cx, const fs::path& path, const ast::Str& file, const std::string& expanded,
    Context::PrefetchedCertFile* prefetched, ir::CertFileRead* read) {
  std::string error;
  std::optional<std::string> bytes;
  if (prefetched != nullptr) {
    bytes = std::move(prefetched->bytes);
    error = std::move(prefetched->error);
  } else {
    if (cx.options.read_ahead != nullptr) bytes = cx.options.read_ahead->Take(path.native());
    if (!bytes) bytes = base::ReadRegularFile(path, limits::kMaxCertificateBytes, &error);
  }
  // As written, and as expanded when `${...}` made it another path (`-D stage=prod`).
  std::string written = file.parts.empty() ? "" : file.Raw();
  std::string shown = diag::Quote(written);
  if (expanded != written) shown += " (" + diag::Quote(expanded) + ")";
  if (!bytes) {
    bool too_large = error.starts_with("is larger");
    cx.emitter.Emit(too_large ? diag::Kind::limit_exceeded : diag::Kind::cert_unreadable,
                    file.range, "cannot read certificate file " + shown + ": " + error);
    return std::nullopt;
  }
  read->size = bytes->size();
  x509::LoadResult result =
      prefetched != nullptr
          ? cx.cert_cache.Load(*bytes, std::move(prefetched->prepared), &read->sha256)
          : cx.cert_cache.Load(*bytes, &read->sha256);
  if (const auto* failure = std::get_if<x509::LoadError>(&result)) {
    cx.emitter.Emit(LoadErrorKind(failure->kind), file.range,
                    "certificate file " + shown + ": " + failure->message);
    return std::nullopt;
  }
  return std::get<std::shared_ptr<const x509::Certificate>>(result);
}

void CheckPin(Context& cx, const ast::Item& item, const std::string& text, ir::Cert& cert) {
  cert.pin = NormalisePin(text);
  if (!cert.pin) {
    cx.emitter.Emit(diag::Kind::pin_invalid, item.strings[0].range,
                    "`sha256` pin must be 64 hex digits (`:` and spaces are ignored)");
    return;
  }
  if (cert.certificate && *cert.pin != cert.certificate->facts().sha256) {
    cx.emitter.Emit(diag::Kind::pin_mismatch, item.strings[0].range,
                    "certificate file " + diag::Quote(cert.file) + " does not match its pin",
                    {{item.strings[0].range, "pinned:  " + *cert.pin},
                     {{}, "file has: " + cert.certificate->facts().sha256}});
  }
}

void CheckDn(Context& cx, const ast::Item& item, const std::string& expected,
             const x509::DistinguishedName& actual, const std::string& actual_text) {
  bool subject = item.kind == ItemKind::kSubject;
  std::string error;
  std::optional<x509::DistinguishedName> dn = x509::ParseDn(expected, &error);
  if (!dn) {
    cx.emitter.Emit(diag::Kind::dn_invalid, item.strings[0].range,
                    "not a distinguished name: " + error);
    return;
  }
  if (x509::DnEqual(*dn, actual)) return;
  cx.emitter.Emit(
      subject ? diag::Kind::subject_mismatch : diag::Kind::issuer_mismatch, item.strings[0].range,
      std::string("the certificate's ") + (subject ? "subject" : "issuer") +
          " differs from the expected one",
      {{item.strings[0].range, "expected: " + expected}, {{}, "found:    " + actual_text}});
}

}  // namespace

// ir::CertFileRead::named: `named` relative to the project root, "" when that is `real`.
std::string Context::RelativeNamed(const fs::path& named, const fs::path& real) const {
  if (named == real) return "";
  return RelativeToRoot(named, program.project_root);
}

// Resolves `named` (the module's directory joined with the expanded `file` string), keeps it
// inside the project root and reads the certificate into `cert`; with a session, a file
// unchanged since the last check is not resolved or read again.
std::optional<ir::CertFileRead> Context::LoadCertFile(const fs::path& named, const ast::Str& file,
                                                      const std::string& expanded, ir::Cert& cert) {
  std::optional<CheckSession::FileStamp> stamp;
  const CheckSession::CertificateFile* known = nullptr;
  if (options.session != nullptr && (stamp = CheckSession::Stamp(named))) {
    known = options.session->Find(named, *stamp);
  }
  std::optional<PrefetchedCertFile> prefetched;
  if (auto it = prefetched_.find(named.native()); it != prefetched_.end()) {
    prefetched = std::move(it->second);
    prefetched_.erase(it);
  }
  fs::path real = known != nullptr ? known->real : prefetched ? prefetched->real : RealPath(named);
  cert.file = RelativeToRoot(real, program.project_root);
  if (!options.allow_outside_root && !InsideRoot(program.project_root, real)) {
    emitter.Emit(diag::Kind::outside_root, file.range,
                 diag::Quote(expanded) +
                     " is outside the project root; pass --allow-outside-root to allow it");
  } else if (known != nullptr) {
    cert.certificate = known->certificate;
  } else {
    ir::CertFileRead read;
    read.named = RelativeNamed(named, real);
    if (auto certificate = ReadCertificate(*this, real, file, expanded,
                                           prefetched ? &*prefetched : nullptr, &read)) {
      cert.certificate = *certificate;
      if (stamp) options.session->Remember(named, *stamp, {real, *certificate});
      return read;
    }
  }
  return std::nullopt;
}

std::optional<ir::CertId> Context::LoadCert(DeclRef ref) {
  if (cert_ids_.size() <= ref.module) cert_ids_.resize(program.modules.size());
  std::vector<std::optional<ir::CertId>>& ids = cert_ids_[ref.module];
  if (ids.empty()) ids.resize(module(ref.module).ast.decls.size());
  if (ids[ref.decl]) return ids[ref.decl];
  const ast::Decl& d = decl(ref);
  ir::Cert cert;
  cert.name = QualifiedName(ref);
  cert.display_name = d.name.name;
  cert.range = d.name.range;
  cert.from_stdlib = module(ref.module).is_stdlib;
  std::vector<ScopedItem> items = Flatten(std::nullopt, ast::DeclKind::kCert, d.items, ref.module);
  const ScopedItem* file = Last(items, {ItemKind::kFile});
  std::optional<ir::CertFileRead> read;
  if (file == nullptr) {
    emitter.Emit(diag::Kind::missing_item, d.name.range,
                 "certificate " + diag::Quote(d.name.name) + " has no `file`");
  } else if (module(file->module).is_stdlib || module(ref.module).is_stdlib) {
    // A stdlib module has no directory of its own: a path in it would resolve against the
    // working directory, and --stdlib would let a module read what the project never named.
    emitter.Emit(diag::Kind::outside_root, file->item->strings[0].range,
                 "a standard library module cannot name certificate files");
  } else if (auto path = Interpolate(file->item->strings[0], ref.module, EnvPolicy::kForbidden)) {
    read = LoadCertFile(module(ref.module).real_path.parent_path() / *path, file->item->strings[0],
                        *path, cert);
  }
  for (const ScopedItem& item : items) {
    const ast::Item& it = *item.item;
    if (it.kind == ItemKind::kAllow) {
      if (auto allow = MakeAllow(*this, item)) cert.allows.push_back(std::move(*allow));
      continue;
    }
    if (it.kind == ItemKind::kFile || it.strings.empty()) continue;
    auto text = Interpolate(it.strings[0], ref.module, EnvPolicy::kForbidden, ControlsFor(it.kind));
    if (!text) continue;
    if (it.kind == ItemKind::kName) cert.display_name = *text;
    if (it.kind == ItemKind::kNote) cert.note = *text;
    if (it.kind == ItemKind::kSha256) CheckPin(*this, it, *text, cert);
    if (!cert.certificate) continue;
    const x509::CertFacts& facts = cert.certificate->facts();
    if (it.kind == ItemKind::kSubject) CheckDn(*this, it, *text, facts.SubjectDn(), facts.subject);
    if (it.kind == ItemKind::kIssuer) CheckDn(*this, it, *text, facts.IssuerDn(), facts.issuer);
  }
  if (cert.display_name.empty()) {
    const ScopedItem* name = Last(items, {ItemKind::kName});
    emitter.Emit(diag::Kind::invalid_value, name ? name->item->strings[0].range : d.name.range,
                 "certificate `name` is empty");
  }
  ir::CertId id{static_cast<uint32_t>(out.certs.size())};
  if (read) {
    read->cert = id;
    out.cert_files.push_back(std::move(*read));
  }
  out.certs.push_back(std::move(cert));
  cert_used.push_back(false);
  ids[ref.decl] = id;
  return id;
}

}  // namespace trust::sema
