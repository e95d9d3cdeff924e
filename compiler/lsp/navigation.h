// What the name under the cursor means: a walk over one module's syntax tree that finds the
// identifier at a byte offset and resolves it through the module's imports, as sema does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "compiler/ast/ast.h"
#include "compiler/lsp/workspace.h"

namespace trust::lsp {

// A declaration, a param or a whole module (the target of an import path).
struct Target {
  size_t module = 0;
  const ast::Decl* decl = nullptr;
  const ast::Param* param = nullptr;
  source::SourceRange range;  // the declared name; empty at the start of the file for a module
};

struct Symbol {
  source::SourceRange range;  // the token under the cursor
  std::optional<Target> target;
  std::string rule;  // set for `allow RULE` / `rule RULE`: a diagnostic ID
};

std::optional<Symbol> SymbolAt(const Unit& unit, size_t module, uint32_t offset);

// `name` in `module` (`alias` selects an imported module first); nullopt when unresolved.
std::optional<Target> Resolve(const Unit& unit, size_t module, const std::string& alias,
                              const std::string& name);

}  // namespace trust::lsp
