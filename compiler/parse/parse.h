// The only code that sees ANTLR: lexes and parses one file and transforms the parse tree into
// our AST.
//
// Invariants established: every node has a valid SourceRange in `file`; strings are cooked
// (escapes resolved, interpolations split into StrParts); every syntax problem has been
// reported (up to limits::kMaxSyntaxErrors). No ANTLR exception escapes.
#pragma once

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"

namespace trust::parse {

// Always returns a module; it is partial when the emitter received syntax errors.
ast::Module Parse(const source::SourceFile& file, source::FileId id, diag::Emitter& emitter);

// Names everything that decides which tree a source parses to: a digest of the parser's sources
// (grammar, our transform, the tree and its encoding; made at build time) and the ANTLR
// runtime's version. Cached trees are keyed by it (driver/load.cpp).
std::string ParserFingerprint();

// Cooks the text between a string literal's quotes: escapes (`\\ \" \n \t \u{HEX}`) and
// interpolations (`${name}`, `${mod.name}`, `${env:NAME}`, `$$`). `begin` is the byte offset of
// the opening quote in the file. Exposed for unit tests.
ast::Str CookString(std::string_view raw, source::FileId file, uint32_t begin,
                    diag::Emitter& emitter);

}  // namespace trust::parse
