// PKCS#12 aliases as the JVM sees them, with keytool as the oracle, on the PKCS#12 files that
// Debian ships in python3-cryptography-vectors (installed by scripts/install-deps.sh): bags
// without a friendlyName, several names, a non-ASCII (BMPString) name. A manifest alias must
// mean the same entry to trust-apply as to Java.
#include <unistd.h>

#include <algorithm>

#include "runtime/keystore/keystore.h"
#include "tests/unit/runtime/apply/apply_fixture.h"

namespace trust::test {
namespace {

constexpr char kVectors[] = "/usr/lib/python3/dist-packages/cryptography_vectors/pkcs12/";
constexpr char kVectorPassword[] = "password";

// "Alias name: X" lines of `keytool -list -v`, printed as UTF-8 whatever the locale.
std::vector<std::string> KeytoolAliases(const std::string& path) {
  std::string text = RunShell(
                         "LC_ALL=C.UTF-8 keytool -J-Dsun.stdout.encoding=UTF-8 -list -v "
                         "-storetype pkcs12 -storepass " +
                         std::string(kVectorPassword) + " -keystore '" + path + "' 2>&1")
                         .out;
  std::vector<std::string> aliases;
  static constexpr std::string_view kPrefix = "Alias name: ";
  size_t pos = 0;
  while ((pos = text.find(kPrefix, pos)) != std::string::npos) {
    size_t end = text.find('\n', pos);
    aliases.push_back(text.substr(pos + kPrefix.size(), end - pos - kPrefix.size()));
    pos = end;
  }
  std::sort(aliases.begin(), aliases.end());
  return aliases;
}

std::vector<std::string> OurAliases(const std::string& path) {
  std::string bytes = ReadFile(path);
  keystore::Secret secret(kVectorPassword);
  std::string error;
  auto store = keystore::OpenKeystore(bytes, keystore::StoreFormat::kPkcs12, &secret, &error);
  EXPECT_NE(store, nullptr) << path << ": " << error;
  std::vector<std::string> aliases;
  for (const keystore::EntryInfo& e : store ? store->List() : std::vector<keystore::EntryInfo>{}) {
    aliases.push_back(e.alias);
  }
  std::sort(aliases.begin(), aliases.end());
  return aliases;
}

class Pkcs12VectorsTest : public ApplyFixture {
 protected:
  void SetUp() override {
    ApplyFixture::SetUp();
    // The package is a test dependency (scripts/install-deps.sh): missing means a broken setup.
    ASSERT_EQ(access(kVectors, R_OK), 0)
        << kVectors
        << " is missing: install python3-cryptography-vectors (scripts/install-deps.sh)";
    if (!HaveProgram("keytool")) {
      GTEST_SKIP() << "keytool is not installed";
    }
  }
};

TEST_F(Pkcs12VectorsTest, AliasesAreThoseKeytoolShows) {
  for (const char* name : {"no-name-pwd.p12", "name-1-pwd.p12", "name-2-pwd.p12", "name-3-pwd.p12",
                           "name-2-3-pwd.p12", "name-all-pwd.p12", "name-unicode-pwd.p12"}) {
    std::string path = std::string(kVectors) + name;
    std::vector<std::string> java = KeytoolAliases(path);
    ASSERT_FALSE(java.empty()) << name << ": keytool listed nothing";
    EXPECT_EQ(OurAliases(path), java) << name;
  }
  EXPECT_EQ(KeytoolAliases(std::string(kVectors) + "name-unicode-pwd.p12"),
            std::vector<std::string>{"\xE2\x98\xBA"});  // U+263A, as a BMPString in the file
}

// The entry without a friendlyName is "1" to Java: a manifest that trusts a certificate as
// "1" names that (private-key) entry, so it is a conflict, not a second "1".
TEST_F(Pkcs12VectorsTest, AliasJavaGivesAnUnnamedEntryIsTaken) {
  std::string before = ReadFile(std::string(kVectors) + "no-name-pwd.p12");
  WriteFile(store_path_, before);
  setenv(kPasswordVar, kVectorPassword, 1);
  manifest::Manifest m = BaseManifest(manifest::Format::kPkcs12);
  m.create = false;
  m.entries.push_back(EntryFor("1", MakeCert("One")));
  EXPECT_EQ(Run("apply", {WriteManifest(m)}), 1);
  EXPECT_NE(err_.find("alias `1`: the alias holds a private-key entry"), std::string::npos) << err_;
  EXPECT_EQ(ReadFile(store_path_), before);
}

}  // namespace
}  // namespace trust::test
