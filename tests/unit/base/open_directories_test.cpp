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
  int real = opened.Add((dir.path() / "real").native());
  ASSERT_GE(real, 0);
  EXPECT_EQ(opened.Add((dir.path() / "real").native()), real);
  EXPECT_EQ(opened.Find((dir.path() / "real").native()), real);
  int linked = opened.Add((dir.path() / "linked").native());
  ASSERT_GE(linked, 0);
  struct stat st {};
  ASSERT_EQ(::fstatat(linked, "file", &st, 0), 0);
  EXPECT_EQ(st.st_size, 5);

  EXPECT_EQ(opened.Add((dir.path() / "missing").native()), -1);
  EXPECT_EQ(opened.Add((dir.path() / "plain-file").native()), -1);
  EXPECT_EQ(opened.Find((dir.path() / "never-added").native()), -1);
}

TEST(OpenDirectoriesTest, SplitsAPathAtItsLastComponent) {
  using Split = std::pair<std::string_view, std::string_view>;
  EXPECT_EQ(SplitLastComponent("certs/a.der"), (Split{"certs", "a.der"}));
  EXPECT_EQ(SplitLastComponent("/w/p/certs/a.der"), (Split{"/w/p/certs", "a.der"}));
  EXPECT_EQ(SplitLastComponent("SHA256SUMS"), (Split{"", "SHA256SUMS"}));
  EXPECT_EQ(SplitLastComponent("/a"), (Split{"/", "a"}));
}

}  // namespace
}  // namespace trust::base
