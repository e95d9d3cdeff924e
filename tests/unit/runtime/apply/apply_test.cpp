// apply's guarantees (docs/manifest.md and docs/runtime.md), through the commands.
#include <dirent.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <thread>

#include "base/digest.h"
#include "runtime/keystore/keystore.h"
#include "tests/support/process.h"
#include "tests/support/store_format_param.h"
#include "tests/support/tls_server.h"
#include "tests/unit/runtime/apply/apply_fixture.h"

namespace trust::test {
namespace {

using manifest::Format;

std::string BaseName(const std::string& path) { return path.substr(path.rfind('/') + 1); }

struct stat Stat(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return st;
}

std::vector<std::string> Backups(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  while (dirent* e = readdir(d)) {
    if (std::string(e->d_name).find(".bak-") != std::string::npos) {
      out.push_back(dir + "/" + e->d_name);
    }
  }
  closedir(d);
  return out;
}

std::vector<keystore::EntryInfo> ListStore(const std::string& path, const char* password) {
  std::string bytes = ReadFile(path);
  keystore::Secret secret(password);
  std::string error;
  auto store = keystore::OpenKeystore(bytes, keystore::DetectFormat(bytes), &secret, &error);
  EXPECT_NE(store, nullptr) << error;
  return store ? store->List() : std::vector<keystore::EntryInfo>{};
}

class ApplyTest : public ApplyFixture, public ::testing::WithParamInterface<Format> {};

TEST_P(ApplyTest, PlanApplyVerifyExitCodes) {
  TestCert a = MakeCert("Alpha");
  manifest::Manifest m = BaseManifest(GetParam());
  m.entries.push_back(EntryFor("alpha", a));
  std::string path = WriteManifest(m);
  EXPECT_EQ(Run("plan", {path}), 2) << err_;
  EXPECT_NE(out_.find("to be created"), std::string::npos);
  EXPECT_EQ(Run("verify", {path}), 2) << err_;
  EXPECT_EQ(Run("apply", {path}), 0) << err_;
  EXPECT_EQ(out_, "ks: 1 added, 0 replaced, 0 removed, 0 unchanged, 0 skipped\n");
  EXPECT_EQ(Run("plan", {path}), 0) << err_;
  EXPECT_EQ(Run("verify", {path}), 0) << err_;
  EXPECT_NE(out_.find("in sync"), std::string::npos);
  m.entries.push_back(EntryFor("beta", MakeCert("Beta")));
  WriteManifest(m);
  EXPECT_EQ(Run("verify", {path}), 2) << err_;
  EXPECT_NE(out_.find("+ beta"), std::string::npos) << out_;
  apply::Options json;
  json.json = true;
  EXPECT_EQ(Run("plan", {path}, json), 2);
  EXPECT_NE(out_.find("\"action\": \"add\""), std::string::npos) << out_;
}

TEST_P(ApplyTest, SecondApplyDoesNotRewrite) {
  manifest::Manifest m = BaseManifest(GetParam());
  m.entries.push_back(EntryFor("alpha", MakeCert("Alpha")));
  std::string path = WriteManifest(m);
  ASSERT_EQ(Run("apply", {path}), 0) << err_;
  struct stat first = Stat(store_path_);
  ASSERT_EQ(Run("apply", {path}), 0) << err_;
  struct stat second = Stat(store_path_);
  EXPECT_EQ(first.st_ino, second.st_ino);
  EXPECT_EQ(first.st_mtim.tv_nsec, second.st_mtim.tv_nsec);
  EXPECT_EQ(out_, "ks: nothing to do (1 unchanged, 0 skipped)\n");
}

TEST_P(ApplyTest, ConflictWritesNothing) {
  manifest::Manifest m = BaseManifest(GetParam());
  m.entries.push_back(EntryFor("alpha", MakeCert("Alpha")));
  std::string path = WriteManifest(m);
  ASSERT_EQ(Run("apply", {path}), 0) << err_;
  std::string before = ReadFile(store_path_);
  struct stat st = Stat(store_path_);
  m.entries[0] = EntryFor("alpha", MakeCert("Other"), /*replace=*/false);
  m.entries.push_back(EntryFor("beta", MakeCert("Beta")));
  WriteManifest(m);
  EXPECT_EQ(Run("apply", {path}), 1);
  EXPECT_NE(err_.find("alias `alpha`"), std::string::npos) << err_;
  EXPECT_EQ(ReadFile(store_path_), before);
  EXPECT_EQ(Stat(store_path_).st_ino, st.st_ino);
  EXPECT_EQ(Run("plan", {path}), 1);
  m.entries[0].replace = true;
  WriteManifest(m);
  EXPECT_EQ(Run("apply", {path}), 0) << err_;
  EXPECT_EQ(ListStore(store_path_, "changeit").size(), 2u);
}

TEST_P(ApplyTest, BackupModeAndSymlink) {
  manifest::Manifest m = BaseManifest(GetParam());
  std::string real = dir_ + "/store/real-store";
  std::string link = dir_ + "/store/link";
  ASSERT_EQ(symlink("real-store", link.c_str()), 0);
  m.path = link;
  m.entries.push_back(EntryFor("alpha", MakeCert("Alpha")));
  std::string path = WriteManifest(m);
  ASSERT_EQ(Run("apply", {path}), 0) << err_;
  ASSERT_EQ(chmod(real.c_str(), 0640), 0);
  std::string before = ReadFile(real);
  m.entries.push_back(EntryFor("beta", MakeCert("Beta")));
  WriteManifest(m);
  ASSERT_EQ(Run("apply", {path}), 0) << err_;
  struct stat lst {};
  ASSERT_EQ(lstat(link.c_str(), &lst), 0);
  EXPECT_TRUE(S_ISLNK(lst.st_mode));
  EXPECT_EQ(Stat(real).st_mode & 07777, 0640u);
  std::vector<std::string> backups = Backups(dir_ + "/store");
  ASSERT_EQ(backups.size(), 1u);
  EXPECT_EQ(ReadFile(backups[0]), before);
  EXPECT_NE(backups[0].find("real-store.bak-"), std::string::npos);
  EXPECT_EQ(ListStore(link, "changeit").size(), 2u);
  // --no-backup and --backup-dir.
  m.remove = {"alpha"};
  WriteManifest(m);
  m.entries.erase(m.entries.begin());
  WriteManifest(m);
  apply::Options no_backup;
  no_backup.no_backup = true;
  ASSERT_EQ(Run("apply", {path}, no_backup), 0) << err_;
  EXPECT_EQ(Backups(dir_ + "/store").size(), 1u);
  m.remove = {"beta"};
  m.entries.clear();
  WriteManifest(m);
  apply::Options elsewhere;
  elsewhere.backup_dir = dir_ + "/certs";
  ASSERT_EQ(Run("apply", {path}, elsewhere), 0) << err_;
  EXPECT_EQ(Backups(dir_ + "/certs").size(), 1u);
}

TEST_P(ApplyTest, ConcurrentAppliesBothLand) {
  std::vector<std::string> paths;
  for (int i = 0; i < 2; ++i) {
    manifest::Manifest m = BaseManifest(GetParam());
    for (int k = 0; k < 3; ++k) {
      std::string alias = "t" + std::to_string(i) + "_" + std::to_string(k);
      m.entries.push_back(EntryFor(alias, MakeCert(alias)));
    }
    paths.push_back(WriteManifest(m, "m" + std::to_string(i)));
  }
  std::vector<int> codes(2, -1);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      apply::Options options;
      options.manifests = {paths[static_cast<size_t>(i)]};
      std::ostringstream out, err;
      codes[static_cast<size_t>(i)] = apply::RunApply(options, out, err);
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(codes, std::vector<int>({0, 0}));
  EXPECT_EQ(ListStore(store_path_, "changeit").size(), 6u);
}

TEST_P(ApplyTest, WrongPasswordLeavesFileUntouched) {
  manifest::Manifest m = BaseManifest(GetParam());
  m.entries.push_back(EntryFor("alpha", MakeCert("Alpha")));
  std::string path = WriteManifest(m);
  ASSERT_EQ(Run("apply", {path}), 0) << err_;
  if (GetParam() == Format::kPem) {
    GTEST_SKIP() << "pem bundles have no password";
  }
  std::string before = ReadFile(store_path_);
  setenv(kPasswordVar, "wrong-password", 1);
  m.entries.push_back(EntryFor("beta", MakeCert("Beta")));
  WriteManifest(m);
  EXPECT_EQ(Run("apply", {path}), 1);
  EXPECT_NE(err_.find("wrong password or corrupt keystore"), std::string::npos) << err_;
  EXPECT_EQ(ReadFile(store_path_), before);
  EXPECT_TRUE(Backups(dir_ + "/store").empty());
}

INSTANTIATE_TEST_SUITE_P(Formats, ApplyTest,
                         ::testing::Values(Format::kJks, Format::kPkcs12, Format::kPem),
                         test::StoreFormatParamName());

using ApplyErrorsTest = ApplyFixture;

TEST_F(ApplyErrorsTest, MissingStoreFormatMismatchAndPasswordFile) {
  manifest::Manifest m = BaseManifest(Format::kJks);
  m.create = false;
  m.entries.push_back(EntryFor("alpha", MakeCert("Alpha")));
  std::string path = WriteManifest(m);
  EXPECT_EQ(Run("apply", {path}), 1);
  EXPECT_NE(err_.find("does not exist"), std::string::npos) << err_;
  WriteFile(store_path_, "-----BEGIN CERTIFICATE-----\n");
  EXPECT_EQ(Run("plan", {path}), 1);
  EXPECT_NE(err_.find("the keystore is pem, the manifest says jks"), std::string::npos) << err_;
  unlink(store_path_.c_str());
  WriteFile(dir_ + "/pass", "changeit\r\nsecond line\n");
  m.create = true;
  m.password = manifest::PasswordFile{dir_ + "/pass"};
  WriteManifest(m);
  EXPECT_EQ(Run("apply", {path}), 0) << err_;
  EXPECT_EQ(ListStore(store_path_, "changeit").size(), 1u);
  EXPECT_EQ(err_.find("changeit"), std::string::npos);
}

TEST_F(ApplyErrorsTest, CertificateMustMatchItsPin) {
  manifest::Manifest m = BaseManifest(Format::kPem);
  m.entries.push_back(EntryFor("alpha", MakeCert("Alpha")));
  WriteFile(dir_ + "/keystores/" + m.entries[0].cert, MakeCert("Evil").der);
  EXPECT_EQ(Run("apply", {WriteManifest(m)}), 1);
  EXPECT_NE(err_.find("the manifest pins"), std::string::npos) << err_;
}

TEST_F(ApplyErrorsTest, RequireEndpoint) {
  TestCert served = MakeCert("gw.example.com");
  TestCert other = MakeCert("Other");
  TlsServer server(served);
  manifest::Manifest m = BaseManifest(Format::kJks);
  m.entries.push_back(EntryFor("gateway", served));
  m.entries.back().require_endpoint = server.endpoint();
  std::string path = WriteManifest(m);
  EXPECT_EQ(Run("apply", {path}), 0) << err_;

  m.entries.push_back(EntryFor("other", other));
  m.entries.back().require_endpoint = server.endpoint();
  WriteManifest(m);
  std::string before = ReadFile(store_path_);
  EXPECT_EQ(Run("apply", {path}), 1);
  EXPECT_NE(err_.find("presents CN=gw.example.com (sha256 " + served.cert->facts().sha256),
            std::string::npos)
      << err_;
  EXPECT_EQ(ReadFile(store_path_), before);

  m.entries.back().require_endpoint = "127.0.0.1:1";  // nothing listens there
  WriteManifest(m);
  EXPECT_EQ(Run("apply", {path}), 1);
  EXPECT_NE(err_.find("cannot connect"), std::string::npos) << err_;
}

// Issue 13, item 4: a rename would give one name the new store and leave the other link with
// the old one; refused unless --allow-hardlinks says that is wanted.
TEST_F(ApplyErrorsTest, HardLinkedStoreIsRefusedUnlessAllowed) {
  manifest::Manifest m = BaseManifest(Format::kJks);
  m.entries.push_back(EntryFor("alpha", MakeCert("Alpha")));
  std::string path = WriteManifest(m);
  ASSERT_EQ(Run("apply", {path}), 0) << err_;
  std::string other = dir_ + "/certs/other-name";
  ASSERT_EQ(link(store_path_.c_str(), other.c_str()), 0);
  std::string before = ReadFile(store_path_);
  m.entries.push_back(EntryFor("beta", MakeCert("Beta")));
  WriteManifest(m);
  EXPECT_EQ(Run("apply", {path}), 1);
  EXPECT_NE(err_.find("has 2 hard links"), std::string::npos) << err_;
  EXPECT_NE(err_.find("--allow-hardlinks"), std::string::npos) << err_;
  EXPECT_EQ(ReadFile(store_path_), before);
  EXPECT_EQ(Stat(store_path_).st_nlink, 2u);
  apply::Options allow;
  allow.allow_hardlinks = true;
  EXPECT_EQ(Run("apply", {path}, allow), 0) << err_;
  EXPECT_EQ(ListStore(store_path_, "changeit").size(), 2u);
  EXPECT_EQ(ReadFile(other), before);  // what the flag accepts
}

// Issue 13, item 15: a backup is a copy with the store's owner, group and mode, also in a
// --backup-dir on another file system (where a hard link is impossible).
TEST_F(ApplyErrorsTest, BackupKeepsOwnerGroupAndMode) {
  if (geteuid() != 0) {
    GTEST_SKIP() << "needs root to give the store another owner";
  }
  std::string other_fs = "/dev/shm";
  struct statfs here {};
  struct statfs there {};
  if (statfs(dir_.c_str(), &here) != 0 || statfs(other_fs.c_str(), &there) != 0 ||
      std::memcmp(&here.f_fsid, &there.f_fsid, sizeof(here.f_fsid)) == 0) {
    GTEST_SKIP() << other_fs << " is not another file system here";
  }
  manifest::Manifest m = BaseManifest(Format::kPem);
  m.entries.push_back(EntryFor("alpha", MakeCert("Alpha")));
  std::string path = WriteManifest(m);
  ASSERT_EQ(Run("apply", {path}), 0) << err_;
  ASSERT_EQ(chown(store_path_.c_str(), 65534, 65534), 0);
  ASSERT_EQ(chmod(store_path_.c_str(), 0640), 0);
  std::string before = ReadFile(store_path_);
  std::string backup_dir = other_fs + "/" + BaseName(dir_) + "-backups";
  ASSERT_EQ(mkdir(backup_dir.c_str(), 0700), 0);
  for (const char* where : {"", "other-fs"}) {
    SCOPED_TRACE(where);
    m.entries.push_back(EntryFor(std::string("beta") + where, MakeCert(std::string("B") + where)));
    WriteManifest(m);
    apply::Options options;
    options.backup_dir = *where == '\0' ? "" : backup_dir;
    ASSERT_EQ(Run("apply", {path}, options), 0) << err_;
    std::vector<std::string> backups = Backups(*where == '\0' ? dir_ + "/store" : backup_dir);
    ASSERT_EQ(backups.size(), 1u);
    struct stat st = Stat(backups[0]);
    EXPECT_EQ(st.st_uid, 65534u);
    EXPECT_EQ(st.st_gid, 65534u);
    EXPECT_EQ(st.st_mode & 07777, 0640u);
    EXPECT_NE(st.st_ino, Stat(store_path_).st_ino);
    EXPECT_EQ(ReadFile(backups[0]), before);
    before = ReadFile(store_path_);
  }
  std::filesystem::remove_all(backup_dir);
}

// Issue 13, item 15: --keep-backups N keeps the newest N backups of the store, nothing else.
TEST_F(ApplyErrorsTest, KeepBackupsPrunesTheOldest) {
  manifest::Manifest m = BaseManifest(Format::kPem);
  m.entries.push_back(EntryFor("alpha", MakeCert("Alpha")));
  std::string path = WriteManifest(m);
  ASSERT_EQ(Run("apply", {path}), 0) << err_;
  std::string store_dir = dir_ + "/store";
  WriteFile(store_dir + "/cacerts.bak-20200101T000000Z", "oldest");
  WriteFile(store_dir + "/cacerts.bak-20200101T000000Z-2", "older");
  WriteFile(store_dir + "/cacerts.bak-notes", "not a backup of ours");
  WriteFile(store_dir + "/other.bak-20200101T000000Z", "another store's");
  m.entries.push_back(EntryFor("beta", MakeCert("Beta")));
  WriteManifest(m);
  apply::Options keep;
  keep.keep_backups = 2;
  ASSERT_EQ(Run("apply", {path}, keep), 0) << err_;
  std::vector<std::string> left = DirEntries(store_dir);
  std::vector<std::string> backups;
  std::copy_if(left.begin(), left.end(), std::back_inserter(backups),
               [](const std::string& n) { return n.starts_with("cacerts.bak-2"); });
  ASSERT_EQ(backups.size(), 2u);
  EXPECT_EQ(backups[0], "cacerts.bak-20200101T000000Z-2");
  EXPECT_NE(std::find(left.begin(), left.end(), "cacerts.bak-notes"), left.end());
  EXPECT_NE(std::find(left.begin(), left.end(), "other.bak-20200101T000000Z"), left.end());
}

std::string Sign(const std::string& data, EVP_PKEY* key) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t length = 0;
  EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key);
  EVP_DigestSign(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(data.data()),
                 data.size());
  std::string sig(length, '\0');
  EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &length,
                 reinterpret_cast<const unsigned char*>(data.data()), data.size());
  EVP_MD_CTX_free(ctx);
  sig.resize(length);
  return sig;
}

