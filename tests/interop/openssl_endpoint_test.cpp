// requireEndpoint against a real `openssl s_server` on 127.0.0.1 and a free port: the right
// certificate applies; the wrong one exits 1, leaves the keystore untouched and the error
// names the subject and sha256 the server presented. Skipped without openssl.
#include <sys/stat.h>

#include "tests/support/openssl_server.h"
#include "tests/unit/runtime/apply/apply_fixture.h"

namespace trust::test {
namespace {

using manifest::Format;

// `openssl s_server` presenting `cert`, its files in `dir`.
OpensslServer ServerFor(const TestCert& cert, const std::string& dir) {
  WriteFile(dir + "/server.pem", cert.pem);
  WriteFile(dir + "/server.key", PrivateKeyPem(cert.key.get()));
  return OpensslServer({"-cert", dir + "/server.pem", "-key", dir + "/server.key"},
                       dir + "/s_server.err");
}

using OpensslEndpointTest = ApplyFixture;

TEST_F(OpensslEndpointTest, RightCertificateAppliesWrongOneIsRefused) {
  if (!HaveProgram("openssl")) {
    GTEST_SKIP() << "openssl is not installed";
  }
  TestCert served = MakeCert("gw.example.com");
  TestCert other = MakeCert("Other Gateway");
  OpensslServer server = ServerFor(served, dir_);
  ASSERT_TRUE(server.running()) << ReadFile(dir_ + "/s_server.err");
  std::vector<std::string> env = {"TRUST_TEST_GATEWAY=" + server.endpoint()};

  manifest::Manifest m = BaseManifest(Format::kJks);
  m.entries.push_back(EntryFor("gateway", served));
  m.entries.back().require_endpoint = "${env:TRUST_TEST_GATEWAY}";
  std::string path = WriteManifest(m);
  ProcessResult ok = RunProcess({TrustApplyBinary(), "apply", path}, {.env = env});
  ASSERT_EQ(ok.status, 0) << ok.err;
  EXPECT_EQ(ok.out, "ks: 1 added, 0 replaced, 0 removed, 0 unchanged, 0 skipped\n");

  m.entries.push_back(EntryFor("other", other));
  m.entries.back().require_endpoint = "${env:TRUST_TEST_GATEWAY}";
  WriteManifest(m);
  std::string before = ReadFile(store_path_);
  struct stat st {};
  ASSERT_EQ(stat(store_path_.c_str(), &st), 0);
  ProcessResult refused = RunProcess({TrustApplyBinary(), "apply", path}, {.env = env});
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("alias `other`: requireEndpoint " + server.endpoint()),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("presents CN=gw.example.com (sha256 " + served.cert->facts().sha256 +
                             "), not sha256 " + other.cert->facts().sha256),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(ReadFile(store_path_), before);
  struct stat after {};
  ASSERT_EQ(stat(store_path_.c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, st.st_ino);
  EXPECT_EQ(after.st_mtim.tv_nsec, st.st_mtim.tv_nsec);
}

}  // namespace
}  // namespace trust::test
