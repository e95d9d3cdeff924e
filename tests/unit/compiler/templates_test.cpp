// Template merging (docs/language.md, "template"), through small programs compiled end to end: a
// single-valued item in the body replaces the template's, list items are appended, chains of
// `from` apply in order.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "compiler/diag/render.h"
#include "compiler/driver/pipeline.h"
#include "tests/support/paths.h"
#include "tests/support/temp_tree.h"

namespace trust {
namespace {

namespace fs = std::filesystem;

class TemplateTest : public testing::Test {
 protected:
  void SetUp() override {
    fs::copy(fs::path(test_support::SourceDir()) / "tests" / "golden" / "certs", dir_ / "certs");
  }

  // Compiles `source` as main.trust; returns the IR dump, or the diagnostics on error.
  std::string Compile(const std::string& source, bool* ok = nullptr) {
    std::ofstream(dir_ / "main.trust") << source;
    driver::CompileOptions options;
    options.root_path = (dir_ / "main.trust").string();
    options.build_time = 1799971200;  // 2027-01-15
    auto compilation = driver::Compile(options);
    if (ok != nullptr) *ok = compilation->program.has_value();
    if (!compilation->program) {
      return diag::RenderText(compilation->emitter.diagnostics(), compilation->sources, {});
    }
    return ir::Dump(*compilation->program);
  }

  test::TempDir temp_{"trustc-test"};
  fs::path dir_ = temp_.path();
};

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_F(TemplateTest, TrustSingleValuedReplacedListsAppended) {
  std::string ir = Compile(R"(
template trust base {
  for ssl
  verify_hostname off
  name "from template"
  revocation off because "template reason"
}
cert root { file "certs/root-ca.pem" }
gateway gw {
  trust root from base {
    anchor
    for signing_server_certs
    name "from body"
    revocation default
  }
}
)");
  EXPECT_TRUE(Contains(ir, "trust root as \"from body\"")) << ir;
  EXPECT_TRUE(Contains(ir, "anchor: true")) << ir;
  EXPECT_TRUE(Contains(ir, "for: signing_server_certs ssl")) << ir;
  EXPECT_TRUE(Contains(ir, "verify_hostname: false")) << ir;  // kept from the template
  EXPECT_TRUE(Contains(ir, "revocation: default")) << ir;     // replaced by the body
}

TEST_F(TemplateTest, ChainAppliesInOrder) {
  std::string ir = Compile(R"(
template trust a { for ssl  name "a"  verify_hostname off }
template trust b from a { for saml_issuer  name "b" }
template trust c from b { anchor  verify_hostname on }
cert root { file "certs/root-ca.pem" }
gateway gw { trust root from c }
)");
  EXPECT_TRUE(Contains(ir, "trust root as \"b\"")) << ir;
  EXPECT_TRUE(Contains(ir, "for: saml_issuer ssl")) << ir;
  EXPECT_TRUE(Contains(ir, "verify_hostname: true")) << ir;
  EXPECT_TRUE(Contains(ir, "anchor: true")) << ir;
}

TEST_F(TemplateTest, KeystoreMerge) {
  std::string ir = Compile(R"(
cert root { file "certs/root-ca.pem" }
cert server_ca { file "certs/server-ca.pem" }
template keystore base {
  format jks
  path "/opt/a.jks"
  password env "A"
  trust root
  remove "old"
}
keystore ks from base {
  path "/opt/b.jks"
  password file "/etc/pass"
  trust server_ca
  remove "older"
}
)");
  EXPECT_TRUE(Contains(ir, "format: jks")) << ir;
  EXPECT_TRUE(Contains(ir, "path: /opt/b.jks")) << ir;
  EXPECT_TRUE(Contains(ir, "password: file /etc/pass")) << ir;
  EXPECT_TRUE(Contains(ir, "entry \"root\" = root")) << ir;
  EXPECT_TRUE(Contains(ir, "entry \"server_ca\" = server_ca")) << ir;
  EXPECT_TRUE(Contains(ir, "remove \"old\"\n  remove \"older\"")) << ir;
}

TEST_F(TemplateTest, IdentityProviderMerge) {
  std::string ir = Compile(R"(
cert client_ca { file "certs/client-ca.pem" }
template identity_provider base {
  credentials saml
  validation path
  name "Base"
  trust client_ca
  user "svc" { dn "CN=svc,O=trustc tests,C=US" }
}
gateway gw {
  trust client_ca { anchor for signing_client_certs }
  identity_provider idp from base {
    credentials x509, saml
    name "Derived"
    user "alice" { dn "CN=alice,OU=Users,O=trustc tests,C=US" }
  }
}
)");
  EXPECT_TRUE(Contains(ir, "identity_provider idp \"Derived\"")) << ir;
  EXPECT_TRUE(Contains(ir, "x509: true\n    saml: true\n    validation: path")) << ir;
  EXPECT_TRUE(Contains(ir, "trust: client_ca\n")) << ir;
  EXPECT_TRUE(Contains(ir, "user \"svc\"")) << ir;
  EXPECT_TRUE(Contains(ir, "user \"alice\"")) << ir;
}

TEST_F(TemplateTest, PolicyMerge) {
  std::string ir = Compile(R"(
import "std/lint"
template policy mine from lint.strict { min_rsa_bits 2048 }
policy from mine { expiry warn_within 10d }
cert root { file "certs/root-ca.pem" sha256 "57ab4c22b141b8392946dd1e7717252ca104dd9c23efc6377bd4bd9b1119e8d6" }
gateway gw { trust root { anchor } }
)");
  EXPECT_TRUE(Contains(ir, "min_rsa_bits: 2048")) << ir;
  EXPECT_TRUE(Contains(ir, "warn_within: 10d")) << ir;
}

TEST_F(TemplateTest, WrongKindAndCycleAreErrors) {
  bool ok = true;
  std::string out = Compile(R"(
template keystore ks_t { format pem path "/x" }
template trust a from b { anchor }
template trust b from a { }
cert root { file "certs/root-ca.pem" }
gateway gw { trust root from ks_t  }
keystore k from ks_t { trust root }
keystore l from a { format pem path "/y" trust root }
)",
                            &ok);
  EXPECT_FALSE(ok);
  EXPECT_TRUE(Contains(out, "[wrong_kind]")) << out;
  // An unusable `from` reports once, without "missing item" or "no purpose" follow-ups.
  EXPECT_FALSE(Contains(out, "[trust_no_purpose]")) << out;
  EXPECT_FALSE(Contains(out, "[missing_item]")) << out;
}

}  // namespace
}  // namespace trust
