#include "base/byte_sink.h"

#include <gtest/gtest.h>

namespace trust::base {
namespace {

std::string Through(std::initializer_list<std::string_view> writes, bool finish = true) {
  std::string out;
  StringSink sink(out);
  TrailingNewlines trimmed(sink);
  for (std::string_view piece : writes) trimmed.Write(piece);
  if (finish) trimmed.Finish();
  return out;
}

TEST(TrailingNewlines, EndsInExactlyOneNewline) {
  EXPECT_EQ(Through({"<a/>"}), "<a/>\n");
  EXPECT_EQ(Through({"<a/>\n"}), "<a/>\n");
  EXPECT_EQ(Through({"<a/>", "\n", "\n\n"}), "<a/>\n");
  EXPECT_EQ(Through({}), "\n");
}

TEST(TrailingNewlines, KeepsNewlinesThatMoreTextFollows) {
  EXPECT_EQ(Through({"a\n", "\n", "b"}), "a\n\nb\n");
  EXPECT_EQ(Through({"a\n\nb\n\n"}), "a\n\nb\n");
  EXPECT_EQ(Through({"\n", "a"}), "\na\n");
}

TEST(TrailingNewlines, HoldsBackOnlyTheTrailingRunUntilFinish) {
  EXPECT_EQ(Through({"a\n\n"}, /*finish=*/false), "a");
  EXPECT_EQ(Through({"a\nb\n"}, /*finish=*/false), "a\nb");
}

}  // namespace
}  // namespace trust::base
