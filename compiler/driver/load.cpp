// Loading a program: the root file, then every import, depth first, each file parsed once.
#include "compiler/driver/load.h"

#include <algorithm>
#include <climits>
#include <system_error>

#include "base/digest.h"
#include "base/file_read.h"
#include "compiler/ast/ast_codec.h"
#include "compiler/limits.h"
#include "compiler/parse/parse.h"
#include "stdlib/stdlib.h"

namespace trust::driver {
namespace fs = std::filesystem;
using sema::InsideRoot;
using sema::LoadedProgram;
using sema::Module;
using sema::RealPath;

namespace {

// "ca-im.trust" -> "ca_im"
std::string DefaultAlias(const std::string& file_name) {
  std::string stem = file_name;
  if (stem.size() > 6 && stem.ends_with(".trust")) stem.resize(stem.size() - 6);
  std::string alias;
  for (char c : stem) alias += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
  if (alias.empty() || std::isdigit(static_cast<unsigned char>(alias[0]))) alias = "_" + alias;
  return alias;
}

std::string JoinedText(const ast::Str& str) {
  std::string text;
  for (const auto& part : str.parts) text += part.text;
  return text;
}

bool TooLarge(const std::string& read_error) { return read_error.starts_with("is larger"); }

class Loader {
 public:
  Loader(const LoadOptions& options, source::SourceManager& sources, diag::Emitter& emitter)
      : options_(options), sources_(sources), emitter_(emitter) {}

  std::optional<LoadedProgram> Run() {
    fs::path root(options_.root_path);
    std::string error;
    std::optional<std::string> text = ReadSource(root, &error);
    if (!text && TooLarge(error)) {
      // docs/limits.md: the file is not parsed; the error points at its 1:1.
      source::FileId id = sources_.Add(options_.root_path, "");
      emitter_.Emit(diag::Kind::limit_exceeded, {id, 0, 0},
                    "source file " + diag::Quote(options_.root_path) + " " + error);
      return std::nullopt;
    }
    if (!text) {
      emitter_.Emit(diag::Kind::file_unreadable, {},
                    "cannot read " + diag::Quote(options_.root_path) + ": " + error);
      return std::nullopt;
    }
    std::error_code ec;
    fs::path real = fs::weakly_canonical(fs::absolute(root, ec), ec);
    program_.project_root = real.parent_path();
    Module module;
    module.display_path = options_.root_path;
    module.real_path = real;
    module.named_path = root;
    module.display_dir = root.parent_path();
    Add(std::move(module), std::move(*text));
    LoadImports(0);
    return std::move(program_);
  }

 private:
  // An editor buffer from the overlay if there is one for this file, else the disk.
  std::optional<std::string> ReadSource(const fs::path& path, std::string* error) {
    if (options_.overlay != nullptr) {
      std::error_code ec;
      fs::path real = fs::weakly_canonical(fs::absolute(path, ec), ec);
      auto it = options_.overlay->find(real.string());
      if (it != options_.overlay->end()) {
        if (it->second.size() > limits::kMaxSourceBytes) {
          *error =
              "is larger than the limit of " + std::to_string(limits::kMaxSourceBytes) + " bytes";
          return std::nullopt;
        }
        return it->second;
      }
    }
    return base::ReadRegularFile(path, limits::kMaxSourceBytes, error);
  }

  size_t Add(Module module, std::string text) {
    // The language ignores a byte-order mark; dropping it keeps columns right on line 1.
    if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
    source::FileId id = sources_.Add(module.display_path, std::move(text));
    int errors_before = emitter_.CountAtLeast(diag::Severity::Error);
    module.ast = ParseModule(id);
    if (emitter_.CountAtLeast(diag::Severity::Error) > errors_before) program_.syntax_errors = true;
    std::string key = module.is_stdlib ? "std/" + module.stdlib_name : module.real_path.string();
    program_.modules.push_back(std::move(module));
    index_of_[key] = program_.modules.size() - 1;
    return program_.modules.size() - 1;
  }

