// Directories opened once: each Add opens a directory one time (following a link to it, as a
// walk of the whole path would), Find gives that descriptor back, and what cannot be opened is
// -1, for the caller's whole-path way.
#include "base/open_directories.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "base/temp_dir.h"

namespace trust::base {
namespace {

namespace fs = std::filesystem;

TEST(OpenDirectoriesTest, OpensEachDirectoryOnceAndFollowsALinkToIt) {
  std::string error;
  TempDir dir = TempDir::Create(testing::TempDir(), "open-directories-test-", &error);
  ASSERT_TRUE(dir.ok()) << error;
  fs::create_directories(dir.path() / "real");
  std::ofstream(dir.path() / "real" / "file") << "bytes";
  fs::create_directory_symlink("real", dir.path() / "linked");
  std::ofstream(dir.path() / "plain-file") << "x";

  OpenDirectories opened;
  int real = opened.Add(dir.path() / "real");
  ASSERT_GE(real, 0);
  EXPECT_EQ(opened.Add(dir.path() / "real"), real);
  EXPECT_EQ(opened.Find(dir.path() / "real"), real);
  int linked = opened.Add(dir.path() / "linked");
  ASSERT_GE(linked, 0);
  struct stat st {};
  ASSERT_EQ(::fstatat(linked, "file", &st, 0), 0);
  EXPECT_EQ(st.st_size, 5);

  EXPECT_EQ(opened.Add(dir.path() / "missing"), -1);
  EXPECT_EQ(opened.Add(dir.path() / "plain-file"), -1);
  EXPECT_EQ(opened.Find(dir.path() / "never-added"), -1);
}

}  // namespace
}  // namespace trust::base
