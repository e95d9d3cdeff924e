// The bounded reader refuses what is not a regular file at once (a FIFO with no writer would
// block a plain open forever) and never returns more than its limit.
#include "base/file_read.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace trust::base {
namespace {

namespace fs = std::filesystem;

class FileReadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("base_read_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& bytes) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  fs::path dir_;
};

TEST_F(FileReadTest, ReadsARegularFileWhole) {
  std::string path = Write("a", std::string("x\0y", 3));
  std::string reason;
  std::optional<std::string> text = ReadRegularFile(path, 3, &reason);
  ASSERT_TRUE(text) << reason;
  EXPECT_EQ(*text, std::string("x\0y", 3));
}

// A file that holds more than fstat says (it grew, or it is in /proc, which says 0) is read on
// to its end, and the limit holds for what is read.
TEST_F(FileReadTest, ReadsAFileLongerThanFstatSays) {
  std::string reason;
  std::optional<std::string> status = ReadRegularFile("/proc/self/status", 1 << 20, &reason);
  ASSERT_TRUE(status) << reason;
  EXPECT_TRUE(status->starts_with("Name:")) << *status;
  EXPECT_GT(status->size(), 4096u / 8);
  ReadFailure failure;
  EXPECT_FALSE(ReadRegularFile("/proc/self/status", 10, &failure));
  EXPECT_EQ(failure.problem, ReadProblem::kTooLarge);
}

TEST_F(FileReadTest, ReadsAnEmptyFile) {
  std::string reason;
  EXPECT_EQ(ReadRegularFile(Write("empty", ""), 0, &reason).value_or("failed"), "");
}

TEST_F(FileReadTest, RefusesAFileOverTheLimit) {
  std::string path = Write("big", "12345");
  ReadFailure failure;
  EXPECT_FALSE(ReadRegularFile(path, 4, &failure));
  EXPECT_EQ(failure.problem, ReadProblem::kTooLarge);
  EXPECT_EQ(Describe(failure), "is larger than the limit of 4 bytes");
}

TEST_F(FileReadTest, RefusesAFifoWithoutBlocking) {
  std::string path = (dir_ / "fifo").string();
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  auto start = std::chrono::steady_clock::now();
  std::string reason;
  EXPECT_FALSE(ReadRegularFile(path, 100, &reason));
  EXPECT_EQ(reason, "is not a regular file");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(FileReadTest, RefusesADirectory) {
  std::string reason;
  EXPECT_FALSE(ReadRegularFile(dir_.string(), 100, &reason));
  EXPECT_EQ(reason, "is a directory");
}

TEST_F(FileReadTest, RefusesASymlinkOnlyWhenAsked) {
  std::string target = Write("target", "ok");
  std::string link = (dir_ / "link").string();
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  std::string reason;
  EXPECT_EQ(ReadRegularFile(link, 10, &reason, Links::kFollow), "ok");
  ReadFailure failure;
  EXPECT_FALSE(ReadRegularFile(link, 10, &failure, Links::kRefuse));
  EXPECT_EQ(failure.problem, ReadProblem::kOpen);
  EXPECT_EQ(failure.error_number, ELOOP);
}

TEST_F(FileReadTest, NamesAMissingFileInLowerCase) {
  std::string reason;
  EXPECT_FALSE(ReadRegularFile((dir_ / "missing").string(), 10, &reason));
  EXPECT_EQ(reason, "no such file or directory");
}

TEST_F(FileReadTest, ReportsWhatFstatSawForAnOpenFile) {
  std::string path = Write("open", "abc");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  struct stat st {};
  ReadFailure failure;
  std::optional<std::string> text = ReadOpenRegularFile(fd, 10, &failure, &st);
  ::close(fd);
  EXPECT_EQ(text, "abc");
  EXPECT_EQ(st.st_size, 3);
}

}  // namespace
}  // namespace trust::base
