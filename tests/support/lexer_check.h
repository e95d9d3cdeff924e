// The hand-written lexer (compiler/parse/lexer.h) against the one ANTLR generates from
// grammar/TrustLexer.g4, which stays the definition: for the unit test lexer_test and the parser
// fuzz target.
#pragma once

#include <string>
#include <string_view>

namespace trust::test {

// "" when the two lexers give `utf8` (valid UTF-8) the same tokens (type, channel, start, stop,
// line, column, text) up to and including EOF; else the first difference, described.
std::string CompareLexers(std::string_view utf8);

}  // namespace trust::test
