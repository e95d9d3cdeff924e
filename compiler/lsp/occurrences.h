// Every place a program names a declaration or a param: the declared name itself, references
// (`x`, `alias.x`, `from t`) and interpolations (`${p}`, `${m.p}`). References, rename and
// document highlight are all this list, filtered.
#pragma once

#include <vector>

#include "compiler/lsp/navigation.h"

namespace trust::lsp {

struct Occurrence {
  size_t module = 0;            // where the name is written
  source::SourceRange range;    // the name only: what a rename replaces
  bool is_declaration = false;  // the declared name, not a use
};

// The occurrences of `target` in every module of `unit`. One pass over each module with a
// name table built once: linear in the size of the program.
std::vector<Occurrence> OccurrencesOf(const Unit& unit, const Target& target);

// Whether `a` and `b` denote the same declaration or param.
bool SameTarget(const Target& a, const Target& b);

}  // namespace trust::lsp
