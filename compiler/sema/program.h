// The loaded program: every module's AST with its import table. Produced by the driver's
// LoadProgram (compiler/driver/load.cpp), which reads and parses; consumed by Check (check.cpp),
// which calls no parser.
//
// Invariants established by LoadProgram: every module reachable from the root is parsed
// exactly once (identity by resolved path); each module's `imports` maps an alias to a module
// index; there is no import cycle; every non-stdlib path is inside the project root unless
// --allow-outside-root. When any module has a syntax error, `syntax_errors` is true and
// Check must not run.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/file_read.h"
#include "base/open_directories.h"
#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"

namespace trust::sema {

struct Module {
  ast::Module ast;
  std::string display_path;         // as shown in diagnostics
  std::filesystem::path real_path;  // resolved; empty for embedded stdlib modules
  // What was resolved to real_path: the importing module's directory joined with the import's
  // text (the root: the path given); empty for the standard library.
  std::filesystem::path named_path;
  std::filesystem::path display_dir;  // display path of the directory, for relative imports
  bool is_stdlib = false;
  std::string stdlib_name;                // "layer7" for std/layer7
  std::map<std::string, size_t> imports;  // alias -> module index
};

struct LoadedProgram {
  std::vector<Module> modules;         // modules[0] is the root
  std::filesystem::path project_root;  // resolved directory of the root file
  bool syntax_errors = false;
};

// Frees every module's syntax tree, keeping its file id and the module's paths: for a caller
// done with checking that keeps only the IR, like `trustc build` while it lowers (at 100,000
// certificates the trees hold about 2 KB a certificate).
inline void ReleaseSyntaxTrees(LoadedProgram& program) {
  for (Module& module : program.modules) {
    ast::Module released;
    released.file = module.ast.file;
    module.ast = std::move(released);
  }
}

// files.cpp: the project-root rule and file reading, for the loader (modules) and for
// certificate loading (certificate files).

// Project-root rule for any path the program names (imports, certificate files); `real` comes
// from RealPath.
bool InsideRoot(const std::filesystem::path& root, const std::filesystem::path& real);

// `path` relative to `root`, in generic form: what path.lexically_relative(root) gives.
std::string RelativeToRoot(const std::filesystem::path& path, const std::filesystem::path& root);

// The absolute path with every symlink resolved (what the project-root rule judges); for a
// path that does not exist, std::filesystem::weakly_canonical's answer.
std::filesystem::path RealPath(const std::filesystem::path& path);

// Directories resolved once (RealPath) and held open, so that a file named in one resolves by
// opening its last component relative to it: one path walk and one readlink a directory rather
// than two walks and a readlink a file. For certificate files, which are many and share a few
// directories.
class ResolvedDirectories {
 public:
  // Resolves the directory `named` is in, unless done already. Not thread-safe.
  void Add(const std::filesystem::path& named);

  // A file resolved: its real path (what RealPath gives), to judge before reading, and how to
  // read it.
  class File {
   public:
    File(std::filesystem::path real, int fd) : real_(std::move(real)), fd_(fd) {}
    ~File();
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    const std::filesystem::path& real() const { return real_; }
    // base::ReadRegularFile's answer for the real path: through the descriptor opened while
    // resolving when there is one, else by the path.
    std::optional<std::string> Read(size_t limit, base::ReadFailure* failure) const;

   private:
    std::filesystem::path real_;
    int fd_;  // open for reading (non-blocking), or -1
  };

  // Resolves `named`. Safe from several threads once the Adds are done. When its directory was
  // added and resolved, the last component is opened relative to it without following a link;
  // a link there, `.` or `..`, an unadded directory or a failed open resolves the whole path
  // with RealPath instead, so the real path is RealPath's either way.
  File Resolve(const std::filesystem::path& named) const;

 private:
  base::OpenDirectories opened_;  // each directory added, held open (O_PATH)
  // Its real path by the directory as named; empty if it did not open or resolve.
  std::map<std::string, std::filesystem::path> reals_;
};

// Certificate files a build read before it checked, by real path: the up-to-date check
// (driver/up_to_date.h) reads and hashes every certificate file its record names, and when one
// of them changed, certificate loading takes the bytes from here rather than reading each file
// a second time. What is kept is bounded (kBudgetBytes); files beyond it are read again.
class CertificateBytesReadAhead {
 public:
  static constexpr size_t kBudgetBytes = size_t{32} << 20;

  // Keeps `bytes`, read from `real`, unless that would pass the budget. Not thread-safe.
  void Keep(std::string real, std::string bytes);
  // The bytes kept for `real`, once. Safe from several threads for different paths once the
  // Keeps are done.
  std::optional<std::string> Take(const std::string& real);

 private:
  std::unordered_map<std::string, std::optional<std::string>> by_real_;
  size_t kept_bytes_ = 0;
};

}  // namespace trust::sema
