#include "compiler/parse/keywords.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <utility>

#include "TrustLexer.h"

namespace trust::parse {

namespace {

// Every literal token of the vocabulary ("trust", "{"), with its type, in token order.
const std::vector<std::pair<std::string, size_t>>& Literals() {
  static const std::vector<std::pair<std::string, size_t>> literals = [] {
    antlr4::ANTLRInputStream empty("");
    grammar::TrustLexer lexer(&empty);
    const antlr4::dfa::Vocabulary& vocabulary = lexer.getVocabulary();
    std::vector<std::pair<std::string, size_t>> found;
    for (size_t type = 1; type <= vocabulary.getMaxTokenType(); ++type) {
      std::string literal = vocabulary.getLiteralName(type);  // "'trust'", or "" for ID, STRING
      if (literal.size() < 3) continue;
      found.emplace_back(literal.substr(1, literal.size() - 2), type);
    }
    return found;
  }();
  return literals;
}

}  // namespace

const std::vector<std::string>& Keywords() {
  static const std::vector<std::string> keywords = [] {
    std::vector<std::string> words;
    for (const auto& [literal, type] : Literals()) {
      if (std::isalpha(static_cast<unsigned char>(literal[0]))) words.push_back(literal);
    }
    return words;
  }();
  return keywords;
}

size_t LiteralTokenType(std::string_view text) {
  static const std::unordered_map<std::string_view, size_t> types = [] {
    std::unordered_map<std::string_view, size_t> by_text;
    for (const auto& [literal, type] : Literals()) by_text.emplace(literal, type);
    return by_text;
  }();
  auto it = types.find(text);
  return it == types.end() ? 0 : it->second;
}

bool IsKeyword(std::string_view word) {
  const std::vector<std::string>& words = Keywords();
  return std::find(words.begin(), words.end(), word) != words.end();
}

}  // namespace trust::parse
