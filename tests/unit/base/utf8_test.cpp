// Strict UTF-8 at the edges: the shortest and longest form of each length, overlong forms,
// surrogates, code points past U+10FFFF, stray continuation bytes and cut sequences.
#include "base/utf8.h"

#include <gtest/gtest.h>

namespace trust::base {
namespace {

char32_t Decode(std::string_view text, size_t* length) {
  char32_t code_point = 0;
  *length = DecodeUtf8At(text, 0, &code_point);
  return code_point;
}

TEST(Utf8, DecodesEachLengthAtItsBounds) {
  size_t length = 0;
  EXPECT_EQ(Decode("\x7F", &length), 0x7Fu);
  EXPECT_EQ(length, 1u);
  EXPECT_EQ(Decode("\xC2\x80", &length), 0x80u);
  EXPECT_EQ(length, 2u);
  EXPECT_EQ(Decode("\xDF\xBF", &length), 0x7FFu);
  EXPECT_EQ(length, 2u);
  EXPECT_EQ(Decode("\xE0\xA0\x80", &length), 0x800u);
  EXPECT_EQ(length, 3u);
  EXPECT_EQ(Decode("\xEF\xBF\xBF", &length), 0xFFFFu);
  EXPECT_EQ(length, 3u);
  EXPECT_EQ(Decode("\xF0\x90\x80\x80", &length), 0x10000u);
  EXPECT_EQ(length, 4u);
  EXPECT_EQ(Decode("\xF4\x8F\xBF\xBF", &length), 0x10FFFFu);
  EXPECT_EQ(length, 4u);
}

TEST(Utf8, RefusesWhatIsNotStrictUtf8) {
  for (std::string_view bad :
       {"\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xF0\x80\x80\xAF",  // overlong
        "\xED\xA0\x80", "\xED\xBF\xBF",                              // surrogates
        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",                      // > U+10FFFF
        "\x80", "\xBF",                                              // continuation
        "\xC3", "\xE2\x82", "\xF0\x9F\x94",                          // cut short
        "\xC3\x28", "\xFF"}) {
    EXPECT_EQ(Utf8SequenceAt(bad, 0), 0u) << testing::PrintToString(bad);
    EXPECT_FALSE(IsValidUtf8(bad)) << testing::PrintToString(bad);
  }
  EXPECT_EQ(Utf8SequenceAt("a", 1), 0u);  // past the end
}

TEST(Utf8, FindsTheFirstBadByte) {
  EXPECT_EQ(FindInvalidUtf8(""), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("caf\xC3\xA9 \xF0\x9F\x94\x92"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xC3\xA9\xFFz"), 4u);
}

TEST(Utf8, CountsCodePoints) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("\xC3\xA9\xF0\x9F\x94\x92"), 2u);
  EXPECT_EQ(CountCodePoints("\xFF\xFE"), 2u);  // invalid bytes count one each
}

TEST(Utf8, EncodingRoundTrips) {
  for (char32_t code_point : {0x0u, 0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xFFFDu, 0x10000u, 0x10FFFFu}) {
    std::string encoded;
    AppendUtf8(encoded, code_point);
    char32_t decoded = 0;
    ASSERT_EQ(DecodeUtf8At(encoded, 0, &decoded), encoded.size());
    EXPECT_EQ(decoded, code_point);
  }
}

}  // namespace
}  // namespace trust::base