class SignedReleaseTest : public ApplyFixture {
 protected:
  // A release of one PEM keystore with one certificate: the manifest, SHA256SUMS over both,
  // SHA256SUMS.sig by `signer` and its public key in pub.pem. Returns the manifest's path.
  std::string WriteSignedRelease(const TestCert& cert, const TestCert& signer) {
    manifest::Manifest m = BaseManifest(Format::kPem);
    m.entries.push_back(EntryFor("alpha", cert));
    std::string path = WriteManifest(m);
    std::string sums = base::Sha256Hex(cert.der) + "  certs/" + cert.cert->facts().sha256 +
                       ".der\n" + base::Sha256Hex(ReadFile(path)) +
                       "  keystores/ks.manifest.json\n";
    WriteFile(dir_ + "/SHA256SUMS", sums);
    WriteFile(dir_ + "/SHA256SUMS.sig", Sign(sums, signer.key.get()));
    WriteFile(dir_ + "/pub.pem", PublicKeyPem(signer.key.get()));
    return path;
  }
};

TEST_F(SignedReleaseTest, SumsAndSignature) {
  TestCert a = MakeCert("Alpha");
  std::string path = WriteSignedRelease(a, MakeCert("Signer"));
  apply::Options options;
  options.sums = dir_ + "/SHA256SUMS";
  options.verify_key = dir_ + "/pub.pem";
  EXPECT_EQ(Run("plan", {path}, options), 2) << err_;

  WriteFile(dir_ + "/pub.pem", PublicKeyPem(a.key.get()));  // the wrong key
  EXPECT_EQ(Run("apply", {path}, options), 1);
  EXPECT_NE(err_.find("does not verify"), std::string::npos) << err_;

  options.verify_key.reset();
  WriteFile(path, ReadFile(path) + " ");  // tampered manifest
  EXPECT_EQ(Run("apply", {path}, options), 1);
  EXPECT_NE(err_.find("does not match its checksum"), std::string::npos) << err_;
  EXPECT_NE(access(store_path_.c_str(), F_OK), 0);
}

// Issue 13, item 14: --require-signature refuses unless --sums and --verify-key verify;
// without it, apply says once that nothing was verified.
TEST_F(SignedReleaseTest, RequireSignature) {
  std::string path = WriteSignedRelease(MakeCert("Alpha"), MakeCert("Signer"));
  apply::Options required;
  required.require_signature = true;
  EXPECT_EQ(Run("apply", {path}, required), 1);
  EXPECT_EQ(err_,
            "trust-apply: error: --require-signature: the artifacts must be verified: give "
            "--sums SHA256SUMS and --verify-key KEY\n");
  required.sums = dir_ + "/SHA256SUMS";
  EXPECT_EQ(Run("apply", {path}, required), 1);  // checksums alone are not a signature
  EXPECT_NE(access(store_path_.c_str(), F_OK), 0);
  required.verify_key = dir_ + "/pub.pem";
  EXPECT_EQ(Run("apply", {path}, required), 0) << err_;
  EXPECT_EQ(err_, "");
  EXPECT_EQ(Run("apply", {path}), 0) << err_;
  EXPECT_EQ(err_,
            "trust-apply: warning: the artifacts were not verified (no --sums with "
            "--verify-key); --require-signature makes this an error\n");
}

}  // namespace
}  // namespace trust::test
