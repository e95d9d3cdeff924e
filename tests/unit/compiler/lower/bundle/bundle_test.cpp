// The writer against docs/bundles.md: every flag and purpose, both mapping
// modes, users with and without optional fields, two gateways, escaping, reproducibility. Each
// bundle is also run through the independent structural checker.
#include "compiler/lower/bundle/bundle.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <tinyxml2.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tests/unit/compiler/lower/bundle/bundle_checker.h"
#include "tests/unit/compiler/lower/bundle/test_program.h"

namespace trust::lower::bundle {
namespace {

using test::AddCert;
using test::MakeCertificate;
using test::MakeGateway;
using test::MakeTrust;
using test::MakeUser;
using tinyxml2::XMLElement;

constexpr char kUri[] = "http://ns.l7tech.com/2010/04/gateway-management";

std::unique_ptr<tinyxml2::XMLDocument> Parse(const std::string& xml) {
  auto doc = std::make_unique<tinyxml2::XMLDocument>();
  EXPECT_EQ(doc->Parse(xml.c_str(), xml.size()), tinyxml2::XML_SUCCESS) << xml;
  return doc;
}

std::vector<const XMLElement*> Children(const XMLElement* parent, const char* name) {
  std::vector<const XMLElement*> out;
  for (const XMLElement* e = parent ? parent->FirstChildElement(name) : nullptr; e;
       e = e->NextSiblingElement(name)) {
    out.push_back(e);
  }
  return out;
}

std::vector<const XMLElement*> Items(const tinyxml2::XMLDocument& doc) {
  return Children(doc.RootElement()->FirstChildElement("l7:References"), "l7:Item");
}

std::vector<const XMLElement*> Mappings(const tinyxml2::XMLDocument& doc) {
  return Children(doc.RootElement()->FirstChildElement("l7:Mappings"), "l7:Mapping");
}

const XMLElement* Entity(const XMLElement* item) {
  return item->FirstChildElement("l7:Resource")->FirstChildElement();
}

std::string Text(const XMLElement* e, const char* child) {
  const XMLElement* c = e ? e->FirstChildElement(child) : nullptr;
  return c && c->GetText() ? c->GetText() : "";
}

// "key=Type:value" for each property, in document order.
std::vector<std::string> Properties(const XMLElement* owner) {
  std::vector<std::string> out;
  for (const XMLElement* p : Children(owner->FirstChildElement("l7:Properties"), "l7:Property")) {
    const XMLElement* v = p->FirstChildElement();
    out.push_back(std::string(p->Attribute("key")) + "=" + v->Name() + ":" +
                  (v->GetText() ? v->GetText() : ""));
  }
  return out;
}

void ExpectValid(const ir::Program& program, const ir::Gateway& gateway) {
  std::string install = InstallBundle(program, gateway);
  std::string remove = DeleteBundle(program, gateway);
  EXPECT_EQ(test::CheckBundle(install, {.strict = true}), std::vector<std::string>{});
  EXPECT_EQ(test::CheckBundle(remove, {.strict = true}), std::vector<std::string>{});
  EXPECT_EQ(test::CheckDeleteBundle(install, remove), std::vector<std::string>{});
}

std::string B(bool b) { return b ? "true" : "false"; }

std::vector<std::string> TrustProperties(const std::array<bool, 8>& v) {
  return {"revocationCheckingEnabled=l7:BooleanValue:" + B(v[0]),
          "trustAnchor=l7:BooleanValue:" + B(v[1]),
          "trustedAsSamlAttestingEntity=l7:BooleanValue:" + B(v[2]),
          "trustedAsSamlIssuer=l7:BooleanValue:" + B(v[3]),
          "trustedForSigningClientCerts=l7:BooleanValue:" + B(v[4]),
          "trustedForSigningServerCerts=l7:BooleanValue:" + B(v[5]),
          "trustedForSsl=l7:BooleanValue:" + B(v[6]),
          "verifyHostname=l7:BooleanValue:" + B(v[7])};
}

TEST(BundleTest, SampleIsValidAndShaped) {
  ir::Program program = test::SampleProgram();
  const ir::Gateway& gateway = program.gateways[0];
  ExpectValid(program, gateway);
  std::string xml = InstallBundle(program, gateway);
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!--", 0), 0u) << xml;
  EXPECT_NE(xml.find("trustc"), std::string::npos);
  EXPECT_NE(xml.find("main.trust"), std::string::npos);
  EXPECT_EQ(xml.back(), '\n');
  EXPECT_NE(xml[xml.size() - 2], '\n');
  auto doc = Parse(xml);
  EXPECT_STREQ(doc->RootElement()->Name(), "l7:Bundle");
  EXPECT_STREQ(doc->RootElement()->Attribute("xmlns:l7"), kUri);
  auto items = Items(*doc);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(Text(items[0], "l7:Type"), "TRUSTED_CERT");
  EXPECT_EQ(Text(items[1], "l7:Type"), "ID_PROVIDER_CONFIG");
  EXPECT_EQ(Text(items[2], "l7:Type"), "USER");
  EXPECT_EQ(Text(items[0], "l7:Id"), Goid("prod", "TRUSTED_CERT", "Partner CA"));
  EXPECT_EQ(Text(items[1], "l7:Id"), Goid("prod", "ID_PROVIDER_CONFIG", "Partners"));
  EXPECT_EQ(Text(items[2], "l7:Id"), Goid("prod", "USER", "Partners\nalice"));
  EXPECT_EQ(items[0]->FirstChildElement("l7:TimeStamp"), nullptr);
}

TEST(BundleTest, CertificateData) {
  ir::Program program = test::SampleProgram();
  auto doc = Parse(InstallBundle(program, program.gateways[0]));
  const XMLElement* cert = Entity(Items(*doc)[0]);
  EXPECT_STREQ(cert->Name(), "l7:TrustedCertificate");
  EXPECT_EQ(Text(cert, "l7:Name"), "Partner CA");
  const XMLElement* data = cert->FirstChildElement("l7:CertificateData");
  const x509::Certificate& c = *program.certs[0].certificate;
  EXPECT_EQ(Text(data, "l7:IssuerName"), "CN=Partner CA");
  EXPECT_EQ(Text(data, "l7:SubjectName"), "CN=Partner CA");
  EXPECT_EQ(Text(data, "l7:SerialNumber"), "4242");
  std::string encoded = Text(data, "l7:Encoded");
  EXPECT_EQ(encoded.find_first_of("\r\n -"), std::string::npos);
  std::string der(encoded.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(der.data()),
                          reinterpret_cast<const unsigned char*>(encoded.data()),
                          static_cast<int>(encoded.size()));
  ASSERT_GE(n, 0);
  std::vector<uint8_t> expected = c.der();
  der.resize(expected.size());  // EVP_DecodeBlock keeps the padding bytes
  EXPECT_EQ(der, std::string(expected.begin(), expected.end()));
}

TEST(BundleTest, DefaultTrustWritesAllEightKeysInTableOrder) {
  ir::Program program;
  ir::CertId id = AddCert(program, "c", MakeCertificate("c", 1));
  ir::Gateway gateway = MakeGateway("gw");
  gateway.trusts.push_back(MakeTrust(id, "c"));
  auto doc = Parse(InstallBundle(program, gateway));
  EXPECT_EQ(Properties(Entity(Items(*doc)[0])),
            TrustProperties({true, false, false, false, false, false, false, true}));
  ExpectValid(program, gateway);
}

TEST(BundleTest, EachFlagAndPurposeSetsItsOwnProperty) {
  ir::Program program;
  ir::CertId id = AddCert(program, "c", MakeCertificate("c", 1));
  for (size_t flag = 0; flag < 8; ++flag) {
    ir::Trust trust = MakeTrust(id, "c");
    std::array<bool, 8> expected = {true, false, false, false, false, false, false, true};
    expected[flag] = !expected[flag];
    if (flag == 0) {
      trust.revocation_checking = false;
    }
    if (flag == 1) {
      trust.anchor = true;
    }
    if (flag >= 2 && flag <= 6) {
      trust.purposes[flag - 2] = true;  // purpose.def order
    }
    if (flag == 7) {
      trust.verify_hostname = false;
    }
    ir::Gateway gateway = MakeGateway("gw", {trust});
    auto doc = Parse(InstallBundle(program, gateway));
    EXPECT_EQ(Properties(Entity(Items(*doc)[0])), TrustProperties(expected)) << flag;
  }
}

TEST(BundleTest, PurposesAreNamedAsTheSpecSays) {
  // Independent of purpose.def: the DSL word and the property docs/bundles.md's table gives it.
  const std::pair<const char*, const char*> table[] = {
      {"saml_attesting_entity", "trustedAsSamlAttestingEntity"},
      {"saml_issuer", "trustedAsSamlIssuer"},
      {"signing_client_certs", "trustedForSigningClientCerts"},
      {"signing_server_certs", "trustedForSigningServerCerts"},
      {"ssl", "trustedForSsl"}};
  ir::Program program;
  ir::CertId id = AddCert(program, "c", MakeCertificate("c", 1));
  for (const auto& [word, property] : table) {
    ir::Trust trust = MakeTrust(id, "c");
    trust.purposes[static_cast<size_t>(*ir::PurposeFromWord(word))] = true;
    ir::Gateway gateway = MakeGateway("gw", {trust});
    auto doc = Parse(InstallBundle(program, gateway));
    std::vector<std::string> props = Properties(Entity(Items(*doc)[0]));
    int set = 0;
    for (const std::string& p : props) {
      set += p.ends_with(":true") ? 1 : 0;
    }
    EXPECT_EQ(set, 3) << word;  // revocation, verifyHostname and the purpose
    EXPECT_NE(
        std::find(props.begin(), props.end(), std::string(property) + "=l7:BooleanValue:true"),
        props.end())
        << word;
  }
}

ir::IdentityProvider MakeProvider(const std::string& name) {
  ir::IdentityProvider provider;
  provider.id = name;
  provider.display_name = name;
  return provider;
}

TEST(BundleTest, ProviderFlagsAndValidation) {
  const std::pair<ir::Validation, const char*> validations[] = {
      {ir::Validation::kGatewayDefault, nullptr},
      {ir::Validation::kCertificate, "Validate"},
      {ir::Validation::kPath, "Validate Certificate Path"},
      {ir::Validation::kRevocation, "Revocation Checking"}};
  ir::Program program;
  for (const auto& [validation, text] : validations) {
    for (int flags = 0; flags < 4; ++flags) {
      ir::IdentityProvider provider = MakeProvider("P");
      provider.saml = flags & 1;
      provider.x509 = flags & 2;
      provider.validation = validation;
      ir::Gateway gateway = MakeGateway("gw", {}, {provider});
      auto doc = Parse(InstallBundle(program, gateway));
      const XMLElement* entity = Entity(Items(*doc)[0]);
      EXPECT_EQ(Text(entity, "l7:IdentityProviderType"), "Federated");
      std::vector<std::string> expected = {
          "enableCredentialType.saml=l7:BooleanValue:" + B(provider.saml),
          "enableCredentialType.x509=l7:BooleanValue:" + B(provider.x509)};
      if (text) {
        expected.push_back(std::string("certificateValidation=l7:StringValue:") + text);
      }
      EXPECT_EQ(Properties(entity), expected);
      ExpectValid(program, gateway);
    }
  }
}

// A provider references the gateway's TRUSTED_CERT entity for the same certificate (by SHA-256,
// even through another Cert declaration), whatever that entity is named.
TEST(BundleTest, ProviderReferencesTrustedCertsById) {
  ir::Program program;
  auto root = MakeCertificate("Root", 1);
  ir::CertId a = AddCert(program, "a", root);
  ir::CertId b = AddCert(program, "b", MakeCertificate("B", 2));
  ir::CertId a_again = AddCert(program, "std.a", root);
  ir::Gateway gateway = MakeGateway("gw");
  gateway.trusts = {MakeTrust(a, "Zeta Root"), MakeTrust(b, "Alpha")};
  ir::IdentityProvider provider = MakeProvider("P");
  provider.trusted = {a_again, b};
  gateway.providers.push_back(provider);
  auto doc = Parse(InstallBundle(program, gateway));
  const XMLElement* refs = Entity(Items(*doc)[2])
                               ->FirstChildElement("l7:Extension")
                               ->FirstChildElement("l7:FederatedIdentityProviderDetail")
                               ->FirstChildElement("l7:CertificateReferences");
  EXPECT_STREQ(refs->Attribute("resourceUri"),
               (std::string(kUri) + "/trustedCertificates").c_str());
  auto ids = Children(refs, "l7:Reference");
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_STREQ(ids[0]->Attribute("id"), Goid("gw", "TRUSTED_CERT", "Zeta Root").c_str());
  EXPECT_STREQ(ids[1]->Attribute("id"), Goid("gw", "TRUSTED_CERT", "Alpha").c_str());
  ExpectValid(program, gateway);
}

TEST(BundleTest, ByNameMappings) {
  ir::Program program = test::SampleProgram();
  auto doc = Parse(InstallBundle(program, program.gateways[0]));
  auto mappings = Mappings(*doc);
  ASSERT_EQ(mappings.size(), 3u);
  std::string cert = Goid("prod", "TRUSTED_CERT", "Partner CA");
  std::string idp = Goid("prod", "ID_PROVIDER_CONFIG", "Partners");
  std::string user = Goid("prod", "USER", "Partners\nalice");
  const std::string expected[][4] = {
      {cert, "TRUSTED_CERT", std::string(kUri) + "/trustedCertificates/" + cert, "Partner CA"},
      {idp, "ID_PROVIDER_CONFIG", std::string(kUri) + "/identityProviders/" + idp, "Partners"},
      {user, "USER", std::string(kUri) + "/identityProviders/" + idp + "/users/" + user, "alice"}};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_STREQ(mappings[i]->Attribute("action"), "NewOrUpdate");
    EXPECT_EQ(mappings[i]->Attribute("srcId"), expected[i][0]);
    EXPECT_EQ(mappings[i]->Attribute("type"), expected[i][1]);
    EXPECT_EQ(mappings[i]->Attribute("srcUri"), expected[i][2]);
    EXPECT_EQ(Properties(mappings[i]),
              (std::vector<std::string>{"MapBy=l7:StringValue:name",
                                        "MapTo=l7:StringValue:" + expected[i][3]}));
  }
}

TEST(BundleTest, ByIdMappingsHaveNoProperties) {
  ir::Program program = test::SampleProgram();
  program.gateways[0].mapping = ir::Mapping::kById;
  for (const std::string& xml :
       {InstallBundle(program, program.gateways[0]), DeleteBundle(program, program.gateways[0])}) {
    auto doc = Parse(xml);
    for (const XMLElement* m : Mappings(*doc)) {
      EXPECT_EQ(m->FirstChildElement(), nullptr);
    }
  }
  ExpectValid(program, program.gateways[0]);
}

TEST(BundleTest, DeleteBundleReversesMappings) {
  ir::Program program = test::SampleProgram();
  auto doc = Parse(DeleteBundle(program, program.gateways[0]));
  auto mappings = Mappings(*doc);
  ASSERT_EQ(mappings.size(), 3u);
  EXPECT_STREQ(mappings[0]->Attribute("type"), "USER");
  EXPECT_STREQ(mappings[1]->Attribute("type"), "ID_PROVIDER_CONFIG");
  EXPECT_STREQ(mappings[2]->Attribute("type"), "TRUSTED_CERT");
  for (const XMLElement* m : mappings) {
    EXPECT_STREQ(m->Attribute("action"), "Delete");
  }
  EXPECT_EQ(Properties(mappings[0]),
            (std::vector<std::string>{"MapBy=l7:StringValue:name", "MapTo=l7:StringValue:alice"}));
}

TEST(BundleTest, UsersWithAndWithoutOptionalFields) {
  ir::Program program;
  ir::IdentityProvider provider = MakeProvider("P");
  provider.users.push_back(MakeUser("bare", "CN=bare"));
  ir::User full = MakeUser("full", "CN=full,O=Example");
  full.first_name = "Ada";
  full.last_name = "Lovelace";
  full.email = "ada@example.com";
  provider.users.push_back(full);
  ir::User partial = MakeUser("partial", "CN=partial");
  partial.last_name = "Only";
  provider.users.push_back(partial);
  ir::Gateway gateway = MakeGateway("gw", {}, {provider});
  auto doc = Parse(InstallBundle(program, gateway));
  auto items = Items(*doc);
  ASSERT_EQ(items.size(), 4u);
  const std::vector<std::vector<std::string>> expected = {
      {"l7:Login", "l7:SubjectDn", "l7:Properties"},
      {"l7:Login", "l7:FirstName", "l7:LastName", "l7:Email", "l7:SubjectDn", "l7:Properties"},
      {"l7:Login", "l7:LastName", "l7:SubjectDn", "l7:Properties"}};
  for (size_t i = 0; i < 3; ++i) {
    const XMLElement* user = Entity(items[i + 1]);
    std::vector<std::string> children;
    for (const XMLElement* c = user->FirstChildElement(); c; c = c->NextSiblingElement()) {
      children.emplace_back(c->Name());
    }
    EXPECT_EQ(children, expected[i]);
    std::string login = Text(user, "l7:Login");
    EXPECT_EQ(Text(items[i + 1], "l7:Name"), login);
    EXPECT_STREQ(user->Attribute("id"), Goid("gw", "USER", "P\n" + login).c_str());
    EXPECT_STREQ(user->Attribute("providerId"), Goid("gw", "ID_PROVIDER_CONFIG", "P").c_str());
    EXPECT_EQ(Properties(user), std::vector<std::string>{"name=l7:StringValue:" + login});
  }
  const XMLElement* ada = Entity(items[2]);
  EXPECT_EQ(Text(ada, "l7:FirstName"), "Ada");
  EXPECT_EQ(Text(ada, "l7:LastName"), "Lovelace");
  EXPECT_EQ(Text(ada, "l7:Email"), "ada@example.com");
  EXPECT_EQ(Text(ada, "l7:SubjectDn"), "CN=full,O=Example");
  ExpectValid(program, gateway);
}

TEST(BundleTest, SortsEachKindIntoItsBlock) {
  ir::Program program;
  ir::CertId c = AddCert(program, "c", MakeCertificate("c", 1));
  ir::Gateway gateway = MakeGateway("gw");
  gateway.trusts = {MakeTrust(c, "b-cert"), MakeTrust(c, "a-cert"), MakeTrust(c, "C-cert")};
  ir::IdentityProvider zed = MakeProvider("Zed");
  zed.users = {MakeUser("amy", "CN=amy")};
  ir::IdentityProvider abe = MakeProvider("Abe");
  abe.users = {MakeUser("zoe", "CN=zoe"), MakeUser("bob", "CN=bob")};
  gateway.providers = {zed, abe};
  auto doc = Parse(InstallBundle(program, gateway));
  std::vector<std::string> names;
  for (const XMLElement* item : Items(*doc)) {
    names.push_back(Text(item, "l7:Name"));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"C-cert", "a-cert", "b-cert", "Abe", "Zed", "bob",
                                             "zoe", "amy"}));
  std::vector<std::string> mapped;
  for (const XMLElement* m : Mappings(*doc)) {
    mapped.emplace_back(m->Attribute("srcId"));
  }
  std::vector<std::string> ids;
  for (const XMLElement* item : Items(*doc)) {
    ids.push_back(Text(item, "l7:Id"));
  }
  EXPECT_EQ(mapped, ids);
  ExpectValid(program, gateway);
}

