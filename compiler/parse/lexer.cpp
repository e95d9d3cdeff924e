#include "compiler/parse/lexer.h"

#include "TrustLexer.h"
#include "compiler/parse/keywords.h"

namespace trust::parse {
namespace {

using grammar::TrustLexer;

bool IsWordStart(char32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool IsWordPart(char32_t c) { return IsWordStart(c) || IsDigit(c); }
bool IsLineEnd(char32_t c) { return c == '\r' || c == '\n'; }
bool IsBlank(char32_t c) { return c == ' ' || c == '\t' || IsLineEnd(c); }

constexpr char32_t kByteOrderMark = 0xFEFF;

}  // namespace

// ANTLR's rule: the longest match, and of two as long the one written first. Each branch below
// is the only rule, or the longest, that can match from its first character; the comments name
// the ties the grammar's order settles.
std::unique_ptr<antlr4::Token> Lexer::nextToken() {
  while (true) {
    size_t start = at_;
    size_t line = line_;
    size_t column = column_;
    if (start == text_.size()) {
      auto eof =
          std::make_unique<antlr4::CommonToken>(std::pair{this, input_}, antlr4::Token::EOF,
                                                antlr4::Token::DEFAULT_CHANNEL, start, start - 1);
      eof->setLine(line);
      eof->setCharPositionInLine(column);
      return eof;
    }
    char32_t c = text_[start];
    size_t type = 0;
    size_t channel = antlr4::Token::DEFAULT_CHANNEL;
    if (IsWordStart(c)) {
      type = Word();
    } else if (IsDigit(c)) {
      type = Number();
    } else if (c == '"') {
      type = String();
    } else if (c == '/' && start + 1 < text_.size() &&
               (text_[start + 1] == '/' || text_[start + 1] == '*')) {
      type = Comment();
      if (type != TrustLexer::UNTERMINATED_COMMENT) channel = antlr4::Token::HIDDEN_CHANNEL;
    } else if (IsBlank(c)) {
      AdvanceTo(start + 1);
      while (at_ < text_.size() && IsBlank(text_[at_])) AdvanceTo(at_ + 1);
      continue;  // WS -> skip
    } else if (c == kByteOrderMark) {
      AdvanceTo(start + 1);
      continue;  // BOM -> skip
    } else {
      // Punctuation, or BAD_CHAR: any one character (the last rule, so any literal wins).
      size_t literal = c < 0x80 ? LiteralTokenType(std::string(1, static_cast<char>(c))) : 0;
      type = literal != 0 ? literal : size_t{TrustLexer::BAD_CHAR};
      AdvanceTo(start + 1);
    }
    auto token = std::make_unique<antlr4::CommonToken>(std::pair{this, input_}, type, channel,
                                                       start, at_ - 1);
    token->setLine(line);
    token->setCharPositionInLine(column);
    return token;
  }
}

// ID: [A-Za-z_] [A-Za-z0-9_]*, unless the whole word is a keyword: as long a match, and the
// keywords' rules come first.
size_t Lexer::Word() {
  size_t end = at_ + 1;
  while (end < text_.size() && IsWordPart(text_[end])) ++end;
  // No keyword is this long; shorter words are looked up as ASCII.
  constexpr size_t kLongerThanAnyKeyword = 32;
  char word[kLongerThanAnyKeyword];
  size_t length = end - at_;
  size_t keyword = 0;
  if (length < kLongerThanAnyKeyword) {
    for (size_t i = 0; i < length; ++i) word[i] = static_cast<char>(text_[at_ + i]);
    keyword = LiteralTokenType(std::string_view(word, length));
  }
  AdvanceTo(end);
  return keyword != 0 ? keyword : size_t{TrustLexer::ID};
}

// DURATION: [0-9]+ 'd' when the digits are followed by a `d` (one character longer than INT),
// else INT: [0-9]+.
size_t Lexer::Number() {
  size_t end = at_ + 1;
  while (end < text_.size() && IsDigit(text_[end])) ++end;
  bool duration = end < text_.size() && text_[end] == 'd';
  AdvanceTo(duration ? end + 1 : end);
  return duration ? size_t{TrustLexer::DURATION} : size_t{TrustLexer::INT};
}

// STRING: '"' (~["\\\r\n] | '\\' ~[\r\n])* '"'. Without its closing quote before the end of the
// line, UNTERMINATED_STRING: the same without the quote, and a backslash just before the line
// end (or the end of the file) is taken too.
size_t Lexer::String() {
  size_t end = at_ + 1;
  size_t type = TrustLexer::UNTERMINATED_STRING;
  while (end < text_.size()) {
    char32_t c = text_[end];
    if (c == '"') {
      ++end;
      type = TrustLexer::STRING;
      break;
    }
    if (IsLineEnd(c)) break;
    if (c == '\\') {
      bool escapes = end + 1 < text_.size() && !IsLineEnd(text_[end + 1]);
      end += escapes ? 2 : 1;
      if (!escapes) break;
      continue;
    }
    ++end;
  }
  AdvanceTo(end);
  return type;
}

// LINE_COMMENT: '//' ~[\r\n]*. BLOCK_COMMENT: '/*' .*? '*/', to the first `*/` after the
// opening. Without one, UNTERMINATED_COMMENT: the rest of the file (that rule matches exactly
// the texts without a `*/` that run to the end).
size_t Lexer::Comment() {
  size_t end = at_ + 2;
  if (text_[at_ + 1] == '/') {
    while (end < text_.size() && !IsLineEnd(text_[end])) ++end;
    AdvanceTo(end);
    return TrustLexer::LINE_COMMENT;
  }
  while (end + 1 < text_.size() && !(text_[end] == '*' && text_[end + 1] == '/')) ++end;
  if (end + 1 < text_.size()) {
    AdvanceTo(end + 2);
    return TrustLexer::BLOCK_COMMENT;
  }
  AdvanceTo(text_.size());
  return TrustLexer::UNTERMINATED_COMMENT;
}

void Lexer::AdvanceTo(size_t end) {
  for (; at_ < end; ++at_) {
    if (text_[at_] == '\n') {
      ++line_;
      column_ = 0;
    } else {
      ++column_;
    }
  }
}

}  // namespace trust::parse
