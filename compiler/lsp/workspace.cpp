#include "compiler/lsp/workspace.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <set>

#include "base/digest.h"
#include "base/temp_dir.h"
#include "compiler/diag/json_text.h"
#include "compiler/lsp/text.h"
#include "compiler/sema/sema.h"
#include "runtime/x509/certificate.h"
#include "stdlib/stdlib.h"

namespace trust::lsp {
namespace fs = std::filesystem;
using nlohmann::json;

std::string Canonical(const std::string& path) {
  std::error_code ec;
  fs::path real = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return ec ? path : real.string();
}

std::optional<size_t> Unit::ModuleOf(const std::string& path) const {
  if (!compiled->loaded) return std::nullopt;
  const std::vector<sema::Module>& modules = compiled->loaded->modules;
  for (size_t i = 0; i < modules.size(); ++i) {
    auto it = paths.find(modules[i].ast.file);
    if (it != paths.end() && it->second == path) return i;
  }
  return std::nullopt;
}

const source::SourceFile& Unit::FileOf(size_t module) const {
  return compiled->sources.file(compiled->loaded->modules.at(module).ast.file);
}

const LineIndex& Unit::Lines(source::FileId file) const {
  auto it = lines_.find(file);
  if (it == lines_.end()) {
    it = lines_.emplace(file, LineIndex(compiled->sources.file(file).text())).first;
  }
  return it->second;
}

Workspace::Workspace(driver::CompileOptions base, bool refresh_clock)
    : base_(std::move(base)), refresh_clock_(refresh_clock) {}

// The copies are read-only; their directory is ours and goes with them.
Workspace::~Workspace() = default;

void Workspace::Open(const std::string& uri, std::string text, int64_t version) {
  std::string path = UriToPath(uri);
  if (path.empty()) path = "/nonexistent/" + uri;  // untitled buffers: compiled, never on disk
  path = Canonical(path);
  overlay_[path] = text;
  documents_[uri] = Document{uri, path, std::move(text), version};
}

void Workspace::Close(const std::string& uri) {
  auto it = documents_.find(uri);
  if (it == documents_.end()) return;
  overlay_.erase(it->second.path);
  documents_.erase(it);
}

const Document* Workspace::Find(const std::string& uri) const {
  auto it = documents_.find(uri);
  return it == documents_.end() ? nullptr : &it->second;
}

int64_t Workspace::Now() const {
  return refresh_clock_ ? static_cast<int64_t>(std::time(nullptr)) : base_.build_time;
}

namespace {

// A fresh directory of ours for the stdlib copies: mkdtemp under $XDG_RUNTIME_DIR (private to
// the user) or $TMPDIR. Never a predictable name: in a shared /tmp another user could create
// it first and plant links in it.
base::TempDir MakeCopyDirectory() {
  std::string parent = "/tmp";
  for (const char* variable : {"XDG_RUNTIME_DIR", "TMPDIR"}) {
    const char* value = std::getenv(variable);
    if (value != nullptr && value[0] == '/') {
      parent = value;
      break;
    }
  }
  std::string ignored;  // without a copy the definition is not offered; nothing to report
  return base::TempDir::Create(parent, "trustc-lsp-std-", &ignored);
}

// Writes `text` as a new read-only file; nothing if `path` exists (O_EXCL) or is a link.
bool WriteNewReadOnly(const fs::path& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0444);
  if (fd < 0) return false;
  bool ok = true;
  while (ok && !text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) text.remove_prefix(static_cast<size_t>(n));
  }
  return ::close(fd) == 0 && ok;
}

// A directory of ours only: made 0700 if missing; if present, a real directory (not a link)
// that we own and nobody else can write to. Anything else is refused, never repaired.
bool PrivateDirectory(const fs::path& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) return false;
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid() &&
         (st.st_mode & 022) == 0;
}

