// LSP coordinates: UTF-16 positions and file URIs.
#include "compiler/lsp/text.h"

#include <gtest/gtest.h>

namespace trust::lsp {
namespace {

TEST(LspText, PositionsCountUtf16CodeUnits) {
  std::string text = "ab\n\xC3\xA9x\xF0\x9F\x98\x80y\r\nz";  // é is 1 unit, 😀 is 2
  EXPECT_EQ(OffsetToPosition(text, 3).character, 0u);
  EXPECT_EQ(OffsetToPosition(text, 5).line, 1u);
  EXPECT_EQ(OffsetToPosition(text, 5).character, 1u);
  EXPECT_EQ(OffsetToPosition(text, 10).character, 4u);  // after the emoji
  EXPECT_EQ(PositionToOffset(text, {1, 4}), 10u);
  EXPECT_EQ(PositionToOffset(text, {1, 99}), 11u);  // clamps before "\r\n"
  EXPECT_EQ(PositionToOffset(text, {7, 0}), text.size());
  EXPECT_EQ(EndPosition(text).line, 2u);
}

TEST(LspText, FileUrisRoundTrip) {
  EXPECT_EQ(PathToUri("/a b/c#d.trust"), "file:///a%20b/c%23d.trust");
  EXPECT_EQ(UriToPath("file:///a%20b/c%23d.trust"), "/a b/c#d.trust");
  EXPECT_EQ(UriToPath("untitled:Untitled-1"), "");
}

}  // namespace
}  // namespace trust::lsp
