// base::AllHold: the answer of a sequential all_of, whatever the number of threads, with every
// index asked at most once and none asked once one answer was false (one thread: none after it).
#include "base/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace trust::base {
namespace {

TEST(AllHold, AnswersAsAllOfDoesWithAnyNumberOfThreads) {
  for (size_t threads : {1, 2, 4, 16}) {
    SCOPED_TRACE(threads);
    std::vector<std::atomic<int>> asked(1000);
    EXPECT_TRUE(AllHold(asked.size(), threads, [&](size_t i) {
      ++asked[i];
      return true;
    }));
    for (const std::atomic<int>& count : asked) EXPECT_EQ(count.load(), 1);
    EXPECT_FALSE(AllHold(1000, threads, [](size_t i) { return i != 999; }));
    EXPECT_TRUE(AllHold(0, threads, [](size_t) { return false; }));
  }
}

TEST(AllHold, OneThreadStopsAtTheFirstFalse) {
  size_t last = 0;
  EXPECT_FALSE(AllHold(100, 1, [&](size_t i) {
    last = i;
    return i < 3;
  }));
  EXPECT_EQ(last, 3u);
  EXPECT_GE(FileCheckThreads(), 1u);
  EXPECT_LE(FileCheckThreads(), 4u);
}

}  // namespace
}  // namespace trust::base
