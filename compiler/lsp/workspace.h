// The language server's model: the open documents and, for each, the compiled program they
// belong to. Each open document that no other open document imports is compiled as a root;
// unsaved buffers reach the compiler through the loader's overlay.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/temp_dir.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/driver/pipeline.h"
#include "compiler/ir/ir.h"
#include "compiler/lsp/text.h"
#include "compiler/sema/program.h"
#include "compiler/sema/session.h"
#include "compiler/source/source.h"

namespace trust::lsp {

struct Document {
  std::string uri;
  std::string path;  // resolved absolute path
  std::string text;
  int64_t version = 0;
};

// One compilation: the loaded modules (for navigation) and the checked program (for facts).
struct Unit {
  std::string root;                               // resolved absolute path of the root file
  std::unique_ptr<driver::Compilation> compiled;  // driver::Compile of `root`, partial
  std::map<source::FileId, std::string> paths;    // module file id -> the path clients see

  bool complete = false;  // checked without errors: its facts hold for the whole program

  std::optional<size_t> ModuleOf(const std::string& path) const;
  const source::SourceFile& FileOf(size_t module) const;
  // Built on first use and kept: every range of a request converts in O(log lines).
  const LineIndex& Lines(source::FileId file) const;

 private:
  mutable std::map<source::FileId, LineIndex> lines_;
};

class Workspace {
 public:
  Workspace(driver::CompileOptions base, bool refresh_clock);
  ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  void Open(const std::string& uri, std::string text, int64_t version);
  void Close(const std::string& uri);
  const Document* Find(const std::string& uri) const;

  // Recompiles every root. Returns the LSP diagnostics of every file the programs reach, by
  // URI, including an empty list for each URI that had diagnostics last time and has none now.
  std::map<std::string, nlohmann::json> Analyze();

  // The unit that shows `path` (the one rooted at it first) and the module index of the path.
  std::optional<std::pair<const Unit*, size_t>> UnitFor(const std::string& path) const;
  // The last unit that compiled without errors and contains `path`: for facts while a syntax
  // error keeps the current one from being checked.
  const Unit* LastGood(const std::string& path) const;

  // Where a module lives for clients: its file, or a read-only copy of a std module.
  std::string ModulePath(const sema::Module& module);
  int64_t Now() const;

 private:
  std::shared_ptr<Unit> Compile(const std::string& root);
  void CompileRoots();  // fills units_
  nlohmann::json Convert(const Unit& unit, const diag::Diagnostic& d) const;

  driver::CompileOptions base_;
  bool refresh_clock_;
  sema::CheckSession session_;  // every compile shares certificates read by the ones before
  std::map<std::string, Document> documents_;          // by URI
  std::map<std::string, std::string> overlay_;         // path -> text
  std::vector<std::shared_ptr<Unit>> units_;           // current
  std::map<std::string, std::shared_ptr<Unit>> good_;  // root -> last unit with a program
  std::vector<std::string> published_;                 // URIs with diagnostics last time
  base::TempDir stdlib_copy_dir_;                      // created on first use
  std::set<std::string> copied_;                       // stdlib files written to it
  std::map<std::string, std::string> stable_copies_;   // stdlib file -> its lasting copy
};

std::string Canonical(const std::string& path);

}  // namespace trust::lsp
