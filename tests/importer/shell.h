// Helpers for the import and pin tests: a temporary directory per test, and running trustc
// with its exit status, stdout and stderr captured.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/support/paths.h"
#include "tests/support/process.h"
#include "tests/support/temp_tree.h"

namespace trust::test {

using Result = ProcessResult;

inline std::string Quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

// The exit status of a shell command line.
inline int Shell(const std::string& command) { return RunShell(command).status; }

// Runs `trustc ARGS` (a shell command line) in `cwd`. `env` is a prefix of VAR=value
// assignments (or a command such as `timeout 20`) for trustc alone.
inline Result Trustc(const std::string& args,
                     const std::filesystem::path& cwd = std::filesystem::current_path(),
                     const std::string& env = "") {
  return RunShell(env + " " + Quoted(test_support::TrustcPath()) + " " + args,
                  {.cwd = cwd.string()});
}

// The example project copied to DIR/original and built into DIR/built at a fixed time.
inline const std::filesystem::path kExample =
    std::filesystem::path(test_support::SourceDir()) / "examples" / "ca-im-scim";

class TempDirTest : public testing::Test {
 protected:
  std::filesystem::path BuildExample() {
    std::filesystem::copy(kExample, tmp_ / "original", std::filesystem::copy_options::recursive);
    Result built =
        Trustc("build main.trust -o ../built --now 2030-01-01T00:00:00Z", tmp_ / "original");
    EXPECT_EQ(built.status, 0) << built.err;
    return tmp_ / "built";
  }

  TempDir temp_{"trustc-import"};
  const std::filesystem::path tmp_ = temp_.path();
};

}  // namespace trust::test