  // The tree of a module an earlier build parsed, from the same text with the same parser (the
  // key says both), is decoded from the cache instead, in a fraction of the time. Only a
  // parse that reported nothing is kept, so a tree from the cache is one that parsed without a
  // word, and reports none.
  ast::Module ParseModule(source::FileId id) {
    const source::SourceFile& file = sources_.file(id);
    if (options_.parse_cache == nullptr) return parse::Parse(file, id, emitter_);
    std::string key = ParsedModuleKey(file.text());
    if (std::optional<std::string> kept = options_.parse_cache->Recall(key)) {
      if (std::optional<ast::Module> module = ast::DecodeModule(*kept, file.text(), id)) {
        return std::move(*module);
      }
    }
    size_t reported_before = emitter_.diagnostics().size();
    ast::Module module = parse::Parse(file, id, emitter_);
    if (emitter_.diagnostics().size() == reported_before) {
      std::string encoded = ast::EncodeModule(module, file.text());
      if (!encoded.empty()) options_.parse_cache->Store(key, encoded);
    }
    return module;
  }

  void LoadImports(size_t index) {
    stack_.push_back(index);
    // Copy: loading appends to program_.modules, which may move the importing module.
    std::vector<ast::Import> imports = program_.modules[index].ast.imports;
    std::map<std::string, source::SourceRange> alias_at;
    for (const ast::Import& import : imports) {
      std::optional<size_t> target = Resolve(index, import);
      if (!target) continue;
      std::string alias = import.alias ? import.alias->name : DefaultAlias(LastComponent(import));
      source::SourceRange alias_range = import.alias ? import.alias->range : import.range;
      if (auto [it, fresh] = alias_at.emplace(alias, alias_range); !fresh) {
        emitter_.Emit(diag::Kind::duplicate_import_alias, alias_range,
                      "two imports use the alias " + diag::Quote(alias) + "; add `as NAME`",
                      {{it->second, "the first import with this alias"}});
        continue;
      }
      program_.modules[index].imports[alias] = *target;
    }
    stack_.pop_back();
  }

  static std::string LastComponent(const ast::Import& import) {
    return fs::path(JoinedText(import.path)).filename().string();
  }

  std::optional<size_t> Resolve(size_t from, const ast::Import& import) {
    std::string path = JoinedText(import.path);
    for (const auto& part : import.path.parts) {
      if (part.kind != ast::StrPart::Kind::kText) {
        emitter_.Emit(diag::Kind::import_path_invalid, part.range,
                      "import paths are plain text; `${...}` is not allowed here");
        return std::nullopt;
      }
    }
    // A NUL would cut the path short where the system reads it (another file than the one
    // written); no file name needs any control character.
    if (std::any_of(path.begin(), path.end(), diag::IsControl)) {
      emitter_.Emit(diag::Kind::control_character, import.path.range,
                    "import path " + diag::Quote(path) + " holds a control character");
      return std::nullopt;
    }
    if (path.starts_with("std/")) return ResolveStdlib(path.substr(4), import);
    if (path.starts_with("./") || path.starts_with("../"))
      return ResolveRelative(from, path, import);
    emitter_.Emit(diag::Kind::import_path_invalid, import.path.range,
                  "import path " + diag::Quote(path) +
                      " must start with `./` or `../` (relative to this file) or `std/`");
    return std::nullopt;
  }

  std::optional<size_t> Existing(const std::string& key, const ast::Import& import) {
    auto it = index_of_.find(key);
    if (it == index_of_.end()) return std::nullopt;
    for (size_t i = 0; i < stack_.size(); ++i) {
      if (stack_[i] != it->second) continue;
      std::string cycle;
      for (size_t k = i; k < stack_.size(); ++k) {
        cycle += program_.modules[stack_[k]].display_path + " -> ";
      }
      emitter_.Emit(diag::Kind::import_cycle, import.range,
                    "import cycle: " + cycle + program_.modules[it->second].display_path);
      return SIZE_MAX;
    }
    return it->second;
  }

  bool CheckLimits(const ast::Import& import) {
    if (stack_.size() >= limits::kMaxImportDepth) {
      emitter_.Emit(
          diag::Kind::limit_exceeded, import.range,
          "imports are nested more than " + std::to_string(limits::kMaxImportDepth) + " deep");
      return false;
    }
    if (program_.modules.size() >= limits::kMaxModules) {
      emitter_.Emit(
          diag::Kind::limit_exceeded, import.range,
          "the program has more than " + std::to_string(limits::kMaxModules) + " modules");
      return false;
    }
    return true;
  }

  std::optional<size_t> Finish(std::optional<size_t> found) {
    if (found == SIZE_MAX) return std::nullopt;
    return found;
  }

