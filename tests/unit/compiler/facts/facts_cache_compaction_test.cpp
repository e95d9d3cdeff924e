// Compaction keeps the facts cache bounded: records no build used for `keep_days` go, records
// this build used stay (stamped today), a damaged pack is rebuilt with a warning, and readers
// racing a rewrite see the old pack or the new one, never a torn one.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "compiler/facts/facts_cache.h"
#include "tests/support/paths.h"
#include "tests/support/temp_tree.h"

namespace trust::facts {
namespace {

namespace fs = std::filesystem;

constexpr const char* kProducer = "trustc test";
const char* const kCerts[] = {"root-ca.pem", "leaf.pem", "server-ca.pem", "ca.der"};

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string Cert(const std::string& name) {
  return ReadBytes(fs::path(test_support::SourceDir()) / "tests/golden/certs" / name);
}

class CompactionTest : public testing::Test {
 protected:
  CacheOptions On(uint32_t day) {
    CacheOptions options;
    options.today = day;
    options.warn = [this](const std::string& message) { warnings_.push_back(message); };
    return options;
  }
  // One build on `day` that loads `names`; returns how many it had to decode.
  size_t Build(uint32_t day, std::initializer_list<const char*> names) {
    FactsCache cache(dir_, kProducer, On(day));
    for (const char* name : names) cache.Load(Cert(name));
    return cache.decoded();
  }
  size_t PackSize() { return fs::file_size(dir_ / "certs-v2.pack"); }

  test::TempDir temp_{"trustc-compaction-test"};  // under TMPDIR, removed after the test
  fs::path dir_ = temp_.path();
  std::vector<std::string> warnings_;
};

TEST_F(CompactionTest, RecordsUnusedForLongerThanKeepDaysAreDropped) {
  EXPECT_EQ(Build(1000, {"root-ca.pem", "leaf.pem", "server-ca.pem"}), 3u);
  size_t full = PackSize();
  // 40 days on, a build uses only the root: the other two are stale, most of the pack.
  EXPECT_EQ(Build(1040, {"root-ca.pem"}), 0u);
  EXPECT_LT(PackSize(), full / 2);
  EXPECT_EQ(Build(1040, {"root-ca.pem"}), 0u);                // kept, and still authentic
  EXPECT_EQ(Build(1040, {"leaf.pem", "server-ca.pem"}), 2u);  // dropped
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(CompactionTest, RecordsUsedWithinKeepDaysStayAndUseRefreshesTheStamp) {
  EXPECT_EQ(Build(1000, {"root-ca.pem", "leaf.pem"}), 2u);
  // Day 1010: only the root is used; its stamp is 10 days old (> refresh_days), so the pack
  // is rewritten, the root stamped 1010 and the leaf (10 days, within keep_days) kept.
  EXPECT_EQ(Build(1010, {"root-ca.pem"}), 0u);
  EXPECT_EQ(Build(1010, {"leaf.pem"}), 0u);
  // Day 1035: the leaf was last used on 1010 (kept), the root too: both within 30 days.
  EXPECT_EQ(Build(1035, {"root-ca.pem", "leaf.pem"}), 0u);
  // Day 1060: the root was used on 1035 (25 days), the leaf too: still both there.
  EXPECT_EQ(Build(1060, {"root-ca.pem"}), 0u);
  // Day 1080: the root (used 1060) is refreshed by this build's rewrite; the leaf, last used
  // on 1035, is stale and dropped by it.
  EXPECT_EQ(Build(1080, {"root-ca.pem"}), 0u);
  EXPECT_EQ(Build(1080, {"leaf.pem"}), 1u);
}

TEST_F(CompactionTest, APackOverTheSizeBoundShrinksToHalfOfItKeepingWhatThisBuildUsed) {
  size_t day = 2000;
  for (const char* name : kCerts) Build(static_cast<uint32_t>(day++), {name});
  size_t full = PackSize();
  CacheOptions options = On(static_cast<uint32_t>(day));
  options.compact_at_bytes = full - 1;  // the next flush exceeds the bound
  {
    FactsCache cache(dir_, kProducer, options);
    cache.Load(Cert("ca.der"));       // the newest
    cache.Load(Cert("root-ca.pem"));  // the oldest, but used by this build
    cache.IsSignedBy(
        *std::get<std::shared_ptr<const x509::Certificate>>(cache.Load(Cert("leaf.pem"))),
        *std::get<std::shared_ptr<const x509::Certificate>>(cache.Load(Cert("root-ca.pem"))));
  }
  EXPECT_LE(PackSize(), full);
  // What the build used is all there; the unused server CA (older than ca.der) went first.
  EXPECT_EQ(Build(static_cast<uint32_t>(day), {"ca.der", "root-ca.pem", "leaf.pem"}), 0u);
  EXPECT_EQ(Build(static_cast<uint32_t>(day), {"server-ca.pem"}), 1u);
}

TEST_F(CompactionTest, ACorruptPackIsDiscardedWithAWarningNotAnError) {
  std::ofstream(dir_ / "certs-v2.pack", std::ios::binary) << "\x01\x02 not a pack";
  EXPECT_EQ(Build(1000, {"root-ca.pem"}), 1u);  // loads all the same
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("is damaged"), std::string::npos) << warnings_[0];
  EXPECT_EQ(Build(1000, {"root-ca.pem"}), 0u);
  // A damaged tail: the whole records before it are kept.
  std::ofstream(dir_ / "certs-v2.pack", std::ios::binary | std::ios::app) << "torn";
  EXPECT_EQ(Build(1000, {"leaf.pem"}), 1u);
  ASSERT_EQ(warnings_.size(), 2u);
  EXPECT_NE(warnings_[1].find("damaged record"), std::string::npos) << warnings_[1];
  EXPECT_EQ(Build(1000, {"root-ca.pem", "leaf.pem"}), 0u);
  EXPECT_EQ(warnings_.size(), 2u);
}

TEST_F(CompactionTest, AnOlderFormatIsReplacedWithoutAWarning) {
  std::ofstream(dir_ / "certs-v2.pack", std::ios::binary) << "trustc facts v3\nold records";
  EXPECT_EQ(Build(1000, {"root-ca.pem"}), 1u);
  EXPECT_EQ(Build(1000, {"root-ca.pem"}), 0u);
  EXPECT_TRUE(warnings_.empty());
}

// One thread rewrites the pack again and again (each build refreshes every stamp); readers
// in other threads open it by name meanwhile. Every reader must find every record: a torn or
// half-written pack would make some load a miss.
TEST_F(CompactionTest, AConcurrentReaderNeverSeesATornPack) {
  for (const char* name : kCerts) Build(1, {name});
  std::atomic<bool> done = false;
  std::atomic<int> misses = 0, reads = 0;
  auto reader = [&] {
    while (!done) {
      CacheOptions options;
      options.today = 1;  // nothing to refresh, nothing stale: a reader never writes
      FactsCache cache(dir_, kProducer, options);
      for (const char* name : kCerts) cache.Load(Cert(name));
      misses += static_cast<int>(cache.decoded());
      ++reads;
    }
  };
  std::thread a(reader), b(reader);
  for (uint32_t day = 100; day < 100 + 8 * 60; day += 8) {
    EXPECT_EQ(Build(day, {"root-ca.pem", "leaf.pem", "server-ca.pem", "ca.der"}), 0u);
  }
  done = true;
  a.join();
  b.join();
  EXPECT_GT(reads, 0);
  EXPECT_EQ(misses, 0);
}

}  // namespace
}  // namespace trust::facts
