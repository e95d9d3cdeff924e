#include "tests/support/temp_tree.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/support/paths.h"

namespace trust::test {
namespace fs = std::filesystem;
namespace {

// Gives the owner access to `dir` and every directory below it again, so that remove_all can
// empty them: some tests take permissions away on purpose.
void RestoreOwnerAccess(const fs::path& dir) {
  std::error_code ignored;
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::add, ignored);
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ignored)) {
    if (entry.is_directory(ignored) && !entry.is_symlink(ignored)) {
      RestoreOwnerAccess(entry.path());
    }
  }
}

}  // namespace

TempDir::TempDir(const std::string& prefix) {
  std::string pattern = (fs::path(::testing::TempDir()) / (prefix + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed under " + ::testing::TempDir());
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  RestoreOwnerAccess(path_);
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

void WriteFile(const fs::path& path, const std::string& bytes, mode_t mode) {
  WriteFile(path, bytes);
  chmod(path.c_str(), mode);
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::vector<std::string> DirEntries(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ignored;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ignored)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<fs::path> RepositoryFiles(const std::vector<std::string>& dirs,
                                      const std::string& extension) {
  std::vector<fs::path> files;
  for (const std::string& dir : dirs) {
    fs::path root = fs::path(test_support::SourceDir()) / dir;
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.is_regular_file() && entry.path().string().ends_with(extension)) {
        files.push_back(entry.path());
      }
    }
  }
  return files;
}

}  // namespace trust::test
