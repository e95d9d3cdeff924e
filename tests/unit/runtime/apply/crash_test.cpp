// Crash safety (docs/runtime.md, "How apply works"): `trust-apply apply` is
// killed with SIGKILL at every named step of a write (the TRUST_APPLY_TEST_PAUSE_AT hook,
// docs/runtime.md) and after random delays; the keystore must then be byte for byte the old
// or the new one (pkcs12: its MAC salt is random, so "new" is checked by content), keytool
// must list it, and nothing but the documented files may be left beside it.
//
// TRUST_APPLY_CRASH_RUNS sets the number of random-delay runs per format (default 100).
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "runtime/keystore/keystore.h"
#include "tests/support/process.h"
#include "tests/support/store_format_param.h"
#include "tests/unit/runtime/apply/apply_fixture.h"

namespace trust::test {
namespace {

using manifest::Format;

enum class State { kOld, kNew, kMissing, kOther };

struct Leftovers {
  int temps = 0;
  int backups = 0;
  std::vector<std::string> unexpected;
};

// What a killed run may leave beside the keystore (docs/runtime.md): the lock file, backups,
// and at most one temporary file ".cacerts.tmp-XXXXXX" (removed by the next apply).
Leftovers Inspect(const std::string& dir) {
  Leftovers l;
  for (const std::string& name : DirEntries(dir)) {
    if (name == "cacerts" || name == "cacerts.lock") {
      continue;
    }
    if (name.starts_with(".cacerts.tmp-") && name.size() == 19) {
      ++l.temps;
    } else if (name.starts_with("cacerts.bak-")) {
      ++l.backups;
    } else {
      l.unexpected.push_back(name);
    }
  }
  return l;
}

int CrashRuns() {
  const char* v = getenv("TRUST_APPLY_CRASH_RUNS");
  return v != nullptr ? std::max(1, atoi(v)) : 100;
}

class CrashTest : public ApplyFixture, public ::testing::WithParamInterface<Format> {
 protected:
  // old: `alpha`; new: + `beta`, `gamma`, - `alpha`... (a replace too, for jks/pkcs12).
  void SetUp() override {
    ApplyFixture::SetUp();
    manifest::Manifest m = BaseManifest(GetParam());
    m.entries.push_back(EntryFor("alpha", alpha_));
    m.entries.push_back(EntryFor("delta", delta_));
    ASSERT_EQ(Run("apply", {WriteManifest(m)}), 0) << err_;
    old_ = ReadFile(store_path_);
    m.entries = {EntryFor("alpha", alpha_), EntryFor("beta", beta_), EntryFor("gamma", gamma_)};
    m.remove = {"delta"};
    manifest_path_ = WriteManifest(m);
    ASSERT_EQ(Run("apply", {manifest_path_}), 0) << err_;
    new_ = ReadFile(store_path_);
    new_entries_ = Entries(new_);
    ASSERT_EQ(new_entries_.size(), 3u);
    Reset();
  }

  std::vector<std::pair<std::string, std::string>> Entries(const std::string& bytes) {
    keystore::Secret secret("changeit");
    std::string error;
    auto store = keystore::OpenKeystore(bytes, keystore::DetectFormat(bytes), &secret, &error);
    std::vector<std::pair<std::string, std::string>> out;
    if (store) {
      for (const keystore::EntryInfo& e : store->List()) {
        out.emplace_back(e.alias, e.sha256);
      }
    }
    return out;
  }

  // The old store back, and nothing else beside it.
  void Reset() {
    for (const std::string& name : DirEntries(dir_ + "/store")) {
      unlink((dir_ + "/store/" + name).c_str());
    }
    WriteFile(store_path_, old_);
  }

  State Classify() {
    if (access(store_path_.c_str(), F_OK) != 0) {
      return State::kMissing;
    }
    std::string bytes = ReadFile(store_path_);
    if (bytes == old_) {
      return State::kOld;
    }
    if (bytes == new_ || (GetParam() == Format::kPkcs12 && Entries(bytes) == new_entries_)) {
      if (GetParam() == Format::kPkcs12 && bytes != new_ && distinct_new_.empty()) {
        distinct_new_.insert(bytes);
      }
      return State::kNew;
    }
    return State::kOther;
  }

  // keytool -list opens the old store, the new one and (pkcs12) one other "new" outcome.
  void KeytoolListsOutcomes() {
    if (GetParam() == Format::kPem || !HaveProgram("keytool")) {
      return;
    }
    std::set<std::string> outcomes = distinct_new_;
    outcomes.insert(old_);
    outcomes.insert(new_);
    for (const std::string& bytes : outcomes) {
      std::string path = dir_ + "/outcome";
      WriteFile(path, bytes);
      ProcessResult r = RunProcess({"keytool", "-list", "-keystore", path, "-storetype",
                                    GetParam() == Format::kJks ? "JKS" : "PKCS12", "-storepass:env",
                                    kPasswordVar});
      EXPECT_EQ(r.status, 0) << r.out << r.err;
      size_t n = bytes == old_ ? 2 : 3;
      EXPECT_NE(r.out.find("Your keystore contains " + std::to_string(n) + " entries"),
                std::string::npos)
          << r.out;
    }
  }

