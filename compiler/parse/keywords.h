// The reserved words of the language, read from the generated lexer's vocabulary so that the
// grammar (grammar/TrustLexer.g4) stays their only source.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace trust::parse {

// In token order: "import", "as", "param", ...
const std::vector<std::string>& Keywords();
bool IsKeyword(std::string_view word);

// The token type of a literal token (a keyword such as "trust", or punctuation such as "{"),
// or 0 (no token type) when `text` is none.
size_t LiteralTokenType(std::string_view text);

}  // namespace trust::parse
