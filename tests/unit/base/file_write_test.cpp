// WriteAll must carry on after short writes and EINTR, and fail (not spin) when write makes no
// progress; WriteFileAtomically must leave the old file or the new one.
#include "base/file_write.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace trust::base {
namespace {

namespace fs = std::filesystem;

// A writer that writes at most three bytes a call and is interrupted every other call.
int calls = 0;
ssize_t ShortWrites(int fd, const void* data, size_t size) {
  if (++calls % 2 == 0) {
    errno = EINTR;
    return -1;
  }
  return ::write(fd, data, std::min<size_t>(size, 3));
}

ssize_t NoProgress(int, const void*, size_t) { return 0; }

ssize_t DiskFull(int, const void*, size_t) {
  errno = ENOSPC;
  return -1;
}

std::string Drain(int fd) {
  std::string out;
  char buffer[256];
  ssize_t n = 0;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(n));
  return out;
}

TEST(WriteAll, CarriesOnAfterShortAndInterruptedWrites) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  std::string bytes = "a sentence longer than three bytes";
  calls = 0;
  EXPECT_TRUE(WriteAll(pipe_fds[1], bytes, ShortWrites));
  EXPECT_GT(calls, 20);
  ::close(pipe_fds[1]);
  EXPECT_EQ(Drain(pipe_fds[0]), bytes);
  ::close(pipe_fds[0]);
}

TEST(WriteAll, FailsWhenWriteMakesNoProgress) {
  EXPECT_FALSE(WriteAll(-1, "x", NoProgress));
  EXPECT_EQ(errno, EIO);
}

TEST(WriteAll, PassesOnTheError) {
  EXPECT_FALSE(WriteAll(-1, "x", DiskFull));
  EXPECT_EQ(errno, ENOSPC);
}

TEST(WriteAll, WritesNothingForNothing) { EXPECT_TRUE(WriteAll(-1, "", DiskFull)); }

class AtomicWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("base_write_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string Read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

  fs::path dir_;
};

TEST_F(AtomicWriteTest, ReplacesTheFileAndKeepsItsMode) {
  fs::path path = dir_ / "f.trust";
  std::ofstream(path) << "old";
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  std::string error;
  ASSERT_TRUE(WriteFileAtomically(path.string(), "new", &error)) << error;
  EXPECT_EQ(Read(path), "new");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(AtomicWriteTest, ANewFileGetsTheGivenMode) {
  fs::path path = dir_ / "new";
  std::string error;
  ASSERT_TRUE(WriteFileAtomically(path.string(), "x", &error, 0600)) << error;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(AtomicWriteTest, FailsCleanlyWhereNothingCanBeCreated) {
  std::string error;
  EXPECT_FALSE(WriteFileAtomically((dir_ / "no-such-dir" / "f").string(), "x", &error));
  EXPECT_NE(error.find("cannot create a temporary file"), std::string::npos) << error;
}

}  // namespace
}  // namespace trust::base
