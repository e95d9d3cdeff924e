// Keystores made by keytool, imported with --keystore next to a bundle: trusted entries become
// keystore entries, key entries are skipped with a note, and a certificate met in the bundle
// and in a keystore is declared once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "compiler/driver/pipeline.h"
#include "tests/importer/shell.h"

namespace trust {
namespace {

namespace fs = std::filesystem;
using testing::HasSubstr;

class KeystoreImportTest : public test::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    if (test::Shell("command -v keytool >/dev/null") != 0) GTEST_SKIP() << "no keytool";
  }

  // A store of `type` with two trusted certificates (mixed-case aliases) and a key pair.
  fs::path MakeStore(const std::string& name, const std::string& type) {
    fs::path store = tmp_ / name;
    fs::path certs = test::kExample / "certs/dev";
    std::string common = " -keystore " + test::Quoted(store) + " -storetype " + type +
                         " -storepass changeit -noprompt >/dev/null 2>&1";
    EXPECT_EQ(test::Shell("keytool -importcert -alias Gateway_Cert -file " +
                          test::Quoted(certs / "api-gateway-ssl.pem") + common),
              0);
    EXPECT_EQ(test::Shell("keytool -importcert -alias prov_ca -file " +
                          test::Quoted(certs / "provisioning-services-ca.cer") + common),
              0);
    EXPECT_EQ(test::Shell("keytool -genkeypair -alias mykey -dname CN=local -keyalg EC "
                          "-keypass changeit" +
                          common),
              0);
    return store;
  }
};

TEST_F(KeystoreImportTest, JksAndPkcs12WithABundle) {
  fs::path bundle = BuildExample() / "gateways/api_gateway.install.bundle";
  fs::path jks = MakeStore("connector.jks", "JKS");
  fs::path p12 = MakeStore("cacerts.p12", "PKCS12");
  fs::create_directories(tmp_ / "imported");
  fs::path out = tmp_ / "imported/estate.trust";
  test::Result result =
      test::Trustc("import " + test::Quoted(bundle) + " --keystore " +
                       test::Quoted(jks.string() + ":jks:KS_PASS") + " --keystore " +
                       test::Quoted(p12.string() + ":pkcs12") + " -o " + test::Quoted(out),
                   tmp_, "KS_PASS=changeit TRUSTC_KEYSTORE_PASSWORD=changeit");
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("connector.jks: skipped 1 private-key entry"));
  EXPECT_THAT(result.err, HasSubstr("cacerts.p12: skipped 1 private-key entry"));
  EXPECT_THAT(result.err, testing::Not(HasSubstr("changeit")));

  std::string source = test::ReadFile(out);
  EXPECT_THAT(source, HasSubstr("keystore connector {\n  format jks\n"));
  EXPECT_THAT(source, HasSubstr("password env \"KS_PASS\""));
  EXPECT_THAT(source, HasSubstr("keystore cacerts {\n  format pkcs12\n"));
  EXPECT_THAT(source, HasSubstr("password env \"TRUSTC_KEYSTORE_PASSWORD\""));
  EXPECT_THAT(source, HasSubstr("as \"gateway_cert\""));
  // The provisioning CA is in the bundle and in both stores: one declaration.
  const std::string pin = "5dca5708831c980fb0887649f1a48ff55a2cdd790401b9a9ba46d73eaf75b2be";
  EXPECT_EQ(source.find(pin), source.rfind(pin)) << source;

  driver::CompileOptions options;
  options.root_path = out.string();
  options.build_time = 1893456000;
  auto compilation = driver::Compile(options);
  ASSERT_TRUE(compilation->program.has_value()) << source;
  ASSERT_EQ(compilation->program->keystores.size(), 2u);
  for (const ir::Keystore& keystore : compilation->program->keystores) {
    ASSERT_EQ(keystore.entries.size(), 2u) << keystore.name;
    std::vector<std::string> aliases;
    for (const auto& entry : keystore.entries) aliases.push_back(entry.alias);
    EXPECT_THAT(aliases, testing::UnorderedElementsAre("gateway_cert", "prov_ca"));
  }
  EXPECT_EQ(compilation->program->gateways.size(), 1u);
}

