// What a JVM actually trusts in the stores we write: CountAnchors.java (run as a single-file
// source program) loads the store and counts trust anchors through PKIXParameters and the
// default TrustManagerFactory. A PKCS#12 truststore must give every anchor even when loaded
// without a password (javax.net.ssl.trustStorePassword unset); a JKS with its password.
// Skipped without java.
#include "tests/support/paths.h"
#include "tests/support/process.h"
#include "tests/unit/runtime/apply/apply_fixture.h"

namespace trust::test {
namespace {

using manifest::Format;

class JavaAnchorsTest : public ApplyFixture {
 protected:
  void SetUp() override {
    if (!HaveProgram("java") || !HaveProgram("keytool")) {
      GTEST_SKIP() << "java is not installed";
    }
    ApplyFixture::SetUp();
  }

  // "anchors N issuers M aliases a,b" from CountAnchors.java.
  std::string CountAnchors(const std::optional<std::string>& password) {
    std::vector<std::string> argv = {
        "java", std::string(test_support::SourceDir()) + "/tests/interop/CountAnchors.java",
        store_path_};
    if (password) {
      argv.push_back(*password);
    }
    ProcessResult r = RunProcess(argv);
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    return r.out;
  }

  // Applies a manifest with alpha, beta, gamma.
  void ApplyThree(Format format, manifest::Password password) {
    manifest::Manifest m = BaseManifest(format);
    m.password = std::move(password);
    for (const char* alias : {"alpha", "beta", "gamma"}) {
      m.entries.push_back(EntryFor(alias, MakeCert(alias)));
    }
    ASSERT_EQ(Run("apply", {WriteManifest(m)}), 0) << err_;
  }
};

TEST_F(JavaAnchorsTest, Pkcs12WithPasswordLoadedWithoutOne) {
  ApplyThree(Format::kPkcs12, manifest::PasswordEnv{kPasswordVar});
  EXPECT_EQ(CountAnchors(std::nullopt), "anchors 3 issuers 3 aliases alpha,beta,gamma\n");
}

TEST_F(JavaAnchorsTest, PasswordlessPkcs12) {
  ApplyThree(Format::kPkcs12, manifest::PasswordNone{});
  EXPECT_EQ(CountAnchors(std::nullopt), "anchors 3 issuers 3 aliases alpha,beta,gamma\n");
}

TEST_F(JavaAnchorsTest, JksWithItsPassword) {
  ApplyThree(Format::kJks, manifest::PasswordEnv{kPasswordVar});
  EXPECT_EQ(CountAnchors("changeit"), "anchors 3 issuers 3 aliases alpha,beta,gamma\n");
}

// keytool encrypts the certificate bags it writes (Java 17: PBEWithHmacSHA256AndAES_256), so
// without the password a JVM sees only the unencrypted ones, i.e. the ones we added.
TEST_F(JavaAnchorsTest, KeytoolPkcs12PlusOurs) {
  TestCert imported = MakeCert("Imported");
  WriteFile(dir_ + "/imported.der", imported.der);
  ProcessResult r = RunProcess({"keytool", "-importcert", "-noprompt", "-alias", "imported",
                                "-file", dir_ + "/imported.der", "-keystore", store_path_,
                                "-storetype", "PKCS12", "-storepass:env", kPasswordVar});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  manifest::Manifest m = BaseManifest(Format::kPkcs12);
  m.create = false;
  m.entries.push_back(EntryFor("alpha", MakeCert("alpha")));
  m.entries.push_back(EntryFor("beta", MakeCert("beta")));
  ASSERT_EQ(Run("apply", {WriteManifest(m)}), 0) << err_;
  EXPECT_EQ(CountAnchors("changeit"), "anchors 3 issuers 3 aliases alpha,beta,imported\n");
  EXPECT_EQ(CountAnchors(std::nullopt), "anchors 2 issuers 2 aliases alpha,beta\n");
}

}  // namespace
}  // namespace trust::test
