// Writes through links (issue 13, items 5 to 8): the real binary is stopped at every pause
// point of TRUST_APPLY_TEST_PAUSE_AT, the store is swapped for a symlink to a file elsewhere
// (as a user who can write the store's directory would), and the run continues. Whatever the
// run then does, nothing outside the store's directory may change. Also: a planted lock link,
// a lock owned by someone else, and (as root) a directory another user can write.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/process.h"
#include "tests/support/store_format_param.h"
#include "tests/unit/runtime/apply/apply_fixture.h"

namespace trust::test {
namespace {

using manifest::Format;

constexpr const char* kPausePoints[] = {"lock-wait",    "locked",      "temp-created",
                                        "temp-written", "temp-synced", "backed-up",
                                        "renamed",      "dir-synced",  "verified"};

struct Snapshot {
  std::string bytes;
  struct stat st {};
  std::vector<std::string> dir;
};

class LinkRaceTest : public ApplyFixture, public ::testing::WithParamInterface<Format> {
 protected:
  void SetUp() override {
    ApplyFixture::SetUp();
    elsewhere_ = dir_ + "/elsewhere";
    victim_ = elsewhere_ + "/victim";
    ASSERT_EQ(mkdir(elsewhere_.c_str(), 0755), 0);
    manifest::Manifest m = BaseManifest(GetParam());
    m.entries.push_back(EntryFor("alpha", MakeCert("Alpha")));
    ASSERT_EQ(Run("apply", {WriteManifest(m)}), 0) << err_;
    old_ = ReadFile(store_path_);
    m.entries.push_back(EntryFor("beta", MakeCert("Beta")));
    manifest_path_ = WriteManifest(m);
  }

  // A private file of the same format elsewhere: what an attacker wants root to rewrite.
  void MakeVictim() {
    WriteFile(victim_, old_);
    ASSERT_EQ(chmod(victim_.c_str(), 0600), 0);
  }

  Snapshot Take() {
    Snapshot s;
    s.bytes = ReadFile(victim_);
    EXPECT_EQ(lstat(victim_.c_str(), &s.st), 0);
    s.dir = DirEntries(elsewhere_);
    return s;
  }

  void ExpectUnchanged(const Snapshot& before) {
    Snapshot after = Take();
    EXPECT_EQ(after.bytes, before.bytes);
    EXPECT_EQ(after.st.st_ino, before.st.st_ino);
    EXPECT_EQ(after.st.st_mode, before.st.st_mode);
    EXPECT_EQ(after.st.st_uid, before.st.st_uid);
    EXPECT_EQ(after.dir, before.dir);
  }

  // The old store back in place, nothing else beside it.
  void Reset() {
    for (const std::string& name : DirEntries(dir_ + "/store")) {
      unlink((dir_ + "/store/" + name).c_str());
    }
    WriteFile(store_path_, old_);
  }

