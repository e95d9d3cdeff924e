// Inputs trust-apply must refuse (issue 13, items 9 to 12): control characters in manifest
// locations, an empty password, FIFOs where files are expected (answered at once, never a
// hang), and the password variable inside ${env:...} of a path or endpoint.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "runtime/apply/password.h"
#include "tests/support/process.h"
#include "tests/unit/runtime/apply/apply_fixture.h"

namespace trust::test {
namespace {

using manifest::Format;

class RefusedInputTest : public ApplyFixture {
 protected:
  void SetUp() override {
    ApplyFixture::SetUp();
    m_ = BaseManifest(Format::kPem);
    m_.entries.push_back(EntryFor("alpha", MakeCert("Alpha")));
  }

  // Writes the manifest as JSON text with `from` replaced by `to` (a raw JSON escape).
  std::string WriteEdited(const std::string& from, const std::string& to) {
    std::string path = WriteManifest(m_);
    std::string text = ReadFile(path);
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    WriteFile(path, text);
    return path;
  }

  // Runs the binary with a deadline: a FIFO must be refused at once, not waited on.
  ProcessResult RunWithin(int seconds) {
    return RunProcess({TrustApplyBinary(), "apply", WriteManifest(m_)},
                      {.timeout_seconds = seconds});
  }

  manifest::Manifest m_;
};

// Item 9: "/x/victim.jks\u0000.other" must not become "/x/victim.jks".
TEST_F(RefusedInputTest, ControlCharacterInPathPasswordFileOrEndpoint) {
  std::string path = WriteEdited(store_path_, store_path_ + "\\u0000.other");
  EXPECT_EQ(Run("apply", {path}), 1);
  EXPECT_NE(err_.find("path: contains the control character 0x00"), std::string::npos) << err_;
  EXPECT_NE(access(store_path_.c_str(), F_OK), 0);

  m_.password = manifest::PasswordFile{dir_ + "/pass"};
  WriteFile(dir_ + "/pass", "changeit\n");
  path = WriteEdited(dir_ + "/pass", dir_ + "/pass\\u001b[2J");
  EXPECT_EQ(Run("apply", {path}), 1);
  EXPECT_NE(err_.find("password.file: contains the control character 0x1b"), std::string::npos)
      << err_;

  m_.password = manifest::PasswordEnv{kPasswordVar};
  m_.entries[0].require_endpoint = "gw.example.com:443";
  path = WriteEdited("gw.example.com:443", "gw.example.com:443\\n");
  EXPECT_EQ(Run("apply", {path}), 1);
  EXPECT_NE(err_.find("requireEndpoint: contains the control character 0x0a"), std::string::npos)
      << err_;
  // A variable's value is checked too.
  m_.entries[0].require_endpoint.reset();
  m_.path = "${env:TRUST_TEST_STORE}";
  setenv("TRUST_TEST_STORE", (store_path_ + "\t").c_str(), 1);
  EXPECT_EQ(Run("apply", {WriteManifest(m_)}), 1);
  EXPECT_NE(err_.find("`TRUST_TEST_STORE` contains the control character 0x09"), std::string::npos)
      << err_;
  unsetenv("TRUST_TEST_STORE");
  EXPECT_NE(access(store_path_.c_str(), F_OK), 0);
}

// Item 10: an empty password would create a store nobody can open with the intended one.
TEST_F(RefusedInputTest, EmptyPasswordIsRefused) {
  m_.format = Format::kJks;
  setenv(kPasswordVar, "", 1);
  EXPECT_EQ(Run("apply", {WriteManifest(m_)}), 1);
  EXPECT_NE(err_.find("password variable `" + std::string(kPasswordVar) + "` is empty"),
            std::string::npos)
      << err_;
  EXPECT_NE(access(store_path_.c_str(), F_OK), 0);
  WriteFile(dir_ + "/pass", "\nsecond line\n");
  m_.password = manifest::PasswordFile{dir_ + "/pass"};
  EXPECT_EQ(Run("apply", {WriteManifest(m_)}), 1);
  EXPECT_NE(err_.find("the first line is empty"), std::string::npos) << err_;
  EXPECT_NE(access(store_path_.c_str(), F_OK), 0);
}

// Item 11: FIFOs as password file, certificate and keystore.
TEST_F(RefusedInputTest, FifoInsteadOfAFileIsRefusedAtOnce) {
  std::string fifo = dir_ + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  m_.password = manifest::PasswordFile{fifo};
  ProcessResult r = RunWithin(10);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;

  m_.password = manifest::PasswordEnv{kPasswordVar};
  std::string cert = dir_ + "/keystores/" + m_.entries[0].cert;
  ASSERT_EQ(unlink(cert.c_str()), 0);
  ASSERT_EQ(mkfifo(cert.c_str(), 0600), 0);
  r = RunWithin(10);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;

  m_.entries[0] = EntryFor("alpha", MakeCert("Alpha"));
  ASSERT_EQ(mkfifo(store_path_.c_str(), 0600), 0);
  r = RunWithin(10);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;
}

// Item 12: ${env:PASSWORD_VAR} in a path would put the password into error messages.
TEST_F(RefusedInputTest, PasswordVariableMayNotBeExpandedInPathOrEndpoint) {
  setenv(kPasswordVar, "s3cr3t-value", 1);
  m_.path = dir_ + "/missing-dir/${env:" + std::string(kPasswordVar) + "}";
  EXPECT_EQ(Run("apply", {WriteManifest(m_)}), 1);
  EXPECT_NE(err_.find("is the password variable, which may not be used here"), std::string::npos)
      << err_;
  EXPECT_EQ(err_.find("s3cr3t-value"), std::string::npos) << err_;
  m_.path = store_path_;
  m_.entries[0].require_endpoint = "${env:" + std::string(kPasswordVar) + "}:443";
  EXPECT_EQ(Run("apply", {WriteManifest(m_)}), 1);
  EXPECT_NE(err_.find("requireEndpoint: `${env:" + std::string(kPasswordVar) +
                      "}` is the password variable"),
            std::string::npos)
      << err_;
  EXPECT_EQ(err_.find("s3cr3t-value"), std::string::npos) << err_;
}

// Issue 13, item 17: with a password in memory the process cannot be dumped or traced.
TEST_F(RefusedInputTest, ProcessIsNotDumpableOnceAPasswordIsLoaded) {
  ASSERT_EQ(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), 0);
  std::optional<keystore::Secret> secret;
  std::string error;
  ASSERT_TRUE(apply::LoadPassword(manifest::PasswordNone{}, &secret, &error)) << error;
  EXPECT_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);  // no password, nothing to hide
  ASSERT_TRUE(apply::LoadPassword(manifest::PasswordEnv{kPasswordVar}, &secret, &error)) << error;
  EXPECT_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
  prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

// Issue 13, item 14: the host default for --require-signature.
TEST_F(RefusedInputTest, RequireSignatureFromTheEnvironment) {
  std::string path = WriteManifest(m_);
  ProcessResult r =
      RunProcess({TrustApplyBinary(), "apply", path}, {.env = {"TRUST_APPLY_REQUIRE_SIGNATURE=1"}});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("--require-signature: the artifacts must be verified"), std::string::npos)
      << r.err;
  EXPECT_NE(access(store_path_.c_str(), F_OK), 0);
  r = RunProcess({TrustApplyBinary(), "apply", path}, {.env = {"TRUST_APPLY_REQUIRE_SIGNATURE"}});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("warning: the artifacts were not verified"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace trust::test
