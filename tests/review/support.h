// Shared helpers of the review tests: reading files, golden sidecars with an update mode
// (TRUST_UPDATE_GOLDEN=1 rewrites them), compiling a program at the golden build time, running
// the trustc binary (tests/support does the running and the temporary directories).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "compiler/driver/pipeline.h"
#include "tests/support/paths.h"
#include "tests/support/process.h"
#include "tests/support/temp_tree.h"

namespace trust::review_test {

namespace fs = std::filesystem;

// 2027-01-15T00:00:00Z, the build time of the golden tests.
inline constexpr int64_t kNow = 1799971200;

inline fs::path SourceDir() { return fs::path(test_support::SourceDir()); }
inline fs::path ReviewDir() { return SourceDir() / "tests" / "review"; }

inline std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

inline bool Updating() {
  const char* update = std::getenv("TRUST_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

inline void ExpectGolden(const fs::path& sidecar, const std::string& actual) {
  if (Updating()) return WriteText(sidecar, actual);
  ASSERT_TRUE(fs::exists(sidecar)) << sidecar << " is missing (TRUST_UPDATE_GOLDEN=1 writes it)";
  EXPECT_EQ(ReadText(sidecar), actual)
      << "golden mismatch: " << sidecar.string() << " (TRUST_UPDATE_GOLDEN=1 rewrites it)";
}

// Compiles `root` (relative to `dir`, which becomes the working directory, so that paths in
// diagnostics and explanations are short and stable).
inline std::unique_ptr<driver::Compilation> CompileIn(const fs::path& dir,
                                                      const std::string& root) {
  fs::current_path(dir);
  driver::CompileOptions options;
  options.root_path = root;
  options.build_time = kNow;
  options.list_artifacts = true;  // `diff` compares them, as the command does
  return driver::Compile(options);
}

using test::TempDir;

// Runs trustc with `args` (a shell command line) in `cwd`; stdout is captured, stderr is
// merged into it when `keep_stderr`.
inline test::ProcessResult Trustc(const std::string& args, const fs::path& cwd,
                                  bool keep_stderr = false) {
  std::string command =
      "'" + std::string(test_support::TrustcPath()) + "' " + args + (keep_stderr ? " 2>&1" : "");
  return test::RunShell(command, {.env = {"NO_COLOR=1"}, .cwd = cwd.string()});
}

}  // namespace trust::review_test
