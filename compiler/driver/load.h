// Loading a program: reads the root file and every module it imports (depth first, each once),
// parses each, and resolves the import tables. Establishes the invariants of
// sema::LoadedProgram (compiler/sema/program.h) that Check relies on.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/facts/facts_cache.h"
#include "compiler/sema/program.h"
#include "compiler/source/source.h"

namespace trust::driver {

struct LoadOptions {
  std::string root_path;                  // as given on the command line
  std::optional<std::string> stdlib_dir;  // --stdlib; embedded modules otherwise
  bool allow_outside_root = false;
  // Editor buffers (trustc lsp): resolved absolute path -> text, consulted before the disk for
  // the root and every relative import. Null: read the disk only.
  const std::map<std::string, std::string>* overlay = nullptr;
  // Where syntax trees are kept between builds (ParseModule in load.cpp); null: parse every
  // module.
  facts::FactsCache* parse_cache = nullptr;
};

// The key a module's tree is kept under in the parse cache: its text and the parser's
// fingerprint (parse::ParserFingerprint), so that another text or another parser misses.
std::string ParsedModuleKey(std::string_view text);

std::optional<sema::LoadedProgram> LoadProgram(const LoadOptions& options,
                                               source::SourceManager& sources,
                                               diag::Emitter& emitter);

}  // namespace trust::driver
