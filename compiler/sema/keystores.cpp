// `keystore` declarations (docs/language.md): format, location and password reference, and
// the entries the runtime will manage.
#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

#include "base/endpoint.h"
#include "compiler/sema/context.h"

namespace trust::sema {
namespace {

using ast::ItemKind;

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool ValidEnvName(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Aliases must survive JKS's modified UTF-8, PEM comment lines and Debian's cacerts tooling.
std::optional<std::string> AliasProblem(const std::string& alias) {
  if (alias.empty()) return "alias is empty";
  for (char c : alias) {
    if (c < 0x20 || c > 0x7E) return "alias must be printable ASCII";
  }
  if (Lower(alias).starts_with("debian:")) {
    return "aliases starting with `debian:` are pruned by Debian's update-ca-certificates";
  }
  return std::nullopt;
}

// HOST:PORT, where a `${env:...}` placeholder may stand for either part.
// The placeholder is resolved by trust-apply, which then reads the address as written here.
bool ValidEndpoint(const std::string& address) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) return address.find("${env:") != std::string::npos;
  std::string_view port = std::string_view(address).substr(colon + 1);
  if (colon > 0 && (port.find("${env:") != std::string::npos || port.ends_with('}'))) return true;
  std::string ignored;
  return base::ParseEndpoint(address, &ignored).has_value();
}

class KeystoreBuilder {
 public:
  KeystoreBuilder(Context& cx, size_t module) : cx_(cx), module_(module) {}

  ir::Keystore Build(const ast::Decl& decl, const std::string& name) {
    ks_.name = name;
    ks_.range = decl.name.range;
    items_ = cx_.Flatten(decl.from, ast::DeclKind::kKeystoreTemplate, decl.items, module_);
    from_failed_ = cx_.last_from_failed;
    Format();
    Location();
    Password();
    Reserve();
    for (const ScopedItem& item : items_) {
      if (item.item->kind == ItemKind::kTrust) AddEntry(item);
    }
    for (const ScopedItem& item : items_) {
      if (item.item->kind == ItemKind::kRemove) AddRemove(item);
    }
    return std::move(ks_);
  }

 private:
  // Sized once for the keystore's entries: grown by doubling, a keystore of 25,000 entries held
  // up to half again of its list at the check's peak.
  void Reserve() {
    size_t count =
        static_cast<size_t>(std::count_if(items_.begin(), items_.end(), [](const ScopedItem& item) {
          return item.item->kind == ItemKind::kTrust;
        }));
    ks_.entries.reserve(count);
    by_cert_.reserve(count);
    by_alias_.reserve(count);
  }

  bool CaseInsensitive() const { return ks_.format != ir::KeystoreFormat::kPem; }

  std::optional<std::string> Text(const ast::Str& str, size_t module, EnvPolicy env) {
    return cx_.Interpolate(str, module, env);
  }

  void Missing(std::string_view what) {
    if (from_failed_) return;
    cx_.emitter.Emit(diag::Kind::missing_item, ks_.range,
                     "keystore " + diag::Quote(ks_.name) + " has no " + std::string(what));
  }

  void Format() {
    const ScopedItem* format = Last(items_, {ItemKind::kFormat});
    if (format == nullptr || !format->item->value) return Missing("`format` (jks, pkcs12, pem)");
    const std::string& word = format->item->value->name;
    // The grammar admits only the writable formats' words.
    ks_.format = keystore::ParseWritableFormat(word).value_or(ir::KeystoreFormat::kPem);
  }

  void Location() {
    const ScopedItem* path = Last(items_, {ItemKind::kPath});
    if (path == nullptr) return Missing("`path`");
    std::optional<std::string> text =
        Text(path->item->strings[0], path->module, EnvPolicy::kAllowed);
    ks_.path = text.value_or("");
    if (text && ks_.path.empty()) {
      cx_.emitter.Emit(diag::Kind::invalid_value, path->item->strings[0].range, "path is empty");
    }
    if (const ScopedItem* host = Last(items_, {ItemKind::kHost})) {
      ks_.host = Text(host->item->strings[0], host->module, EnvPolicy::kForbidden).value_or("");
    }
    ks_.create = Last(items_, {ItemKind::kCreate}) != nullptr;
  }

  void Password() {
    const ScopedItem* password =
        Last(items_, {ItemKind::kPasswordEnv, ItemKind::kPasswordFile, ItemKind::kPasswordNone});
    bool pem = ks_.format == ir::KeystoreFormat::kPem;
    if (password == nullptr) {
      if (!pem) Missing("`password` (env \"VAR\", file \"PATH\" or none)");
      return;
    }
    const ast::Item& item = *password->item;
    if (item.kind == ItemKind::kPasswordNone) {
      ks_.password.kind = ir::Password::Kind::kNone;
      if (ks_.format == ir::KeystoreFormat::kJks) {
        cx_.emitter.Emit(diag::Kind::password_none_not_allowed, item.range,
                         "a JKS keystore always has a password; `password none` is allowed only "
                         "for pem and pkcs12");
      }
      return;
    }
    if (pem) {
      cx_.emitter.Emit(diag::Kind::password_not_applicable, item.range,
                       "a PEM bundle has no password; remove this item or use `password none`");
      return;
    }
    bool env = item.kind == ItemKind::kPasswordEnv;
    ks_.password.kind = env ? ir::Password::Kind::kEnv : ir::Password::Kind::kFile;
    ks_.password.value =
        Text(item.strings[0], password->module, env ? EnvPolicy::kForbidden : EnvPolicy::kAllowed)
            .value_or("");
    if (env && !ValidEnvName(ks_.password.value)) {
      cx_.emitter.Emit(diag::Kind::invalid_value, item.strings[0].range,
                       "`password env` needs an environment variable name, not " +
                           diag::Quote(ks_.password.value));
    }
  }

