#include "tests/support/lexer_check.h"

#include <memory>

#include "TrustLexer.h"
#include "compiler/parse/lexer.h"

namespace trust::test {
namespace {

// ANTLR's own input stream, with the decoded text the hand-written lexer reads.
class DecodedStream : public antlr4::ANTLRInputStream {
 public:
  using antlr4::ANTLRInputStream::ANTLRInputStream;
  std::u32string_view code_points() const { return _data; }
};

std::string Describe(const antlr4::Token& token) {
  return "type " + std::to_string(token.getType()) + ", channel " +
         std::to_string(token.getChannel()) + ", " + std::to_string(token.getStartIndex()) + ".." +
         std::to_string(token.getStopIndex()) + " at " + std::to_string(token.getLine()) + ":" +
         std::to_string(token.getCharPositionInLine()) + ", text `" + token.getText() + "`";
}

}  // namespace

std::string CompareLexers(std::string_view utf8) {
  DecodedStream generated_input{std::string(utf8)};
  grammar::TrustLexer generated(&generated_input);
  generated.removeErrorListeners();
  DecodedStream ours_input{std::string(utf8)};
  parse::Lexer ours(&ours_input, ours_input.code_points());
  for (size_t index = 0;; ++index) {
    std::unique_ptr<antlr4::Token> expected = generated.nextToken();
    std::unique_ptr<antlr4::Token> got = ours.nextToken();
    std::string want = Describe(*expected);
    std::string have = Describe(*got);
    if (want != have) {
      return "token " + std::to_string(index) + ": ANTLR's lexer gives " + want + "; ours " + have;
    }
    if (expected->getType() == antlr4::Token::EOF) return "";
  }
}

}  // namespace trust::test