  std::string elsewhere_;
  std::string victim_;
  std::string old_;
  std::string manifest_path_;
};

TEST_P(LinkRaceTest, StoreSwappedForASymlinkAtEveryPausePoint) {
  for (const char* step : kPausePoints) {
    SCOPED_TRACE(step);
    Reset();
    MakeVictim();
    Snapshot before = Take();
    pid_t pid =
        Spawn({TrustApplyBinary(), "apply", manifest_path_},
              {std::string("TRUST_APPLY_TEST_PAUSE_AT=") + step}, "/dev/null", dir_ + "/err");
    ASSERT_TRUE(WaitUntilStopped(pid)) << "never reached " << step;
    ASSERT_EQ(rename(store_path_.c_str(), (dir_ + "/store/moved").c_str()), 0);
    ASSERT_EQ(symlink(victim_.c_str(), store_path_.c_str()), 0);
    ASSERT_EQ(kill(pid, SIGCONT), 0);
    int code = WaitFor(pid);
    EXPECT_TRUE(code == 0 || code == 1) << code;
    ExpectUnchanged(before);
    unlink(victim_.c_str());
  }
}

TEST_P(LinkRaceTest, PlantedLockLinkIsRefused) {
  MakeVictim();
  Snapshot before = Take();
  unlink((store_path_ + ".lock").c_str());  // the first apply's lock file
  ASSERT_EQ(symlink(victim_.c_str(), (store_path_ + ".lock").c_str()), 0);
  std::string target_of_missing = elsewhere_ + "/created-by-root";
  EXPECT_EQ(Run("apply", {manifest_path_}), 1);
  EXPECT_NE(err_.find("is a symbolic link; refusing it"), std::string::npos) << err_;
  ExpectUnchanged(before);
  EXPECT_EQ(ReadFile(store_path_), old_);
  // A dangling one would have made root create the file it points to.
  ASSERT_EQ(unlink((store_path_ + ".lock").c_str()), 0);
  ASSERT_EQ(symlink(target_of_missing.c_str(), (store_path_ + ".lock").c_str()), 0);
  EXPECT_EQ(Run("apply", {manifest_path_}), 1);
  EXPECT_NE(access(target_of_missing.c_str(), F_OK), 0);
}

TEST_P(LinkRaceTest, LockOwnedBySomeoneElseIsRefused) {
  if (geteuid() != 0) {
    GTEST_SKIP() << "needs root to give the lock file another owner";
  }
  ASSERT_EQ(chown((store_path_ + ".lock").c_str(), 65534, 65534), 0);
  EXPECT_EQ(Run("apply", {manifest_path_}), 1);
  EXPECT_NE(err_.find("is not a regular file owned by uid 0"), std::string::npos) << err_;
  EXPECT_EQ(ReadFile(store_path_), old_);
}

TEST_P(LinkRaceTest, RootRefusesADirectoryAnotherUserCanWrite) {
  if (geteuid() != 0) {
    GTEST_SKIP() << "the check applies to root only";
  }
  std::string store_dir = dir_ + "/store";
  ASSERT_EQ(chown(store_dir.c_str(), 65534, 65534), 0);
  EXPECT_EQ(Run("apply", {manifest_path_}), 1);
  EXPECT_NE(err_.find("the directory " + store_dir + " is writable by its owner nobody"),
            std::string::npos)
      << err_;
  EXPECT_EQ(ReadFile(store_path_), old_);
  ASSERT_EQ(chown(store_dir.c_str(), 0, 0), 0);
  // A link to the store from a directory everyone can write decides where the store is.
  std::string link_dir = dir_ + "/links";
  ASSERT_EQ(mkdir(link_dir.c_str(), 0755), 0);
  ASSERT_EQ(chmod(link_dir.c_str(), 01777), 0);
  ASSERT_EQ(symlink(store_path_.c_str(), (link_dir + "/cacerts").c_str()), 0);
  manifest::Manifest m = manifest::ReadManifest(ReadFile(manifest_path_), &err_).value();
  m.path = link_dir + "/cacerts";
  WriteManifest(m);
  EXPECT_EQ(Run("apply", {manifest_path_}), 1);
  EXPECT_NE(err_.find("the directory " + link_dir + " is writable by everyone"), std::string::npos)
      << err_;
  EXPECT_EQ(ReadFile(store_path_), old_);
  apply::Options allow;
  allow.allow_shared_directory = true;
  EXPECT_EQ(Run("apply", {manifest_path_}, allow), 0) << err_;
}

// Debian's layout: the JVM's lib/security/cacerts is a link to /etc/ssl/certs/java/cacerts.
// The link is resolved once and the file it names is written; the link stays.
TEST_P(LinkRaceTest, LegitimatelySymlinkedStoreStillWorks) {
  std::string jvm = dir_ + "/jvm/lib/security";
  ASSERT_TRUE(std::filesystem::create_directories(jvm));
  ASSERT_EQ(symlink(store_path_.c_str(), (jvm + "/cacerts").c_str()), 0);
  manifest::Manifest m = manifest::ReadManifest(ReadFile(manifest_path_), &err_).value();
  m.path = jvm + "/cacerts";
  WriteManifest(m);
  EXPECT_EQ(Run("apply", {manifest_path_}), 0) << err_;
  struct stat lst {};
  ASSERT_EQ(lstat((jvm + "/cacerts").c_str(), &lst), 0);
  EXPECT_TRUE(S_ISLNK(lst.st_mode));
  EXPECT_NE(ReadFile(store_path_), old_);
  EXPECT_EQ(Run("verify", {manifest_path_}), 0) << out_ << err_;
}

INSTANTIATE_TEST_SUITE_P(Formats, LinkRaceTest,
                         ::testing::Values(Format::kJks, Format::kPkcs12, Format::kPem),
                         test::StoreFormatParamName());

}  // namespace
}  // namespace trust::test
