// The hand-written lexer gives exactly the tokens of ANTLR's lexer generated from
// grammar/TrustLexer.g4: on every source of the repository, the parser fuzz target's corpus and
// regressions, and texts at the edges of each rule.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "base/utf8.h"
#include "tests/support/lexer_check.h"
#include "tests/support/temp_tree.h"

namespace trust::test {
namespace {

namespace fs = std::filesystem;

TEST(Lexer, EverySourceOfTheRepositoryLexesAsAntlrLexesIt) {
  std::vector<fs::path> files = RepositoryFiles(
      {"examples", "stdlib", "tests/golden", "tests/cli", "tests/review"}, ".trust");
  ASSERT_GT(files.size(), 50u);
  for (const fs::path& file : files) {
    std::string text = ReadFile(file);
    if (base::FindInvalidUtf8(text) != std::string::npos) continue;  // a test of that error
    EXPECT_EQ(CompareLexers(text), "") << file;
  }
}

// What the fuzzer found interesting (only valid UTF-8 reaches a lexer: the parser checks first).
TEST(Lexer, TheParserFuzzCorpusLexesAsAntlrLexesIt) {
  std::vector<fs::path> files =
      RepositoryFiles({"tests/fuzz/corpus/fuzz_parse", "tests/fuzz/regressions/fuzz_parse"});
  ASSERT_GT(files.size(), 10u);
  size_t compared = 0;
  for (const fs::path& file : files) {
    std::string text = ReadFile(file);
    if (base::FindInvalidUtf8(text) != std::string::npos) continue;
    EXPECT_EQ(CompareLexers(text), "") << file;
    ++compared;
  }
  EXPECT_GT(compared, 10u);
}

TEST(Lexer, EachRuleAtItsEdgesLexesAsAntlrLexesIt) {
  const std::vector<std::string> texts = {
      "",
      " \t\r\n",
      "cert certs c_1 _x x509 sha256 pkcs12 X509 continue_on_unavailable",
      "identity_provider_ a_very_long_name_that_is_longer_than_any_keyword_of_the_language",
      "0 12 12d 12dx 5days 0d 007 12.5 1_000",
      "{}.,= ;:@#$%^&*()[]!?<>+-~`|'",
      "\"\" \"a\" \"a\\\"b\" \"a\\\\\" \"${p} $$ \\u{1F600}\"",
      "\"open",
      "\"open\\",
      "\"open\\\nnext",
      "\"open\\\r\nnext",
      "\"a\\\"",
      "\"",
      "\"tab\there\"\"two\"",
      "// line\r\nx // end",
      "//",
      "/* block */x/**/y/***/z/* a * b / c **/",
      "/* nested /* */ */",
      "/*",
      "/*/",
      "/* never closed *",
      "/* never closed **",
      "/ x /",
      "a/b",
      "\xEF\xBB\xBF" + std::string("cert\xEF\xBB\xBFx"),  // a mark first, and one inside
      "r\xC3\xB6\xC3\xB6t caf\xC3\xA9 \xF0\x9F\x98\x80 \xE2\x80\x8B",
      std::string("nul\0here", 8),
      "\x0c\x0b",
      "line1\nline2\r\nline3\rline4\n\n  \"s\"",
      "template trust t { allow rule because \"x\" }",
  };
  for (const std::string& text : texts) {
    EXPECT_EQ(CompareLexers(text), "") << "text: " << text;
  }
}

}  // namespace
}  // namespace trust::test