// Whether `path` is a regular file of ours (not a link) holding exactly `text`.
bool HoldsExactly(const fs::path& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid() &&
            static_cast<size_t>(st.st_size) == text.size();
  std::string content(ok ? text.size() : 0, '\0');
  size_t got = 0;
  while (ok && got < content.size()) {
    ssize_t n = ::read(fd, content.data() + got, content.size() - got);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) got += static_cast<size_t>(n);
  }
  ::close(fd);
  return ok && content == text;
}

// $XDG_CACHE_HOME/trustc/std-<hash of the text>/NAME.trust, else ~/.cache/...: the same path
// for the same module after a restart (editors keep buffers and jump lists by path), and a
// new one when trustc's standard library changes. Empty when no such place is safe to use.
std::string StableCopy(const std::string& file, std::string_view text) {
  const char* cache = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  fs::path base;
  if (cache != nullptr && cache[0] == '/') {
    base = cache;
  } else if (home != nullptr && home[0] == '/') {
    base = fs::path(home) / ".cache";
  } else {
    return "";
  }
  std::error_code ec;
  fs::create_directories(base, ec);
  fs::path folder = base / "trustc";
  fs::path versioned = folder / ("std-" + base::Sha256Hex(text).substr(0, 16));
  if (!PrivateDirectory(folder) || !PrivateDirectory(versioned)) return "";
  fs::path copy = versioned / file;
  if (HoldsExactly(copy, text)) return copy.string();
  if (WriteNewReadOnly(copy, text) && HoldsExactly(copy, text)) return copy.string();
  return "";
}

}  // namespace

std::string Workspace::ModulePath(const sema::Module& module) {
  if (!module.is_stdlib) return module.real_path.string();
  std::string file = module.stdlib_name + ".trust";
  if (base_.stdlib_dir) return Canonical((fs::path(*base_.stdlib_dir) / file).string());
  // Editors open files, not strings: the embedded module is written once, read-only (edits
  // there would change nothing), where a restarted server finds it again.
  auto known = stable_copies_.find(file);
  if (known != stable_copies_.end()) return known->second;
  std::optional<std::string_view> embedded = stdlib::Find(module.stdlib_name);
  if (embedded && file.find('/') == std::string::npos) {
    std::string stable = StableCopy(file, *embedded);
    if (!stable.empty()) return stable_copies_[file] = stable;
  }
  // No safe stable place: a private copy for this server's lifetime.
  if (!stdlib_copy_dir_.ok()) stdlib_copy_dir_ = MakeCopyDirectory();
  std::optional<std::string_view> text = stdlib::Find(module.stdlib_name);
  if (!stdlib_copy_dir_.ok() || !text || file.find('/') != std::string::npos) return "";
  fs::path copy = stdlib_copy_dir_.path() / file;
  if (copied_.insert(file).second && !WriteNewReadOnly(copy, *text)) return "";
  return copy.string();
}

std::shared_ptr<Unit> Workspace::Compile(const std::string& root) {
  auto unit = std::make_shared<Unit>();
  unit->root = root;
  driver::CompileOptions options = base_;
  options.root_path = root;
  options.build_time = Now();
  options.overlay = &overlay_;
  options.session = &session_;
  // Partial: an unrelated wrong name must not take away the facts of every certificate.
  options.partial = true;
  unit->compiled = driver::Compile(options);
  const driver::Compilation& compiled = *unit->compiled;
  if (!compiled.loaded) return unit;
  for (const sema::Module& module : compiled.loaded->modules) {
    unit->paths[module.ast.file] = ModulePath(module);
  }
  unit->complete = compiled.program && !compiled.emitter.HasErrors();
  return unit;
}