  pid_t Start(const std::vector<std::string>& env = {}) {
    return Spawn({TrustApplyBinary(), "apply", manifest_path_}, env);
  }

  std::string manifest_path_;
  std::string old_;
  std::string new_;
  std::vector<std::pair<std::string, std::string>> new_entries_;
  std::set<std::string> distinct_new_;
  TestCert alpha_ = MakeCert("Alpha");
  TestCert beta_ = MakeCert("Beta");
  TestCert gamma_ = MakeCert("Gamma");
  TestCert delta_ = MakeCert("Delta");
};

struct Step {
  const char* name;
  bool renamed;  // the new file is in place
  bool temp;     // the temporary file exists
  bool backup;   // the backup exists
};

constexpr Step kSteps[] = {
    {"locked", false, false, false},      {"temp-created", false, true, false},
    {"temp-written", false, true, false}, {"temp-synced", false, true, false},
    {"backed-up", false, true, true},     {"renamed", true, false, true},
    {"dir-synced", true, false, true},    {"verified", true, false, true},
};

TEST_P(CrashTest, KilledAtEveryNamedStep) {
  for (bool create : {false, true}) {
    for (const Step& step : kSteps) {
      SCOPED_TRACE(std::string(step.name) + (create ? " (creating the store)" : ""));
      Reset();
      if (create) {
        unlink(store_path_.c_str());
      }
      pid_t pid = Start({std::string("TRUST_APPLY_TEST_PAUSE_AT=") + step.name});
      ASSERT_TRUE(WaitUntilStopped(pid)) << "never reached " << step.name;
      ASSERT_EQ(kill(pid, SIGKILL), 0);
      ASSERT_EQ(WaitFor(pid), -SIGKILL);
      State state = Classify();
      if (create && !step.renamed) {
        EXPECT_EQ(state, State::kMissing);
      } else if (create) {
        // Created from nothing: only the three new entries, no delta.
        EXPECT_EQ(Entries(ReadFile(store_path_)), new_entries_);
      } else {
        EXPECT_EQ(state, step.renamed ? State::kNew : State::kOld);
      }
      Leftovers left = Inspect(dir_ + "/store");
      EXPECT_TRUE(left.unexpected.empty()) << left.unexpected[0];
      EXPECT_EQ(left.temps, step.temp ? 1 : 0);
      EXPECT_EQ(left.backups, step.backup && !create ? 1 : 0);
      // The next apply finishes the job and removes the temporary file.
      ProcessResult again = RunProcess({TrustApplyBinary(), "apply", manifest_path_});
      EXPECT_EQ(again.status, 0) << again.err;
      EXPECT_EQ(Entries(ReadFile(store_path_)), new_entries_);
      EXPECT_EQ(Inspect(dir_ + "/store").temps, 0);
    }
  }
  // Every outcome here is the old or the new file byte for byte (pkcs12: by content), which
  // KilledAfterRandomDelays shows keytool lists.
}

TEST_P(CrashTest, KilledAfterRandomDelays) {
  // How long an undisturbed run takes, to spread the kills over its whole life.
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(WaitFor(Start()), 0);
  auto took =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  std::mt19937 random(12345);
  std::uniform_int_distribution<long> delay(0, took + took / 4);
  std::map<std::string, int> outcomes;
  int runs = CrashRuns();
  for (int i = 0; i < runs; ++i) {
    Reset();
    pid_t pid = Start();
    std::this_thread::sleep_for(std::chrono::microseconds(delay(random)));
    kill(pid, SIGKILL);
    int status = WaitFor(pid);
    State state = Classify();
    ASSERT_TRUE(state == State::kOld || state == State::kNew) << "run " << i << ": torn keystore";
    if (status == 0) {
      ASSERT_EQ(state, State::kNew) << "run " << i;
    }
    Leftovers left = Inspect(dir_ + "/store");
    ASSERT_TRUE(left.unexpected.empty()) << left.unexpected[0];
    ASSERT_LE(left.temps, 1);
    ASSERT_LE(left.backups, 1);
    ++outcomes[status == 0 ? "completed" : state == State::kOld ? "killed, old" : "killed, new"];
  }
  std::string summary;
  for (const auto& [what, n] : outcomes) {
    summary += " " + what + ": " + std::to_string(n) + ";";
  }
  std::printf("%d runs (run time %ld us):%s\n", runs, static_cast<long>(took), summary.c_str());
  RecordProperty("outcomes", summary);
  KeytoolListsOutcomes();
}

INSTANTIATE_TEST_SUITE_P(Formats, CrashTest,
                         ::testing::Values(Format::kJks, Format::kPkcs12, Format::kPem),
                         test::StoreFormatParamName());

}  // namespace
}  // namespace trust::test