  void AddEntry(const ScopedItem& scoped);
  void AddRemove(const ScopedItem& scoped);
  void EntryItems(const ScopedItem& scoped, ir::KeystoreEntry& entry);

  Context& cx_;
  size_t module_;
  std::vector<ScopedItem> items_;
  ir::Keystore ks_;
  // Indexes into ks_.entries: an estate's keystore holds thousands of entries.
  std::unordered_map<std::string, size_t> by_cert_;   // CertKey
  std::unordered_map<std::string, size_t> by_alias_;  // stored (lower-cased) alias
  std::unordered_set<std::string> removed_;
  bool lowercased_reported_ = false;
  bool from_failed_ = false;
};

void KeystoreBuilder::AddEntry(const ScopedItem& scoped) {
  const ast::Item& item = *scoped.item;
  std::optional<ir::CertId> id = cx_.CertFor(item.refs[0], scoped.module);
  if (!id) return;
  ir::KeystoreEntry entry;
  entry.cert = *id;
  entry.range = item.refs[0].range;
  source::SourceRange alias_range = item.alias ? item.alias->range : item.refs[0].range;
  std::string written = item.refs[0].name.name;
  if (item.alias) {
    std::optional<std::string> text = Text(*item.alias, scoped.module, EnvPolicy::kForbidden);
    if (!text) return;  // reported
    written = *text;
  }
  if (auto problem = AliasProblem(written)) {
    cx_.emitter.Emit(diag::Kind::alias_invalid, alias_range, *problem);
  }
  entry.alias = CaseInsensitive() ? Lower(written) : written;
  if (entry.alias != written && !lowercased_reported_) {
    lowercased_reported_ = true;
    ReportLint(cx_, diag::Kind::alias_lowercased, alias_range,
               "alias " + diag::Quote(written) + " is stored as " + diag::Quote(entry.alias) +
                   ": Java lower-cases JKS and PKCS#12 aliases",
               {});
  }
  EntryItems(scoped, entry);
  std::string cert_key = CertKey(cx_, entry.cert);
  if (auto other = by_cert_.find(cert_key); other != by_cert_.end()) {
    cx_.emitter.Emit(diag::Kind::duplicate_keystore_cert, entry.range,
                     "keystore " + diag::Quote(ks_.name) + " already holds this certificate",
                     {{ks_.entries[other->second].range, "first added here"}});
    return;
  }
  if (auto other = by_alias_.find(entry.alias); other != by_alias_.end()) {
    cx_.emitter.Emit(diag::Kind::duplicate_alias, alias_range,
                     "keystore " + diag::Quote(ks_.name) + " already has alias " +
                         diag::Quote(entry.alias) +
                         (CaseInsensitive() ? " (aliases are case-insensitive here)" : ""),
                     {{ks_.entries[other->second].range, "first used here"}});
    return;
  }
  by_cert_.emplace(std::move(cert_key), ks_.entries.size());
  by_alias_.emplace(entry.alias, ks_.entries.size());
  ks_.entries.push_back(std::move(entry));
}

void KeystoreBuilder::EntryItems(const ScopedItem& scoped, ir::KeystoreEntry& entry) {
  for (const ast::Item& child : scoped.item->children) {
    if (child.kind == ItemKind::kReplace) entry.replace = true;
    if (child.kind != ItemKind::kRequireEndpoint) continue;
    auto address = Text(child.strings[0], scoped.module, EnvPolicy::kAllowed);
    if (!address) continue;
    if (!ValidEndpoint(*address)) {
      cx_.emitter.Emit(diag::Kind::endpoint_invalid, child.strings[0].range,
                       diag::Quote(*address) + " is not HOST:PORT (port 1-65535)");
    }
    entry.require_endpoint = *address;
  }
}

void KeystoreBuilder::AddRemove(const ScopedItem& scoped) {
  const ast::Str& str = scoped.item->strings[0];
  std::optional<std::string> written = Text(str, scoped.module, EnvPolicy::kForbidden);
  if (!written) return;
  if (auto problem = AliasProblem(*written)) {
    cx_.emitter.Emit(diag::Kind::alias_invalid, str.range, *problem);
    return;
  }
  std::string alias = CaseInsensitive() ? Lower(*written) : *written;
  if (auto entry = by_alias_.find(alias); entry != by_alias_.end()) {
    cx_.emitter.Emit(diag::Kind::remove_conflict, str.range,
                     "keystore " + diag::Quote(ks_.name) + " removes alias " + diag::Quote(alias) +
                         ", which it also adds",
                     {{ks_.entries[entry->second].range, "added here"}});
    return;
  }
  if (removed_.insert(alias).second) ks_.remove.push_back(alias);
}

}  // namespace

void CheckKeystores(Context& cx) {
  for (size_t m = 0; m < cx.program.modules.size(); ++m) {
    for (size_t d = 0; d < cx.module(m).ast.decls.size(); ++d) {
      const ast::Decl& decl = cx.module(m).ast.decls[d];
      if (decl.kind != ast::DeclKind::kKeystore) continue;
      cx.out.keystores.push_back(KeystoreBuilder(cx, m).Build(decl, cx.QualifiedName({m, d})));
    }
  }
}

}  // namespace trust::sema
