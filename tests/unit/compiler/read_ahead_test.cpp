// sema::CertificateBytesReadAhead: what the up-to-date check read is taken by certificate loading
// once per file, and never more than the budget is held.
#include <gtest/gtest.h>

#include <string>

#include "compiler/sema/program.h"

namespace trust::sema {
namespace {

TEST(CertificateBytesReadAhead, EachFileIsTakenOnceByItsRealPath) {
  CertificateBytesReadAhead read_ahead;
  read_ahead.Keep("/p/certs/a.der", "a bytes");
  read_ahead.Keep("/p/certs/b.der", "b bytes");
  EXPECT_EQ(read_ahead.Take("/p/certs/b.der"), "b bytes");
  EXPECT_EQ(read_ahead.Take("/p/certs/b.der"), std::nullopt) << "taken already: read it again";
  EXPECT_EQ(read_ahead.Take("/p/certs/./a.der"), std::nullopt) << "not a real path as kept";
  EXPECT_EQ(read_ahead.Take("/p/certs/c.der"), std::nullopt);
  EXPECT_EQ(read_ahead.Take("/p/certs/a.der"), "a bytes");
}

TEST(CertificateBytesReadAhead, WhatPassesTheBudgetIsNotKept) {
  constexpr size_t kBudget = CertificateBytesReadAhead::kBudgetBytes;
  CertificateBytesReadAhead read_ahead;
  read_ahead.Keep("/p/half", std::string(kBudget / 2, 'h'));
  read_ahead.Keep("/p/too-much", std::string(kBudget / 2 + 1, 't'));
  read_ahead.Keep("/p/the-rest", std::string(kBudget / 2, 'r'));
  read_ahead.Keep("/p/one-more", "o");
  EXPECT_EQ(read_ahead.Take("/p/half")->size(), kBudget / 2);
  EXPECT_EQ(read_ahead.Take("/p/too-much"), std::nullopt);
  EXPECT_EQ(read_ahead.Take("/p/the-rest")->size(), kBudget / 2);
  EXPECT_EQ(read_ahead.Take("/p/one-more"), std::nullopt);
}

}  // namespace
}  // namespace trust::sema