// Without its password a JKS or PKCS#12 store is read but its integrity is not checked: a
// warning (not a note) says so and names the variable to set.
TEST_F(KeystoreImportTest, AnUnsetPasswordVariableIsAWarningThatNamesIt) {
  fs::path jks = MakeStore("store.jks", "JKS");
  test::Result result =
      test::Trustc("import --keystore " +
                       test::Quoted(jks.string() + ":jks:TRUSTC_TEST_UNSET_PASS") + " -o out.trust",
                   tmp_, "env -u TRUSTC_TEST_UNSET_PASS");
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("trustc: warning: "));
  EXPECT_THAT(result.err, HasSubstr("TRUSTC_TEST_UNSET_PASS is not set"));
  EXPECT_THAT(result.err, HasSubstr("integrity was NOT checked"));
  EXPECT_THAT(result.err, testing::Not(HasSubstr("note: " + jks.string() + ": TRUSTC_TEST")));
}

TEST_F(KeystoreImportTest, AWrongPasswordIsAnInputError) {
  fs::path jks = MakeStore("store.jks", "JKS");
  test::Result result =
      test::Trustc("import --keystore " + test::Quoted(jks.string() + ":jks") + " -o out.trust",
                   tmp_, "TRUSTC_KEYSTORE_PASSWORD=wrong");
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.err, HasSubstr("store.jks"));
  EXPECT_FALSE(fs::exists(tmp_ / "out.trust"));
}

// A Java truststore as Debian ships it: ca-certificates-java's entries are all `debian:`, and
// are left out with one note that counts them and says why; --verbose lists each.
TEST_F(KeystoreImportTest, DebianEntriesAreLeftOutWithOneNote) {
  fs::path store = tmp_ / "cacerts";
  fs::path certs = test::kExample / "certs/dev";
  std::string common = " -keystore " + test::Quoted(store) +
                       " -storetype JKS -storepass changeit -noprompt >/dev/null 2>&1";
  for (const char* alias : {"debian:one.pem", "debian:two.pem", "Debian:three.pem"}) {
    std::string file = std::string(alias) == "debian:two.pem" ? "provisioning-services-ca.cer"
                                                              : "api-gateway-ssl.pem";
    ASSERT_EQ(test::Shell("keytool -importcert -alias " + test::Quoted(alias) + " -file " +
                          test::Quoted(certs / file) + common),
              0);
  }
  ASSERT_EQ(test::Shell("keytool -importcert -alias local_ca -file " +
                        test::Quoted(test::kExample / "certs/dev/provisioning-services-ca.cer") +
                        " -keystore " + test::Quoted(store) +
                        " -storetype JKS -storepass changeit -noprompt >/dev/null 2>&1"),
            0);
  std::string args = "import --keystore " + test::Quoted(store.string() + ":jks") + " -o out.trust";
  test::Result result = test::Trustc(args, tmp_, "TRUSTC_KEYSTORE_PASSWORD=changeit");
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("cacerts: left out 3 entries: their aliases start with "
                                    "`debian:`: they belong to ca-certificates-java"));
  EXPECT_THAT(result.err, testing::Not(HasSubstr("debian:one.pem"))) << result.err;
  EXPECT_THAT(test::ReadFile(tmp_ / "out.trust"), HasSubstr("as \"local_ca\""));

  test::Result verbose =
      test::Trustc(args + " --verbose", tmp_, "TRUSTC_KEYSTORE_PASSWORD=changeit");
  ASSERT_EQ(verbose.status, 0) << verbose.err;
  for (const char* alias : {"`debian:one.pem`", "`debian:two.pem`", "`debian:three.pem`"}) {
    EXPECT_THAT(verbose.err, HasSubstr(std::string("left out ") + alias)) << verbose.err;
  }
}

}  // namespace
}  // namespace trust
