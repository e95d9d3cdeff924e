// A module's syntax tree as bytes and back: what the parse cache keeps (driver/load.cpp keeps
// it in the facts cache's pack, keyed by the source text and the parser's fingerprint), so that
// a build whose modules did not change parses none of them again.
//
// The encoding is compact rather than general: ranges are varints relative to the previous
// range, and a name or text that is the source's bytes at its range is not written again (the
// decoder reads it from the source). Decoding checks everything (bounds, kinds, ranges inside
// the text, nesting depth) and gives nothing rather than a tree it is unsure of; the caller then
// parses.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/ast/ast.h"
#include "compiler/source/source.h"

namespace trust::ast {

// `text` is the module's source, the one it was parsed from.
std::string EncodeModule(const Module& module, std::string_view text);
// The tree EncodeModule made from `text`, with every range in `file`.
std::optional<Module> DecodeModule(std::string_view bytes, std::string_view text,
                                   source::FileId file);

}  // namespace trust::ast
