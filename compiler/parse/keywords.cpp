#include "compiler/parse/keywords.h"

#include <algorithm>
#include <cctype>

#include "TrustLexer.h"

namespace trust::parse {

const std::vector<std::string>& Keywords() {
  static const std::vector<std::string> keywords = [] {
    antlr4::ANTLRInputStream empty("");
    grammar::TrustLexer lexer(&empty);
    const antlr4::dfa::Vocabulary& vocabulary = lexer.getVocabulary();
    std::vector<std::string> words;
    for (size_t type = 1; type <= vocabulary.getMaxTokenType(); ++type) {
      std::string literal = vocabulary.getLiteralName(type);  // "'trust'", or "" for ID, STRING
      if (literal.size() < 3 || !std::isalpha(static_cast<unsigned char>(literal[1]))) continue;
      words.push_back(literal.substr(1, literal.size() - 2));
    }
    return words;
  }();
  return keywords;
}

bool IsKeyword(std::string_view word) {
  const std::vector<std::string>& words = Keywords();
  return std::find(words.begin(), words.end(), word) != words.end();
}

}  // namespace trust::parse
