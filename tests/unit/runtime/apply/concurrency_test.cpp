// Two trust-apply processes with different manifests on the same keystore, started together,
// again and again: both exit 0 and both sets of entries are always there at the end (the
// flock serializes them; the second re-reads the file the first wrote). Half of the rounds
// start without the keystore, so both race to create it.
//
// TRUST_APPLY_CONCURRENCY_RUNS sets the rounds per format (default 30; 200 under the `slow`
// CTest label).
#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <set>

#include "runtime/keystore/keystore.h"
#include "tests/support/process.h"
#include "tests/support/store_format_param.h"
#include "tests/unit/runtime/apply/apply_fixture.h"

namespace trust::test {
namespace {

using manifest::Format;

int Rounds() {
  const char* v = getenv("TRUST_APPLY_CONCURRENCY_RUNS");
  return v != nullptr ? std::max(1, atoi(v)) : 30;
}

class ConcurrencyTest : public ApplyFixture, public ::testing::WithParamInterface<Format> {};

TEST_P(ConcurrencyTest, TwoAppliersBothLand) {
  TestCert base = MakeCert("Base");
  std::vector<std::string> manifests;
  std::set<std::string> wanted = {base.cert->facts().sha256};
  for (int i = 0; i < 2; ++i) {
    manifest::Manifest m = BaseManifest(GetParam());
    for (int k = 0; k < 3; ++k) {
      std::string alias = "t" + std::to_string(i) + "_" + std::to_string(k);
      TestCert cert = MakeCert(alias);
      wanted.insert(cert.cert->facts().sha256);
      m.entries.push_back(EntryFor(alias, cert));
    }
    manifests.push_back(WriteManifest(m, "m" + std::to_string(i)));
  }
  manifest::Manifest seed = BaseManifest(GetParam());
  seed.entries.push_back(EntryFor("base", base));
  std::string seed_path = WriteManifest(seed, "seed");

  int rounds = Rounds();
  for (int round = 0; round < rounds; ++round) {
    unlink(store_path_.c_str());
    bool existing = round % 2 == 0;
    if (existing) {
      apply::Options no_backup;
      no_backup.no_backup = true;
      ASSERT_EQ(Run("apply", {seed_path}, no_backup), 0) << err_;
    }
    std::vector<pid_t> pids;
    for (const std::string& m : manifests) {
      pids.push_back(Spawn({TrustApplyBinary(), "apply", "--no-backup", m}, {}, "/dev/null",
                           dir_ + "/err" + std::to_string(pids.size())));
    }
    for (size_t i = 0; i < pids.size(); ++i) {
      ASSERT_EQ(WaitFor(pids[i]), 0)
          << "round " << round << ": " << ReadFile(dir_ + "/err" + std::to_string(i));
    }
    std::string bytes = ReadFile(store_path_);
    keystore::Secret secret("changeit");
    std::string error;
    auto store = keystore::OpenKeystore(bytes, keystore::DetectFormat(bytes), &secret, &error);
    ASSERT_NE(store, nullptr) << error;
    std::set<std::string> present;
    for (const keystore::EntryInfo& e : store->List()) {
      present.insert(e.sha256);
    }
    std::set<std::string> expected = wanted;
    if (!existing) {
      expected.erase(base.cert->facts().sha256);
    }
    ASSERT_EQ(present, expected) << "round " << round;
    ASSERT_EQ(store->List().size(), expected.size()) << "round " << round;
  }
  std::printf("%d rounds, both appliers landed every time\n", rounds);
}

INSTANTIATE_TEST_SUITE_P(Formats, ConcurrencyTest,
                         ::testing::Values(Format::kJks, Format::kPkcs12, Format::kPem),
                         test::StoreFormatParamName());

}  // namespace
}  // namespace trust::test
