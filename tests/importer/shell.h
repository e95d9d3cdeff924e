// Helpers for the import and pin tests: a temporary directory per test, and running trustc
// with its exit status, stdout and stderr captured.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace trust::test {

struct Result {
  int status = -1;
  std::string out;
  std::string err;
};

inline std::string Quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

inline int Shell(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs `trustc ARGS` in `cwd`; stdout and stderr go through files beside the test's temp dir.
// `env` is a prefix of VAR=value assignments for trustc alone.
inline Result Trustc(const std::string& args,
                     const std::filesystem::path& cwd = std::filesystem::current_path(),
                     const std::string& env = "") {
  std::filesystem::path out =
      std::filesystem::temp_directory_path() / ("trustc-import-test-" + std::to_string(getpid()));
  Result result;
  result.status =
      Shell("cd " + Quoted(cwd) + " && " + env + " " + Quoted(TRUSTC_PATH) + " " + args + " >" +
            Quoted(out.string() + ".out") + " 2>" + Quoted(out.string() + ".err"));
  result.out = ReadFile(out.string() + ".out");
  result.err = ReadFile(out.string() + ".err");
  std::filesystem::remove(out.string() + ".out");
  std::filesystem::remove(out.string() + ".err");
  return result;
}

// The example project copied to DIR/original and built into DIR/built at a fixed time.
inline const std::filesystem::path kExample =
    std::filesystem::path(TRUST_SOURCE_DIR) / "examples" / "ca-im-scim";

class TempDirTest : public testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/trustc-import-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    tmp_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(tmp_); }

  std::filesystem::path BuildExample() {
    std::filesystem::copy(kExample, tmp_ / "original", std::filesystem::copy_options::recursive);
    Result built =
        Trustc("build main.trust -o ../built --now 2030-01-01T00:00:00Z", tmp_ / "original");
    EXPECT_EQ(built.status, 0) << built.err;
    return tmp_ / "built";
  }

  std::filesystem::path tmp_;
};

}  // namespace trust::test
