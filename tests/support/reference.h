// The real gateway exports, schemas and CRDs live beside the checkout, in
// ../shared/reference; they are not part of the repository. A newcomer's clone has none of
// them: the tests that need them skip and say so. Under CI (env CI set) they must be there,
// so their absence fails the test instead of passing it vacuously.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "tests/support/paths.h"

namespace trust::test {

// ../shared/reference/<part> beside the source tree.
inline std::filesystem::path ReferencePath(const std::filesystem::path& part) {
  return std::filesystem::path(test_support::SourceDir()) / ".." / "shared" / "reference" / part;
}

inline bool RunningUnderCi() { return std::getenv("CI") != nullptr; }

}  // namespace trust::test

// Skips the test (fails it under CI) when `path` does not exist. A macro: GTEST_SKIP and FAIL
// return from the test body itself.
#define REQUIRE_REFERENCE(path)                                                              \
  if (!std::filesystem::exists(path)) {                                                      \
    if (::trust::test::RunningUnderCi()) {                                                   \
      FAIL() << "CI is set and the reference material is missing: " << (path);               \
    }                                                                                        \
    GTEST_SKIP() << "no reference material at " << (path) << " (a clone without ../shared)"; \
  }
