// The spill must give back exactly what was stored, wherever it is (still buffered or written),
// leave no name behind, and fail loudly rather than give wrong bytes.
#include "compiler/facts/der_spill.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/temp_tree.h"

namespace trust::facts {
namespace {

namespace fs = std::filesystem;

class DerSpillTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_fd_ = ::open(temp_.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_GE(dir_fd_, 0);
  }
  void TearDown() override { ::close(dir_fd_); }

  test::TempDir temp_{"trustc-spill-test"};
  int dir_fd_ = -1;
};

std::string Bytes(size_t size, int seed) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 31 + seed) & 0xff);
  return bytes;
}

TEST_F(DerSpillTest, GivesBackWhatWasStoredBufferedOrWritten) {
  std::shared_ptr<DerSpill> spill = DerSpill::Open(dir_fd_);
  ASSERT_NE(spill, nullptr);
  // About 3 MiB in all: the first entries are written to the file, the last still buffered.
  std::vector<std::pair<uint64_t, std::string>> stored;
  for (int i = 0; i < 3000; ++i) {
    std::string der = Bytes(700 + static_cast<size_t>(i % 500), i);
    std::optional<uint64_t> at = spill->Append(der);
    ASSERT_TRUE(at.has_value());
    stored.emplace_back(*at, der);
  }
  for (const auto& [at, der] : stored) {
    std::vector<uint8_t> back = spill->Read(at, static_cast<uint32_t>(der.size()));
    ASSERT_EQ(std::string(back.begin(), back.end()), der) << "at " << at;
  }
}

// Bundles are lowered by several threads, each reading thousands of certificates back while
// others may still be stored: reads of written bytes take no lock, and must still give back
// exactly what was stored, wherever each read lands.
TEST_F(DerSpillTest, ReadsFromSeveralThreadsWhileStoringGiveBackWhatWasStored) {
  std::shared_ptr<DerSpill> spill = DerSpill::Open(dir_fd_);
  ASSERT_NE(spill, nullptr);
  constexpr int kFirst = 2000;  // about 2 MiB: past the buffer before the readers start
  constexpr int kMore = 2000;
  std::vector<std::pair<uint64_t, std::string>> stored(kFirst + kMore);
  for (int i = 0; i < kFirst; ++i) {
    stored[i].second = Bytes(700 + static_cast<size_t>(i % 500), i);
    stored[i].first = spill->Append(stored[i].second).value();
  }
  std::atomic<int> wrong{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        for (int i = t; i < kFirst; i += 4) {
          const auto& [at, der] = stored[i];
          std::vector<uint8_t> back = spill->Read(at, static_cast<uint32_t>(der.size()));
          if (std::string(back.begin(), back.end()) != der) ++wrong;
        }
      }
    });
  }
  for (int i = kFirst; i < kFirst + kMore; ++i) {  // stored meanwhile, written in between
    stored[i].second = Bytes(700 + static_cast<size_t>(i % 500), i);
    stored[i].first = spill->Append(stored[i].second).value();
  }
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(wrong, 0);
  for (const auto& [at, der] : stored) {
    std::vector<uint8_t> back = spill->Read(at, static_cast<uint32_t>(der.size()));
    ASSERT_EQ(std::string(back.begin(), back.end()), der) << "at " << at;
  }
}

TEST_F(DerSpillTest, LeavesNothingInTheDirectory) {
  std::shared_ptr<DerSpill> spill = DerSpill::Open(dir_fd_);
  ASSERT_NE(spill, nullptr);
  ASSERT_TRUE(spill->Append(Bytes(2 << 20, 1)).has_value());
  ASSERT_TRUE(spill->Append(Bytes(10, 2)).has_value());  // writes the first to the file
  EXPECT_TRUE(fs::is_empty(temp_.path()));
}

TEST_F(DerSpillTest, BytesNeverStoredAreAnErrorNotAGuess) {
  std::shared_ptr<DerSpill> spill = DerSpill::Open(dir_fd_);
  ASSERT_NE(spill, nullptr);
  uint64_t at = *spill->Append(Bytes(100, 3));
  EXPECT_THROW(spill->Read(at, 101), x509::DerUnavailable);
  ASSERT_TRUE(spill->Append(Bytes(2 << 20, 4)).has_value());  // the first is now in the file
  EXPECT_THROW(spill->Read(at + 50, 100), x509::DerUnavailable) << "past the end of the file";
  EXPECT_EQ(spill->Read(at, 100).size(), 100u);
}

TEST_F(DerSpillTest, NoDirectoryMeansNoSpill) { EXPECT_EQ(DerSpill::Open(-1), nullptr); }

}  // namespace
}  // namespace trust::facts
