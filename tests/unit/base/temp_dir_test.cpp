// A private temporary directory: made 0700 under a name nobody predicts, and gone with all it
// holds (but never what a link inside it points to) when the object goes away.
#include "base/temp_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace trust::base {
namespace {

namespace fs = std::filesystem;

TEST(TempDirTest, IsPrivateAndRemovedWithItsContents) {
  fs::path parent = testing::TempDir();
  std::string error;
  fs::path made;
  {
    TempDir dir = TempDir::Create(parent, "temp-dir-test-", &error);
    ASSERT_TRUE(dir.ok()) << error;
    made = dir.path();
    EXPECT_TRUE(fs::equivalent(made.parent_path(), parent));
    EXPECT_TRUE(made.filename().string().starts_with("temp-dir-test-"));
    struct stat st {};
    ASSERT_EQ(::stat(made.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    fs::create_directories(made / "a" / "b");
    std::ofstream(made / "a" / "b" / "file") << "x";
  }
  EXPECT_FALSE(fs::exists(made));
}

TEST(TempDirTest, LeavesWhatALinkInsidePointsTo) {
  fs::path outside = fs::path(testing::TempDir()) / "temp-dir-test-outside";
  fs::create_directories(outside);
  std::ofstream(outside / "kept") << "x";
  std::string error;
  {
    TempDir dir = TempDir::CreateInTmp("temp-dir-test-", &error);
    ASSERT_TRUE(dir.ok()) << error;
    fs::create_directory_symlink(outside, dir.path() / "link");
  }
  EXPECT_TRUE(fs::exists(outside / "kept"));
  fs::remove_all(outside);
}

TEST(TempDirTest, MovingHandsOverTheDirectory) {
  std::string error;
  TempDir first = TempDir::CreateInTmp("temp-dir-test-", &error);
  ASSERT_TRUE(first.ok()) << error;
  fs::path made = first.path();
  TempDir second = std::move(first);
  EXPECT_FALSE(first.ok());  // NOLINT(bugprone-use-after-move): the moved-from state is the point
  EXPECT_EQ(second.path(), made);
  EXPECT_TRUE(fs::is_directory(made));
}

TEST(TempDirTest, SaysWhyItCouldNotCreateOne) {
  std::string error;
  TempDir dir = TempDir::Create("/nonexistent-parent-of-trustc", "x-", &error);
  EXPECT_FALSE(dir.ok());
  EXPECT_NE(error.find("cannot create a temporary directory in /nonexistent-parent-of-trustc: "),
            std::string::npos)
      << error;
}

}  // namespace
}  // namespace trust::base
