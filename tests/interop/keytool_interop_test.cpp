// keytool -list must open every jks and pkcs12 store we write (aliases, trustedCertEntry,
// SHA-256 fingerprints); stores keytool wrote (private keys from -genkeypair, trusted
// certificates from -importcert) must go through an apply with their key entries intact.

#include <cctype>

#include "tests/support/paths.h"
#include "tests/support/store_format_param.h"
#include "tests/unit/runtime/apply/apply_fixture.h"

namespace trust::test {
namespace {

using manifest::Format;

struct Output {
  int status = -1;
  std::string text;  // stdout and stderr together
};

Output Shell(const std::string& command) {
  ProcessResult result = RunShell(command + " 2>&1");
  return {result.status, result.out};
}

// "01:F2:..." as keytool prints SHA-256 fingerprints.
std::string Fingerprint(const std::string& sha256) {
  std::string out;
  for (size_t i = 0; i < sha256.size(); i += 2) {
    out += (i ? ":" : "") + sha256.substr(i, 2);
  }
  for (char& c : out) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string StoreType(Format format) { return format == Format::kJks ? "JKS" : "PKCS12"; }

class KeytoolInteropTest : public ApplyFixture, public ::testing::WithParamInterface<Format> {
 protected:
  void SetUp() override {
    if (!HaveProgram("keytool")) {
      GTEST_SKIP() << "keytool is not installed";
    }
    ApplyFixture::SetUp();
  }

  Output Keytool(const std::string& args) {
    return Shell("keytool " + args + " -keystore '" + store_path_ + "' -storetype " +
                 StoreType(GetParam()) + " -storepass changeit");
  }

  // The alias's line of `keytool -list` and the fingerprint line that follows it.
  static bool Lists(const std::string& listing, const std::string& alias, const std::string& kind,
                    const std::string& sha256) {
    size_t at = listing.find("\n" + alias + ", ");
    size_t end = listing.find('\n', listing.find('\n', at + 1) + 1);
    if (at == std::string::npos) {
      return false;
    }
    std::string block = listing.substr(at, end - at);
    return block.find(kind) != std::string::npos &&
           (sha256.empty() || block.find(Fingerprint(sha256)) != std::string::npos);
  }

  void GenerateKeyAndImport(const TestCert& trusted) {
    Output gen = Keytool(
        "-genkeypair -alias MyKey -keyalg EC -groupname secp256r1 -dname 'CN=Key Owner' "
        "-startdate '2010/01/01 00:00:00' -validity 29000");
    ASSERT_EQ(gen.status, 0) << gen.text;
    WriteFile(dir_ + "/imported.der", trusted.der);
    Output imp = Keytool("-importcert -noprompt -alias Imported -file '" + dir_ + "/imported.der'");
    ASSERT_EQ(imp.status, 0) << imp.text;
  }
};

TEST_P(KeytoolInteropTest, KeytoolListsWhatWeWrite) {
  TestCert a = MakeCert("Alpha");
  TestCert b = MakeCert("Beta");
  manifest::Manifest m = BaseManifest(GetParam());
  m.entries.push_back(EntryFor("Alpha_Cert", a));
  m.entries.push_back(EntryFor("beta", b));
  ASSERT_EQ(Run("apply", {WriteManifest(m)}), 0) << err_;
  Output list = Keytool("-list");
  ASSERT_EQ(list.status, 0) << list.text;
  EXPECT_NE(list.text.find("Your keystore contains 2 entries"), std::string::npos) << list.text;
  EXPECT_TRUE(Lists(list.text, "alpha_cert", "trustedCertEntry", a.cert->facts().sha256))
      << list.text;
  EXPECT_TRUE(Lists(list.text, "beta", "trustedCertEntry", b.cert->facts().sha256)) << list.text;
}

TEST_P(KeytoolInteropTest, KeytoolListsPasswordlessPkcs12) {
  if (GetParam() != Format::kPkcs12) {
    GTEST_SKIP() << "jks stores always have a password";
  }
  TestCert a = MakeCert("Alpha");
  manifest::Manifest m = BaseManifest(GetParam());
  m.password = manifest::PasswordNone{};
  m.entries.push_back(EntryFor("alpha", a));
  ASSERT_EQ(Run("apply", {WriteManifest(m)}), 0) << err_;
  Output list = Shell("keytool -list -storetype PKCS12 -keystore '" + store_path_ + "' </dev/null");
  EXPECT_TRUE(Lists(list.text, "alpha", "trustedCertEntry", a.cert->facts().sha256)) << list.text;
}

TEST_P(KeytoolInteropTest, KeyEntriesSurviveAnApply) {
  TestCert imported = MakeCert("Imported");
  GenerateKeyAndImport(imported);
  Output before = Keytool("-exportcert -alias mykey -rfc");
  Output before_v = Keytool("-list -v -alias mykey");
  ASSERT_EQ(before.status, 0) << before.text;

  // Reads what keytool wrote: the key entry is listed and is a conflict, never a target.
  TestCert added = MakeCert("Added");
  manifest::Manifest m = BaseManifest(GetParam());
  m.create = false;
  m.entries.push_back(EntryFor("added", added));
  m.remove = {"imported"};
  std::string path = WriteManifest(m);
  ASSERT_EQ(Run("apply", {path}), 0) << err_;

  Output list = Keytool("-list");
  ASSERT_EQ(list.status, 0) << list.text;
  EXPECT_TRUE(Lists(list.text, "mykey", "PrivateKeyEntry", "")) << list.text;
  EXPECT_TRUE(Lists(list.text, "added", "trustedCertEntry", added.cert->facts().sha256))
      << list.text;
  EXPECT_EQ(list.text.find("imported,"), std::string::npos) << list.text;
  EXPECT_EQ(Keytool("-exportcert -alias mykey -rfc").text, before.text);
  EXPECT_EQ(Keytool("-list -v -alias mykey").text, before_v.text);

  // A key entry under a managed alias is a conflict; nothing is written.
  std::string bytes = ReadFile(store_path_);
  m.entries.push_back(EntryFor("MyKey", MakeCert("Intruder"), /*replace=*/true));
  WriteManifest(m);
  EXPECT_EQ(Run("apply", {path}), 1);
  EXPECT_NE(err_.find("private-key entry, which is never overwritten"), std::string::npos) << err_;
  EXPECT_EQ(ReadFile(store_path_), bytes);
}

TEST_P(KeytoolInteropTest, CliListsKeytoolStore) {
  GenerateKeyAndImport(MakeCert("Imported"));
  std::string binary = std::string(test_support::BinaryDir()) + "/bin/trust-apply";
  Output out = Shell(std::string(kPasswordVar) + "=changeit '" + binary + "' list '" + store_path_ +
                     "' --password-env " + kPasswordVar);
  ASSERT_EQ(out.status, 0) << out.text;
  size_t line = out.text.find("mykey ");
  ASSERT_NE(line, std::string::npos) << out.text;
  EXPECT_NE(out.text.substr(line, out.text.find('\n', line) - line).find("private-key"),
            std::string::npos)
      << out.text;
  EXPECT_NE(out.text.find("trusted"), std::string::npos) << out.text;
  EXPECT_EQ(out.text.find("changeit"), std::string::npos);
  Output wrong = Shell(std::string(kPasswordVar) + "=nope '" + binary + "' list '" + store_path_ +
                       "' --password-env " + kPasswordVar);
  EXPECT_EQ(wrong.status, 1);
  EXPECT_NE(wrong.text.find("wrong password or corrupt keystore"), std::string::npos) << wrong.text;
}

INSTANTIATE_TEST_SUITE_P(Formats, KeytoolInteropTest,
                         ::testing::Values(Format::kJks, Format::kPkcs12),
                         test::StoreFormatParamName());

}  // namespace
}  // namespace trust::test