  std::optional<size_t> ResolveStdlib(std::string name, const ast::Import& import) {
    if (name.ends_with(".trust")) name.resize(name.size() - 6);
    if (!IsStdlibName(name)) {
      emitter_.Emit(diag::Kind::import_path_invalid, import.path.range,
                    "`std/` modules are named by letters, digits, `_` and `-` (and `/` between "
                    "them); " +
                        diag::Quote("std/" + name) + " is not such a name");
      return std::nullopt;
    }
    if (auto found = Existing("std/" + name, import)) return Finish(found);
    std::optional<std::string> text = StdlibText(name);
    if (!text) {
      emitter_.Emit(diag::Kind::import_not_found, import.path.range,
                    "the standard library has no module " + diag::Quote("std/" + name));
      return std::nullopt;
    }
    if (!CheckLimits(import)) return std::nullopt;
    Module module;
    module.display_path = "std/" + name + ".trust";
    module.is_stdlib = true;
    module.stdlib_name = name;
    size_t index = Add(std::move(module), std::move(*text));
    LoadImports(index);
    return index;
  }

  // Plain components only: no `..`, no empty component, so no absolute path (`std//abs`).
  static bool IsStdlibName(std::string_view name) {
    bool component_empty = true;
    for (char c : name) {
      if (c == '/') {
        if (component_empty) return false;
        component_empty = true;
      } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') {
        component_empty = false;
      } else {
        return false;
      }
    }
    return !component_empty;
  }

  std::optional<std::string> StdlibText(const std::string& name) {
    if (options_.stdlib_dir) {
      // A link inside the directory must not lead out of it either.
      fs::path dir = RealPath(*options_.stdlib_dir);
      fs::path real = RealPath(dir / (name + ".trust"));
      if (!InsideRoot(dir, real)) return std::nullopt;
      std::string error;
      return base::ReadRegularFile(real, limits::kMaxSourceBytes, &error);
    }
    if (auto text = stdlib::Find(name)) return std::string(*text);
    return std::nullopt;
  }

  std::optional<size_t> ResolveRelative(size_t from, std::string path, const ast::Import& import) {
    if (!path.ends_with(".trust")) path += ".trust";
    const Module& importer = program_.modules[from];
    if (importer.is_stdlib) {
      emitter_.Emit(diag::Kind::import_path_invalid, import.path.range,
                    "standard library modules import only `std/` modules");
      return std::nullopt;
    }
    fs::path named = importer.real_path.parent_path() / path;
    fs::path real = RealPath(named);
    fs::path display = (importer.display_dir / path).lexically_normal();
    if (!options_.allow_outside_root && !InsideRoot(program_.project_root, real)) {
      emitter_.Emit(diag::Kind::outside_root, import.path.range,
                    diag::Quote(display.generic_string()) +
                        " is outside the project root; pass --allow-outside-root to allow it");
      return std::nullopt;
    }
    if (auto found = Existing(real.string(), import)) return Finish(found);
    return LoadFile(named, real, display, import);
  }

  std::optional<size_t> LoadFile(const fs::path& named, const fs::path& real,
                                 const fs::path& display, const ast::Import& import) {
    std::string error;
    std::optional<std::string> text = ReadSource(real, &error);
    if (!text) {
      std::error_code ec;
      bool exists = fs::exists(real, ec);
      emitter_.Emit(TooLarge(error) ? diag::Kind::limit_exceeded
                    : exists        ? diag::Kind::file_unreadable
                                    : diag::Kind::import_not_found,
                    import.path.range,
                    "cannot read " + diag::Quote(display.generic_string()) + ": " + error);
      return std::nullopt;
    }
    if (!CheckLimits(import)) return std::nullopt;
    Module module;
    module.display_path = display.generic_string();
    module.real_path = real;
    module.named_path = named;
    module.display_dir = display.parent_path();
    size_t index = Add(std::move(module), std::move(*text));
    LoadImports(index);
    return index;
  }

  const LoadOptions& options_;
  source::SourceManager& sources_;
  diag::Emitter& emitter_;
  LoadedProgram program_;
  std::map<std::string, size_t> index_of_;
  std::vector<size_t> stack_;  // modules whose imports are being loaded
};

}  // namespace

std::string ParsedModuleKey(std::string_view text) {
  // The label keeps the key apart from every other result the facts cache holds.
  return base::Sha256("trustc parsed module\n" + parse::ParserFingerprint() + "\n" +
                      std::string(text));
}

std::optional<LoadedProgram> LoadProgram(const LoadOptions& options, source::SourceManager& sources,
                                         diag::Emitter& emitter) {
  return Loader(options, sources, emitter).Run();
}

}  // namespace trust::driver
