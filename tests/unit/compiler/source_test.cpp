// Source positions: lines and columns (code points) of byte offsets.
#include "compiler/source/source.h"

#include <gtest/gtest.h>

namespace trust::source {
namespace {

TEST(SourceFile, LocateLf) {
  SourceFile file("a.trust", "ab\ncd\n\nx");
  EXPECT_EQ(file.Locate(0).line, 1u);
  EXPECT_EQ(file.Locate(0).column, 1u);
  EXPECT_EQ(file.Locate(1).column, 2u);
  EXPECT_EQ(file.Locate(2).column, 3u);  // the newline itself
  EXPECT_EQ(file.Locate(3).line, 2u);
  EXPECT_EQ(file.Locate(3).column, 1u);
  EXPECT_EQ(file.Locate(6).line, 3u);
  EXPECT_EQ(file.Locate(7).line, 4u);
  EXPECT_EQ(file.Locate(8).line, 4u);  // end of file
  EXPECT_EQ(file.Locate(8).column, 2u);
}

TEST(SourceFile, LocateCrlf) {
  SourceFile file("a.trust", "ab\r\ncd\r\n");
  EXPECT_EQ(file.Locate(4).line, 2u);
  EXPECT_EQ(file.Locate(4).column, 1u);
  EXPECT_EQ(file.Locate(5).column, 2u);
  EXPECT_EQ(file.Line(1), "ab");
  EXPECT_EQ(file.Line(2), "cd");
}

TEST(SourceFile, ColumnsCountCodePoints) {
  SourceFile file("a.trust", "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x94\x92x\n");  // é € 🔒 x
  EXPECT_EQ(file.Locate(2).column, 2u);
  EXPECT_EQ(file.Locate(5).column, 3u);
  EXPECT_EQ(file.Locate(9).column, 4u);
}

TEST(SourceFile, LinesWithoutBreaks) {
  SourceFile file("a.trust", "one\ntwo\r\nthree");
  EXPECT_EQ(file.Line(1), "one");
  EXPECT_EQ(file.Line(2), "two");
  EXPECT_EQ(file.Line(3), "three");
}

TEST(SourceFile, EmptyFile) {
  SourceFile file("a.trust", "");
  EXPECT_EQ(file.Locate(0).line, 1u);
  EXPECT_EQ(file.Locate(0).column, 1u);
  EXPECT_EQ(file.Line(1), "");
}

TEST(SourceRange, Cover) {
  SourceRange r = Cover({0, 5, 8}, {0, 2, 3});
  EXPECT_EQ(r.begin, 2u);
  EXPECT_EQ(r.end, 8u);
}

TEST(SourceManager, IdsIndexFiles) {
  SourceManager manager;
  FileId a = manager.Add("a.trust", "x");
  FileId b = manager.Add("b.trust", "y");
  EXPECT_NE(a, b);
  EXPECT_EQ(manager.file(b).display_path(), "b.trust");
  EXPECT_EQ(manager.size(), 2u);
}

}  // namespace
}  // namespace trust::source
