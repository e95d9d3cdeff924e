// What a file says to the lexer, without what the lexer throws away.
#pragma once

#include <string>
#include <string_view>

namespace trust::parse {

// `text` with every run of blanks, line breaks, byte-order marks and comments outside string
// literals made one space (none at either end), everything else byte for byte. Two files with
// the same lexical form lex to the same tokens in the same order (only their positions differ),
// so they compile alike: `trustc build` keeps an output directory when a module changed only
// in layout or comments (compiler/driver/up_to_date.h). Faithful to grammar/TrustLexer.g4: a
// string ends at its closing quote or the end of its line, a `//` comment at the end of its
// line, a `/*` comment at the first `*/`; an unterminated string or comment, which the lexer
// reports as an error, is marked so that it never matches a file without one.
std::string LexicalForm(std::string_view text);

// The end of the string literal whose quote is at `begin`: after its closing quote, or at the
// end of its line (*closed false: the lexer's UNTERMINATED_STRING).
size_t StringLiteralEnd(std::string_view text, size_t begin, bool* closed = nullptr);

// The end of the comment (`//` or `/*`) at `begin`: the end of its line, or after its `*/`, or
// the end of the text (*closed false: the lexer's UNTERMINATED_COMMENT).
size_t CommentEnd(std::string_view text, size_t begin, bool* closed = nullptr);

}  // namespace trust::parse