TEST(BundleTest, TwoGatewaysGetTheirOwnEntitiesAndIds) {
  ir::Program program = test::SampleProgram();
  ir::Gateway staging = program.gateways[0];
  staging.name = "staging";
  staging.providers.clear();
  program.gateways.push_back(staging);
  auto prod = Parse(InstallBundle(program, program.gateways[0]));
  auto stag = Parse(InstallBundle(program, program.gateways[1]));
  ASSERT_EQ(Items(*prod).size(), 3u);
  ASSERT_EQ(Items(*stag).size(), 1u);
  EXPECT_EQ(Text(Items(*prod)[0], "l7:Name"), Text(Items(*stag)[0], "l7:Name"));
  EXPECT_NE(Text(Items(*prod)[0], "l7:Id"), Text(Items(*stag)[0], "l7:Id"));
  EXPECT_EQ(Text(Items(*stag)[0], "l7:Id"), Goid("staging", "TRUSTED_CERT", "Partner CA"));
  ExpectValid(program, program.gateways[1]);
}

TEST(BundleTest, EscapesMarkupAndKeepsNonAscii) {
  const std::string weird = "A & B <C> \"q\" 'a'";
  const std::string unicode = "Zürich – 東京 🔒";
  ir::Program program;
  program.root_source = "dir--x/ma-in.trust";
  ir::CertId c = AddCert(program, "c", MakeCertificate(unicode, 7));
  ir::Gateway gateway = MakeGateway(weird);
  gateway.trusts = {MakeTrust(c, weird)};
  ir::IdentityProvider provider = MakeProvider(unicode);
  provider.trusted = {c};
  ir::User user = MakeUser(weird, "CN=" + unicode);
  user.first_name = unicode;
  provider.users = {user};
  gateway.providers = {provider};
  std::string xml = InstallBundle(program, gateway);
  EXPECT_NE(xml.find("A &amp; B &lt;C&gt;"), std::string::npos);
  EXPECT_NE(xml.find(unicode), std::string::npos);  // raw UTF-8, not character references
  auto doc = Parse(xml);
  auto items = Items(*doc);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(Text(items[0], "l7:Name"), weird);
  EXPECT_EQ(Text(Entity(items[0]), "l7:Name"), weird);
  EXPECT_EQ(Text(Entity(items[0])->FirstChildElement("l7:CertificateData"), "l7:SubjectName"),
            "CN=" + unicode);
  EXPECT_EQ(Text(items[1], "l7:Name"), unicode);
  EXPECT_EQ(Text(Entity(items[2]), "l7:Login"), weird);
  EXPECT_EQ(Text(Entity(items[2]), "l7:FirstName"), unicode);
  EXPECT_EQ(Text(Entity(items[2]), "l7:SubjectDn"), "CN=" + unicode);
  EXPECT_EQ(Properties(Mappings(*doc)[0])[1], "MapTo=l7:StringValue:" + weird);
  EXPECT_EQ(Properties(Mappings(*doc)[2])[1], "MapTo=l7:StringValue:" + weird);
  ExpectValid(program, gateway);
}

TEST(BundleTest, ByteIdenticalAcrossRuns) {
  ir::Program other = test::SampleProgram();
  std::string first = InstallBundle(other, other.gateways[0]);
  ir::Program program = test::SampleProgram();
  // A fresh program has a fresh key, so compare two runs over one program, and two programs
  // apart from the certificate bytes.
  EXPECT_EQ(InstallBundle(program, program.gateways[0]),
            InstallBundle(program, program.gateways[0]));
  EXPECT_EQ(DeleteBundle(program, program.gateways[0]), DeleteBundle(program, program.gateways[0]));
  std::string second = InstallBundle(program, program.gateways[0]);
  auto strip = [](std::string xml) {
    size_t at = xml.find("<l7:Encoded>");
    return xml.erase(at, xml.find("</l7:Encoded>") - at);
  };
  EXPECT_EQ(strip(first), strip(second));
}

TEST(BundleTest, EmptyGateway) {
  ir::Program program;
  ir::Gateway gateway = MakeGateway("empty");
  ExpectValid(program, gateway);
}

}  // namespace
}  // namespace trust::lower::bundle