json Workspace::Convert(const Unit& unit, const diag::Diagnostic& d) const {
  auto range_json = [&](source::SourceRange range) {
    const LineIndex& lines = unit.Lines(range.file);
    Position begin = lines.PositionOf(range.begin);
    Position end = lines.PositionOf(range.end);
    return json{{"start", {{"line", begin.line}, {"character", begin.character}}},
                {"end", {{"line", end.line}, {"character", end.character}}}};
  };
  json out{{"source", "trustc"},
           {"code", std::string(diag::Info(d.kind).id)},
           {"severity", d.severity == diag::Severity::Error     ? 1
                        : d.severity == diag::Severity::Warning ? 2
                                                                : 3},
           {"message", d.message}};
  bool placed = d.range.valid() && unit.paths.count(d.range.file) > 0;
  json start{{"line", 0}, {"character", 0}};
  out["range"] = placed ? range_json(d.range) : json{{"start", start}, {"end", start}};
  json related = json::array();
  for (const diag::Note& note : d.notes) {
    if (note.range.valid() && unit.paths.count(note.range.file) > 0) {
      related.push_back({{"location",
                          {{"uri", PathToUri(unit.paths.at(note.range.file))},
                           {"range", range_json(note.range)}}},
                         {"message", note.message}});
    } else {
      out["message"] = out["message"].get<std::string>() + "\n" + note.message;
    }
  }
  if (!related.empty()) out["relatedInformation"] = related;
  return out;
}

void Workspace::CompileRoots() {
  std::vector<std::shared_ptr<Unit>> all;
  for (const auto& [uri, document] : documents_) all.push_back(Compile(document.path));
  // A document that another open document's program imports is shown through that program:
  // compiled alone, its relative imports could leave its own "project root".
  std::set<std::string> imported;
  for (const auto& unit : all) {
    for (const auto& [file, path] : unit->paths) {
      if (path != unit->root) imported.insert(path);
    }
  }
  units_.clear();
  for (const auto& unit : all) {
    if (imported.count(unit->root) > 0) continue;
    units_.push_back(unit);
    if (unit->complete) good_[unit->root] = unit;
  }
}

std::map<std::string, json> Workspace::Analyze() {
  CompileRoots();
  std::map<std::string, json> by_uri;
  std::map<std::string, std::set<std::string>> seen;  // uri -> dumped diagnostics, for dedup
  for (const auto& unit : units_) {
    for (const diag::Diagnostic& d : unit->compiled->emitter.diagnostics()) {
      bool placed = d.range.valid() && unit->paths.count(d.range.file) > 0;
      std::string uri = PathToUri(placed ? unit->paths.at(d.range.file) : unit->root);
      json converted = Convert(*unit, d);
      if (seen[uri].insert(diag::JsonText(converted, -1)).second)
        by_uri[uri].push_back(std::move(converted));
    }
  }
  // Documents given by a non-file URI are published under the URI the client used.
  for (const auto& [uri, document] : documents_) {
    std::string as_file = PathToUri(document.path);
    if (as_file == uri || by_uri.count(as_file) == 0) continue;
    by_uri[uri] = std::move(by_uri[as_file]);
    by_uri.erase(as_file);
  }
  for (const std::string& uri : published_) {
    if (by_uri.count(uri) == 0) by_uri[uri] = json::array();  // clears stale diagnostics
  }
  // An open document without findings gets an empty list too: the editor learns it was
  // checked (and a client can wait for "checked, clean").
  for (const auto& [uri, document] : documents_) {
    if (by_uri.count(uri) == 0) by_uri[uri] = json::array();
  }
  published_.clear();
  for (const auto& [uri, list] : by_uri) {
    if (!list.empty()) published_.push_back(uri);
  }
  return by_uri;
}

std::optional<std::pair<const Unit*, size_t>> Workspace::UnitFor(const std::string& path) const {
  for (const auto& unit : units_) {
    if (unit->root == path) {
      if (auto module = unit->ModuleOf(path)) return std::make_pair(unit.get(), *module);
    }
  }
  for (const auto& unit : units_) {
    if (auto module = unit->ModuleOf(path)) return std::make_pair(unit.get(), *module);
  }
  return std::nullopt;
}

const Unit* Workspace::LastGood(const std::string& path) const {
  for (const auto& [root, unit] : good_) {
    if (unit->complete && unit->ModuleOf(path)) return unit.get();
  }
  return nullptr;
}

}  // namespace trust::lsp
