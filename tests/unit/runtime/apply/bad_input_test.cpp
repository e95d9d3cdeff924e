// Bad input through the real trust-apply binary: each case exits 1 with an error on stderr,
// and the keystore keeps its bytes, inode and mtime; no temporary file or backup appears.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/support/process.h"
#include "tests/support/store_format_param.h"
#include "tests/unit/runtime/apply/apply_fixture.h"

namespace trust::test {
namespace {

using manifest::Format;

class BadInputTest : public ApplyFixture, public ::testing::WithParamInterface<Format> {
 protected:
  // A store holding `alpha`, and a manifest that would add `beta` to it.
  void SetUp() override {
    ApplyFixture::SetUp();
    manifest_ = BaseManifest(GetParam());
    manifest_.entries.push_back(EntryFor("alpha", alpha_));
    manifest_path_ = WriteManifest(manifest_);
    ASSERT_EQ(Run("apply", {manifest_path_}), 0) << err_;
    manifest_.create = false;
    manifest_.entries.push_back(EntryFor("beta", beta_));
    WriteManifest(manifest_);
  }

  void Corrupt(const std::string& bytes) { WriteFile(store_path_, bytes); }

  // Runs the binary: exit 1, `message` on stderr, the store exactly as it was.
  void ExpectRefused(const std::string& message, const std::vector<std::string>& env = {}) {
    std::string before = ReadFile(store_path_);
    struct stat st {};
    ASSERT_EQ(stat(store_path_.c_str(), &st), 0);
    std::vector<std::string> files = DirEntries(dir_ + "/store");
    ProcessResult r = RunProcess({TrustApplyBinary(), "apply", manifest_path_}, {.env = env});
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    // Unsigned artifacts: apply says so once, first; then the error.
    static constexpr std::string_view kUnverified =
        "trust-apply: warning: the artifacts were not verified (no --sums with --verify-key); "
        "--require-signature makes this an error\n";
    ASSERT_TRUE(r.err.starts_with(kUnverified)) << r.err;
    r.err.erase(0, kUnverified.size());
    EXPECT_EQ(r.err.rfind("trust-apply: error: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.find("changeit"), std::string::npos) << "the password leaked: " << r.err;
    EXPECT_EQ(ReadFile(store_path_), before);
    struct stat after {};
    ASSERT_EQ(stat(store_path_.c_str(), &after), 0);
    EXPECT_EQ(after.st_ino, st.st_ino);
    EXPECT_EQ(after.st_mtim.tv_sec, st.st_mtim.tv_sec);
    EXPECT_EQ(after.st_mtim.tv_nsec, st.st_mtim.tv_nsec);
    std::vector<std::string> now = DirEntries(dir_ + "/store");
    now.erase(std::remove(now.begin(), now.end(), "cacerts.lock"), now.end());
    files.erase(std::remove(files.begin(), files.end(), "cacerts.lock"), files.end());
    EXPECT_EQ(now, files) << "no temporary file, no backup";
  }

  bool IsPem() const { return GetParam() == Format::kPem; }

  manifest::Manifest manifest_;
  std::string manifest_path_;
  TestCert alpha_ = MakeCert("Alpha");
  TestCert beta_ = MakeCert("Beta");
};

TEST_P(BadInputTest, WrongPassword) {
  if (IsPem()) {
    GTEST_SKIP() << "pem bundles have no password";
  }
  ExpectRefused("wrong password or corrupt keystore",
                {std::string(kPasswordVar) + "=wrong-password"});
}

TEST_P(BadInputTest, TruncatedFile) {
  std::string bytes = ReadFile(store_path_);
  Corrupt(bytes.substr(0, bytes.size() / 2));
  ExpectRefused("cacerts");
  // pem: without its final line break the file is still a valid bundle; cut into the END line.
  Corrupt(bytes.substr(0, bytes.size() - (IsPem() ? 3 : 1)));
  ExpectRefused("cacerts");
  if (!IsPem()) {
    Corrupt(bytes.substr(0, 4));
    ExpectRefused("cacerts");
  }
}

TEST_P(BadInputTest, FlippedByteInTheMiddle) {
  std::string bytes = ReadFile(store_path_);
  if (IsPem()) {
    bytes[bytes.size() / 2] = '\x01';  // a control character in base64 text
  } else {
    bytes[bytes.size() / 2] ^= 0x01;
  }
  Corrupt(bytes);
  ExpectRefused(IsPem() ? "cacerts" : "wrong password or corrupt keystore");
}

TEST_P(BadInputTest, JksBadTrailer) {
  if (GetParam() != Format::kJks) {
    GTEST_SKIP() << "only jks has a trailer";
  }
  std::string bytes = ReadFile(store_path_);
  bytes.back() ^= 0x80;
  Corrupt(bytes);
  ExpectRefused("wrong password or corrupt keystore");
  Corrupt(ReadFile(store_path_) + "extra");  // trailing bytes after the trailer
  ExpectRefused("cacerts");
}

TEST_P(BadInputTest, NotAKeystore) {
  if (IsPem()) {
    Corrupt(
        std::string("\x7f"
                    "ELF\x02\x01\x01\x00\x00\x00",
                    10));
    ExpectRefused("cacerts");
    return;
  }
  Corrupt("just some text\n");
  ExpectRefused("the keystore is pem, the manifest says " +
                std::string(keystore::StoreFormatName(GetParam())));
  Corrupt(std::string("\x30\x82\x01\x00garbage", 11));  // looks like DER, is not PKCS#12
  ExpectRefused(GetParam() == Format::kJks ? "the keystore is pkcs12, the manifest says jks"
                                           : "cacerts");
}

TEST_P(BadInputTest, UnknownManifestSchema) {
  std::string text = ReadFile(manifest_path_);
  std::string schema = "trustc.keystore-manifest/1";
  text.replace(text.find(schema), schema.size(), "trustc.keystore-manifest/2");
  WriteFile(manifest_path_, text);
  ExpectRefused("schema");
}

TEST_P(BadInputTest, WrongSha256InManifest) {
  manifest_.entries[1].sha256 = std::string(64, '0');
  WriteManifest(manifest_);
  WriteFile(dir_ + "/certs/" + std::string(64, '0') + ".der", beta_.der);
  manifest_.entries[1].cert = "../certs/" + std::string(64, '0') + ".der";
  WriteManifest(manifest_);
  ExpectRefused("the manifest pins " + std::string(64, '0'));
}

TEST_P(BadInputTest, MissingCertificateFile) {
  ASSERT_EQ(unlink((dir_ + "/certs/" + beta_.cert->facts().sha256 + ".der").c_str()), 0);
  ExpectRefused("entries[1] `beta`");
}

TEST_P(BadInputTest, UnsetPasswordVariable) {
  ExpectRefused(std::string("password variable `") + kPasswordVar + "` is not set", {kPasswordVar});
}

TEST_P(BadInputTest, UnreadableKeystore) {
  ASSERT_EQ(chmod(store_path_.c_str(), 0), 0);
  if (access(store_path_.c_str(), R_OK) == 0) {
    chmod(store_path_.c_str(), 0644);
    GTEST_SKIP() << "running as root: a mode-000 file is still readable";
  }
  ExpectRefused("Permission denied");
  chmod(store_path_.c_str(), 0644);
}

INSTANTIATE_TEST_SUITE_P(Formats, BadInputTest,
                         ::testing::Values(Format::kJks, Format::kPkcs12, Format::kPem),
                         test::StoreFormatParamName());

}  // namespace
}  // namespace trust::test
