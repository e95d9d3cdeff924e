// parse::LexicalForm: two texts with the same form must lex alike, and every difference the
// lexer sees must show in the form (the up-to-date check of `trustc build` depends on both).
#include "compiler/parse/lexical_form.h"

#include <gtest/gtest.h>

namespace trust::parse {
namespace {

TEST(LexicalForm, BlanksCommentsAndByteOrderMarksAreOneSpace) {
  EXPECT_EQ(LexicalForm("cert a {\n  file \"x.pem\"  // where\n}\n"), "cert a { file \"x.pem\" }");
  EXPECT_EQ(LexicalForm("\xEF\xBB\xBF  cert/* old */a\r\n{\t}"), "cert a { }");
  EXPECT_EQ(LexicalForm("a/**/b"), "a b");  // a comment separates tokens as a blank does
  EXPECT_EQ(LexicalForm("a/*x*/ /*y*/b"), "a b");
  EXPECT_EQ(LexicalForm("// only a comment\n"), "");
}

TEST(LexicalForm, WhatTheLexerSeesIsKept) {
  // Token boundaries: `30d` is a DURATION, `30 d` an INT and an ID.
  EXPECT_NE(LexicalForm("warn_within 30d"), LexicalForm("warn_within 30 d"));
  EXPECT_NE(LexicalForm("ab"), LexicalForm("a b"));
  // String literals byte for byte, comment markers and blanks inside them included.
  EXPECT_EQ(LexicalForm("name \"a  // b /* c */\""), "name \"a  // b /* c */\"");
  EXPECT_NE(LexicalForm("name \"a  b\""), LexicalForm("name \"a b\""));
  // An escaped quote does not end a string; a line end does (the lexer's rule).
  EXPECT_EQ(LexicalForm("\"a\\\" // b\" c"), "\"a\\\" // b\" c");
  // A lone slash is a character the lexer rejects, kept as it is.
  EXPECT_EQ(LexicalForm("a / b"), "a / b");
}

TEST(LexicalForm, UnterminatedStringsAndCommentsNeverMatchCleanText) {
  std::string open_string = LexicalForm("name \"abc\n x\"");
  EXPECT_NE(open_string, LexicalForm("name \"abc x\""));
  EXPECT_NE(open_string.find("unterminated"), std::string::npos);
  std::string open_comment = LexicalForm("cert a { } /* never closed");
  EXPECT_NE(open_comment, LexicalForm("cert a { }"));
  EXPECT_NE(open_comment.find("unterminated"), std::string::npos);
}

}  // namespace
}  // namespace trust::parse
