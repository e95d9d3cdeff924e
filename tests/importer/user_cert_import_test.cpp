// Users that carry their own certificates, users without a login and providers without
// certificate references, as real gateway exports hold them (an OAuth Toolkit estate):
// `trustc import` reads them back, the imported source builds without errors, and the rebuilt
// install bundle holds the same users (DN, login, name, attached certificate bytes) and the
// same providers (settings, references) as the export. The export is
// tests/importer/bundles/attached-users.bundle, written by make-attached-users.sh beside it.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <tinyxml2.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/importer/shell.h"
#include "tests/support/paths.h"
#include "tests/support/reference.h"

namespace trust {
namespace {

namespace fs = std::filesystem;
using testing::HasSubstr;
using tinyxml2::XMLElement;

const fs::path kBundles = fs::path(test_support::SourceDir()) / "tests" / "importer" / "bundles";
constexpr const char* kNowFlag = " --now 2030-01-01T00:00:00Z";

std::string_view LocalName(std::string_view name) {
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

const XMLElement* Child(const XMLElement* parent, std::string_view local) {
  for (const XMLElement* c = parent ? parent->FirstChildElement() : nullptr; c != nullptr;
       c = c->NextSiblingElement()) {
    if (LocalName(c->Name()) == local) return c;
  }
  return nullptr;
}

std::vector<const XMLElement*> Children(const XMLElement* parent, std::string_view local) {
  std::vector<const XMLElement*> out;
  for (const XMLElement* c = parent ? parent->FirstChildElement() : nullptr; c != nullptr;
       c = c->NextSiblingElement()) {
    if (LocalName(c->Name()) == local) out.push_back(c);
  }
  return out;
}

std::string Text(const XMLElement* element) {
  return element != nullptr && element->GetText() != nullptr ? element->GetText() : "";
}

std::string Property(const XMLElement* entity, const std::string& key) {
  for (const XMLElement* p : Children(Child(entity, "Properties"), "Property")) {
    if (p->Attribute("key") != nullptr && p->Attribute("key") == key) {
      return Text(p->FirstChildElement());
    }
  }
  return "";
}

// The DER bytes of base64 that may be wrapped (exports wrap at 64 or 76 columns).
std::string Der(const std::string& base64) {
  std::string compact;
  for (char c : base64) {
    if (c != '\n' && c != '\r' && c != ' ') compact.push_back(c);
  }
  std::string der(compact.size(), '\0');
  int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(der.data()),
                               reinterpret_cast<const unsigned char*>(compact.data()),
                               static_cast<int>(compact.size()));
  if (length < 0) return "";
  size_t padding = compact.ends_with("==") ? 2 : compact.ends_with("=") ? 1 : 0;
  der.resize(static_cast<size_t>(length) - padding);
  return der;
}

// The trust content of one bundle's users and providers, keyed so that ids (which trustc
// derives and exports draw at random) do not matter.
struct Content {
  // provider name -> "x509 saml certificateValidation, N references"
  std::map<std::string, std::string> providers;
  // "provider | login | name | dn" -> DER of the attached certificate ("" when none)
  std::map<std::string, std::string> users;
};

Content Read(const fs::path& bundle) {
  tinyxml2::XMLDocument doc;
  EXPECT_EQ(doc.LoadFile(bundle.string().c_str()), tinyxml2::XML_SUCCESS) << bundle;
  Content content;
  std::map<std::string, std::string> provider_names;  // id -> name
  std::vector<const XMLElement*> users;
  for (const XMLElement* item : Children(Child(doc.RootElement(), "References"), "Item")) {
    const XMLElement* entity = Child(Child(item, "Resource"), "IdentityProvider");
    if (entity != nullptr) {
      std::string name = Text(Child(entity, "Name"));
      provider_names[entity->Attribute("id")] = name;
      const XMLElement* references =
          Child(Child(Child(entity, "Extension"), "FederatedIdentityProviderDetail"),
                "CertificateReferences");
      content.providers[name] = Property(entity, "enableCredentialType.x509") + " " +
                                Property(entity, "enableCredentialType.saml") + " " +
                                Property(entity, "certificateValidation") + ", " +
                                std::to_string(Children(references, "Reference").size()) +
                                " references";
    }
    if (const XMLElement* user = Child(Child(item, "Resource"), "User")) users.push_back(user);
  }
  for (const XMLElement* user : users) {
    std::string key = provider_names[user->Attribute("providerId")] + " | " +
                      Text(Child(user, "Login")) + " | " + Property(user, "name") + " | " +
                      Text(Child(user, "SubjectDn"));
    content.users[key] =
        Der(Text(Child(Child(Child(user, "Extension"), "CertificateData"), "Encoded")));
  }
  return content;
}

class UserCertImportTest : public test::TempDirTest {
 protected:
  // Writes TMP/otk-gw.bundle: the export with its first `from` replaced by `to`.
  void WriteExportWith(const std::string& from, const std::string& to) {
    std::string text = test::ReadFile(kBundles / "attached-users.bundle");
    size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::ofstream(tmp_ / "otk-gw.bundle") << text;
  }
};

// import → build; returns the rebuilt install bundle of gateway `gateway`.
fs::path ImportAndBuild(const fs::path& tmp, const fs::path& bundle, const std::string& gateway,
                        std::string* import_err) {
  test::Result import = test::Trustc("import " + test::Quoted(bundle) + " -o " +
                                     test::Quoted(tmp / "estate/main.trust") + kNowFlag);
  *import_err = import.err;
  EXPECT_EQ(import.status, 0) << import.err;
  test::Result build = test::Trustc("build " + test::Quoted(tmp / "estate/main.trust") + " -o " +
                                    test::Quoted(tmp / "out") + kNowFlag);
  EXPECT_EQ(build.status, 0) << build.err;
  EXPECT_THAT(build.err, testing::Not(HasSubstr("error"))) << build.err;
  return tmp / "out" / "gateways" / (gateway + ".install.bundle");
}

TEST_F(UserCertImportTest, LoginlessUsersWithCertificatesComeBackTheSame) {
  fs::path bundle = tmp_ / "otk-gw.bundle";
  fs::copy_file(kBundles / "attached-users.bundle", bundle);
  std::string err;
  fs::path rebuilt = ImportAndBuild(tmp_, bundle, "otk_gw", &err);
  EXPECT_THAT(err, testing::Not(HasSubstr("left out"))) << err;
  EXPECT_THAT(err, testing::Not(HasSubstr("not attached"))) << err;

  Content before = Read(bundle);
  Content after = Read(rebuilt);
  ASSERT_EQ(before.users.size(), 3u);
  EXPECT_EQ(after.providers, before.providers);
  EXPECT_EQ(after.users, before.users);
  for (const auto& [user, der] : after.users) EXPECT_FALSE(der.empty()) << user;

  std::string source = test::ReadFile(tmp_ / "estate/main.trust");
  EXPECT_THAT(source, HasSubstr("user name \"otk client 1\" {"));
  EXPECT_THAT(source, HasSubstr("user \"carol\" {"));
  EXPECT_THAT(source, testing::Not(HasSubstr("\n    trust ")));  // the provider trusts nothing
}

TEST_F(UserCertImportTest, ACertificateThatIsNotTheUsersIsLeftOffWithANote) {
  WriteExportWith("<l7:SubjectDn>CN=otk-client-2,", "<l7:SubjectDn>CN=someone-else,");
  std::string err;
  fs::path rebuilt = ImportAndBuild(tmp_, tmp_ / "otk-gw.bundle", "otk_gw", &err);
  EXPECT_THAT(err, HasSubstr("user `otk client 2` of `OTK Client Provider`: certificate not "
                             "attached (its subject is not the user's subject DN)"));
  // Without its certificate, the provider that trusts nothing could not authenticate that user.
  EXPECT_THAT(err, HasSubstr("identity provider `OTK Client Provider` accepts x509 credentials "
                             "but trusts no certificate and not every user carries its own "
                             "certificate: left out"));
  EXPECT_TRUE(Read(rebuilt).users.empty());
}

TEST_F(UserCertImportTest, AUserWithNeitherLoginNorNameIsALocatedError) {
  WriteExportWith("<l7:StringValue>otk client 1</l7:StringValue>",
                  "<l7:StringValue></l7:StringValue>");
  test::Result import =
      test::Trustc("import otk-gw.bundle -o estate/main.trust" + std::string(kNowFlag), tmp_);
  EXPECT_EQ(import.status, 1);
  EXPECT_EQ(import.err,
            "trustc: error: otk-gw.bundle:82: a user with neither l7:Login nor a `name` "
            "property\n");
  EXPECT_FALSE(fs::exists(tmp_ / "estate"));
}

// A real export with login-less users that carry certificates (an OAuth Toolkit estate), when
// the reference material holds one.
TEST_F(UserCertImportTest, RealExportWithLoginlessUsersKeepsThem) {
  const fs::path reference = test::ReferencePath("bundles");
  REQUIRE_REFERENCE(reference);
  fs::path found;
  for (const auto& entry : fs::directory_iterator(reference)) {
    std::string text = test::ReadFile(entry.path());
    if (text.find("<l7:Login></l7:Login>") != std::string::npos &&
        text.find("CertificateData") != std::string::npos) {
      found = entry.path();
    }
  }
  if (found.empty()) GTEST_SKIP() << "no export with login-less users in " << reference;
  fs::path bundle = tmp_ / "otk.bundle";
  fs::copy_file(found, bundle);
  std::string err;
  fs::path rebuilt = ImportAndBuild(tmp_, bundle, "otk", &err);
  Content before = Read(bundle);
  Content after = Read(rebuilt);
  size_t loginless = 0;
  for (const auto& [user, der] : before.users) {
    if (user.find(" |  | ") == std::string::npos || der.empty()) continue;
    ++loginless;
    EXPECT_TRUE(after.users.contains(user)) << user << "\n" << err;
    if (after.users.contains(user)) {
      EXPECT_EQ(after.users.at(user), der) << user;
    }
  }
  EXPECT_GT(loginless, 0u);
}

}  // namespace
}  // namespace trust
