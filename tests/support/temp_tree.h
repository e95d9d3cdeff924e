// Temporary trees for tests: a fresh directory under the test's temporary root (TEST_TMPDIR or
// TMPDIR, as GoogleTest's testing::TempDir() says; never a hard-coded /tmp), removed with
// everything in it, and the few file helpers the tests share.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace trust::test {

// A fresh directory (mode 0700, from mkdtemp) removed by the destructor, even when the test
// took the permissions away from something below it.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "trust-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // The path as a string, for the tests that build paths by concatenation.
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// Writes `bytes` to `path` (creating or truncating).
void WriteFile(const std::filesystem::path& path, const std::string& bytes);
// Writes `bytes` to `path` and gives it `mode`.
void WriteFile(const std::filesystem::path& path, const std::string& bytes, mode_t mode);
// The whole file, or "" when it cannot be read.
std::string ReadFile(const std::filesystem::path& path);
// The names in `dir` (without . and ..), sorted.
std::vector<std::string> DirEntries(const std::filesystem::path& dir);
// The regular files under `dirs` of the checkout (relative to it; one missing is skipped), at any
// depth, whose names end with `extension` ("" for all).
std::vector<std::filesystem::path> RepositoryFiles(const std::vector<std::string>& dirs,
                                                   const std::string& extension = "");

}  // namespace trust::test
