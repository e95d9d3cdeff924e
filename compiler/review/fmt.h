// `trustc fmt`: the canonical layout of a .trust module (docs/language.md, "Formatting").
//
// Invariants established: the output parses to the same declarations, items and strings (every
// string is re-emitted from its raw source text, numbers from their source digits); every
// comment of the input appears in the output exactly once, in the same order relative to the
// code it was next to; Format(Format(x)) == Format(x).
//
// Layout: imports first, then params, then declarations in source order; one blank line
// between declarations; two-space indentation; one item per line, except that a block written
// on one line with at most one item and no comment stays on one line (as gofmt keeps a short
// function); the arguments of consecutive key-value items (`file`, `name`, `sha256`, `dn`, ...)
// are aligned; a blank line between items is kept (several become one); a trailing comment is
// separated from the code by two spaces.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"

namespace trust::review {

// True when `after` has the tokens of `before` in the same order and the same comments (blanks
// at their ends aside): the lexer would see the same program, so only the layout differs.
bool OnlyLayoutDiffers(std::string_view before, std::string_view after);

// Formats a module parsed without syntax errors from `text`.
std::string Format(const ast::Module& module, std::string_view text);

// Formats a module already parsed without syntax errors from `text` and checks the result as
// FormatSource does (the language server formats the AST it already has: one parse less).
std::optional<std::string> FormatParsed(const ast::Module& module, std::string_view text,
                                        const std::string& display_path, std::string* error);

// Parses `text` (added to `sources` under `display_path`) and formats it. Returns nullopt when
// the file has syntax errors (reported to `emitter`, *error left empty) or, defensively, when
// the formatted text is not provably the same program with the same comments (*error says
// so): either only the layout changed (OnlyLayoutDiffers) or, when code moved, the output
// parses back to as many declarations with the same comments.
std::optional<std::string> FormatSource(const std::string& display_path, std::string text,
                                        source::SourceManager& sources, diag::Emitter& emitter,
                                        std::string* error);

}  // namespace trust::review
