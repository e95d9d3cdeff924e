// String literals: escapes and interpolation (trust::parse::CookString).
#include <gtest/gtest.h>

#include "compiler/parse/parse.h"

namespace trust::parse {
namespace {

using ast::StrPart;

struct Cooked {
  ast::Str str;
  std::vector<diag::Diagnostic> diagnostics;
};

// `raw` is the text between the quotes; the opening quote sits at byte 10 of file 0.
Cooked Cook(std::string_view raw) {
  diag::Emitter emitter;
  ast::Str str = CookString(raw, 0, 10, emitter);
  return {std::move(str), emitter.diagnostics()};
}

std::string Text(const ast::Str& str) {
  std::string out;
  for (const StrPart& part : str.parts) {
    if (part.kind == StrPart::Kind::kText) out += part.text;
    if (part.kind == StrPart::Kind::kParam) out += "<" + part.text + ">";
    if (part.kind == StrPart::Kind::kEnv) out += "<env:" + part.text + ">";
  }
  return out;
}

TEST(CookString, PlainText) {
  Cooked c = Cook("certs/root.pem");
  EXPECT_TRUE(c.diagnostics.empty());
  ASSERT_EQ(c.str.parts.size(), 1u);
  EXPECT_EQ(c.str.parts[0].text, "certs/root.pem");
  EXPECT_EQ(c.str.Raw(), "certs/root.pem");
  EXPECT_EQ(c.str.range.begin, 10u);
  EXPECT_EQ(c.str.range.end, 10u + 14 + 2);  // with both quotes
  EXPECT_EQ(c.str.parts[0].range.begin, 11u);
}

TEST(CookString, EmptyHasNoParts) {
  Cooked c = Cook("");
  EXPECT_TRUE(c.diagnostics.empty());
  EXPECT_TRUE(c.str.parts.empty());
  EXPECT_EQ(c.str.Raw(), "");
}

// Raw() is the text as written whether or not the string holds it apart from its parts.
TEST(CookString, RawIsTheTextAsWritten) {
  for (std::string_view raw :
       {R"(a\nb)", "$$", "x${p}", "${env:HOME}", R"(\u{41})", "a$$b", "plain", "a b"}) {
    Cooked c = Cook(raw);
    EXPECT_TRUE(c.diagnostics.empty()) << raw;
    EXPECT_EQ(c.str.Raw(), raw);
    ast::Str copy = c.str;
    EXPECT_EQ(copy.Raw(), raw);
  }
}

TEST(CookString, Escapes) {
  Cooked c = Cook(R"(a\\b\"c\nd\te)");
  EXPECT_TRUE(c.diagnostics.empty());
  EXPECT_EQ(Text(c.str), "a\\b\"c\nd\te");
}

TEST(CookString, UnicodeEscapes) {
  Cooked c = Cook(R"(\u{41}\u{e9}\u{20AC}\u{1F512}\u{10FFFF}\u{0})");
  EXPECT_TRUE(c.diagnostics.empty());
  EXPECT_EQ(Text(c.str), std::string("A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x94\x92\xF4\x8F\xBF\xBF") +
                             std::string(1, '\0'));
}

TEST(CookString, BadEscapes) {
  struct Case {
    const char* raw;
    uint32_t begin, end;  // expected range, relative to the first character
  } cases[] = {
      {R"(x\q)", 1, 3},  {R"(\u{110000})", 0, 10}, {R"(\u{D800})", 0, 8}, {R"(\u{1234567})", 0, 11},
      {R"(\u{})", 0, 4}, {R"(\u41)", 0, 2},        {R"(\u{41)", 0, 5},    {"ab\\", 2, 3},
  };
  for (const Case& k : cases) {
    Cooked c = Cook(k.raw);
    ASSERT_EQ(c.diagnostics.size(), 1u) << k.raw;
    EXPECT_EQ(c.diagnostics[0].kind, diag::Kind::bad_escape) << k.raw;
    EXPECT_EQ(c.diagnostics[0].range.begin, 11 + k.begin) << k.raw;
    EXPECT_EQ(c.diagnostics[0].range.end, 11 + k.end) << k.raw;
  }
}

TEST(CookString, DollarDollarIsLiteral) {
  Cooked c = Cook("costs $$5 and $${x}");
  EXPECT_TRUE(c.diagnostics.empty());
  ASSERT_EQ(c.str.parts.size(), 1u);
  EXPECT_EQ(c.str.parts[0].text, "costs $5 and ${x}");
}

TEST(CookString, Interpolations) {
  Cooked c = Cook("certs/${stage}/${mod.dir}:${env:PORT}!");
  EXPECT_TRUE(c.diagnostics.empty());
  EXPECT_EQ(Text(c.str), "certs/<stage>/<mod.dir>:<env:PORT>!");
  ASSERT_EQ(c.str.parts.size(), 7u);
  EXPECT_EQ(c.str.parts[1].kind, StrPart::Kind::kParam);
  EXPECT_EQ(c.str.parts[1].range.begin, 11u + 6);
  EXPECT_EQ(c.str.parts[1].range.end, 11u + 14);
  EXPECT_EQ(c.str.parts[5].kind, StrPart::Kind::kEnv);
  EXPECT_EQ(c.str.parts[5].text, "PORT");
}

TEST(CookString, BadInterpolations) {
  struct Case {
    const char* raw;
    uint32_t begin, end;
  } cases[] = {
      {"a $ b", 2, 3},    {"end $", 4, 5}, {"${x", 0, 3},    {"${}", 0, 3},       {"${env:}", 0, 7},
      {"${a.b.c}", 0, 8}, {"${1x}", 0, 5}, {"${a-b}", 0, 6}, {"${env:1A}", 0, 9}, {"$x", 0, 1},
  };
  for (const Case& k : cases) {
    Cooked c = Cook(k.raw);
    ASSERT_EQ(c.diagnostics.size(), 1u) << k.raw;
    EXPECT_EQ(c.diagnostics[0].kind, diag::Kind::bad_interpolation) << k.raw;
    EXPECT_EQ(c.diagnostics[0].range.begin, 11 + k.begin) << k.raw;
    EXPECT_EQ(c.diagnostics[0].range.end, 11 + k.end) << k.raw;
  }
}

TEST(CookString, SeveralErrorsInOneString) {
  Cooked c = Cook(R"(\q $ \u{FFFFFF} ${)");
  ASSERT_EQ(c.diagnostics.size(), 4u);
  EXPECT_EQ(c.diagnostics[0].kind, diag::Kind::bad_escape);
  EXPECT_EQ(c.diagnostics[1].kind, diag::Kind::bad_interpolation);
  EXPECT_EQ(c.diagnostics[2].kind, diag::Kind::bad_escape);
  EXPECT_EQ(c.diagnostics[3].kind, diag::Kind::bad_interpolation);
}

TEST(CookString, MultiByteTextKeepsByteRanges) {
  Cooked c = Cook("\xC3\xA9${p}");
  EXPECT_TRUE(c.diagnostics.empty());
  ASSERT_EQ(c.str.parts.size(), 2u);
  EXPECT_EQ(c.str.parts[1].range.begin, 11u + 2);
}

}  // namespace
}  // namespace trust::parse
