// The .trust lexer, written by hand: the tokens grammar/TrustLexer.g4 describes, exactly as
// ANTLR's generated TrustLexer makes them (type, channel, start and stop in code points, line
// and column), at a fraction of the cost. ANTLR's lexer simulates the grammar's automaton a
// character at a time, under a lock, and was most of the time a parse took.
//
// The grammar stays the definition. The keywords and punctuation come from the generated
// lexer's vocabulary (keywords.h), the token types from its header, and two checks keep the two
// lexers equal: the unit test lexer_test compares them token by token on every source of the
// repository and on cases at every rule's edges, and the parser fuzz target does on every input.
// A rule added to TrustLexer.g4 must be added here too; those checks fail until it is.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "antlr4-runtime.h"

namespace trust::parse {

class Lexer : public antlr4::TokenSource {
 public:
  // `code_points` is `input`'s text, decoded (tokens index it, and their text is read from
  // `input`, as a generated lexer's are).
  Lexer(antlr4::CharStream* input, std::u32string_view code_points)
      : input_(input), text_(code_points) {}

  // The next token that is not skipped (blanks and byte-order marks are), then EOF for ever.
  std::unique_ptr<antlr4::Token> nextToken() override;

  size_t getLine() const override { return line_; }
  size_t getCharPositionInLine() override { return column_; }
  antlr4::CharStream* getInputStream() override { return input_; }
  std::string getSourceName() override { return input_->getSourceName(); }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }

 private:
  // The rules, each from `at_` at the first character of its token, returning its type and
  // leaving `at_` one past its last character.
  size_t Word();
  size_t Number();
  size_t String();
  size_t Comment();
  // Moves `at_` to `end`, counting lines and columns as ANTLR does: a line ends at '\n'.
  void AdvanceTo(size_t end);

  antlr4::CharStream* input_;
  std::u32string_view text_;
  size_t at_ = 0;
  size_t line_ = 1;
  size_t column_ = 0;
};

}  // namespace trust::parse
