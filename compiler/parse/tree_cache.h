// A module's syntax tree as bytes, so that a build whose sources did not change skips the
// parser: the loader keeps the tree of every module that parsed without a diagnostic in the
// compiler's content-addressed cache (facts/facts_cache.h, which authenticates what it gives
// back), under TreeKey of the module's text, and decodes it instead of parsing when the same
// text comes again. At 10,000 certificates parsing costs a quarter of a second, most of what a
// build spends besides reading the certificate files when only one of those changed.
//
// The encoding is this trustc's own (the key names the executable's build ID, so a tree is
// never read by another build of the parser): varints and length-prefixed strings in the order
// of ast.h's fields, ranges as offsets into the module's own text. Decoding checks every count,
// enumerator and offset against the bytes and the text it is for, and fails rather than
// guesses: a failure means parsing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/ast/ast.h"
#include "compiler/source/source.h"

namespace trust::parse {

// The cache key of a module whose text (after the byte-order mark) is `text`: a raw SHA-256
// of this executable's build ID and the text, exactly (ranges are byte offsets into it).
std::string TreeKey(std::string_view text);

std::string EncodeTree(const ast::Module& module);

// The tree EncodeTree wrote, its ranges in file `id` whose text is `text_size` bytes long;
// nullopt when `bytes` are not such a tree.
std::optional<ast::Module> DecodeTree(std::string_view bytes, source::FileId id,
                                      size_t text_size);

}  // namespace trust::parse
