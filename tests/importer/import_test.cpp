// `trustc import` end to end: a trustc bundle round-trips to byte-identical bundles, the real
// gateway exports import with one note per skipped kind, keytool stores import with their
// trusted entries, and malformed bundles fail located with nothing written.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "compiler/artifacts/artifacts.h"
#include "compiler/driver/pipeline.h"
#include "tests/importer/shell.h"
#include "tests/support/paths.h"
#include "tests/support/reference.h"

namespace trust {
namespace {

namespace fs = std::filesystem;
using testing::HasSubstr;
using testing::Not;

const fs::path kReference = test::ReferencePath("bundles");
constexpr int64_t kNow = 1893456000;  // 2030-01-01T00:00:00Z
constexpr const char* kNowFlag = " --now 2030-01-01T00:00:00Z";

std::unique_ptr<driver::Compilation> CompileAt(const fs::path& file) {
  driver::CompileOptions options;
  options.root_path = file.string();
  options.build_time = kNow;
  return driver::Compile(options);
}

using ImportTest = test::TempDirTest;

const ir::Trust* FindTrust(const ir::Program& program, const ir::Gateway& gateway,
                           const std::string& entity) {
  for (const ir::Trust& trust : gateway.trusts) {
    if (trust.entity_name == entity) return &trust;
  }
  (void)program;
  return nullptr;
}

TEST_F(ImportTest, RoundTripOfTheExampleGivesByteIdenticalBundles) {
  fs::path built = BuildExample();
  fs::create_directories(tmp_ / "imported");
  test::Result import =
      test::Trustc("import " + test::Quoted(built / "gateways/api_gateway.install.bundle") +
                   " -o " + test::Quoted(tmp_ / "imported/main.trust") + kNowFlag);
  ASSERT_EQ(import.status, 0) << import.err;

  auto original = CompileAt(tmp_ / "original/main.trust");
  auto imported = CompileAt(tmp_ / "imported/main.trust");
  ASSERT_TRUE(original->program.has_value());
  ASSERT_TRUE(imported->program.has_value()) << test::ReadFile(tmp_ / "imported/main.trust");
  for (const diag::Diagnostic& d : imported->emitter.diagnostics()) {
    EXPECT_NE(d.severity, diag::Severity::Error) << d.message;
  }
  // Entity names are kept and the output is called main.trust like the original, so even the
  // generator comment matches: the bundles are byte for byte the same.
  auto before = artifacts::Collect(*original->program, "trustc test");
  auto after = artifacts::Collect(*imported->program, "trustc test");
  for (const char* bundle :
       {"gateways/api_gateway.install.bundle", "gateways/api_gateway.delete.bundle"}) {
    ASSERT_TRUE(after.contains(bundle));
    EXPECT_EQ(before[bundle], after[bundle]) << bundle;
  }

  // The same trust, read structurally: entities, all flags, provider, references, users.
  const ir::Gateway& a = original->program->gateways.at(0);
  const ir::Gateway& b = imported->program->gateways.at(0);
  EXPECT_EQ(b.name, "api_gateway");
  EXPECT_EQ(b.mapping, a.mapping);
  ASSERT_EQ(b.trusts.size(), a.trusts.size());
  for (const ir::Trust& trust : a.trusts) {
    const ir::Trust* other = FindTrust(*imported->program, b, trust.entity_name);
    ASSERT_NE(other, nullptr) << trust.entity_name;
    EXPECT_EQ(other->anchor, trust.anchor);
    EXPECT_EQ(other->purposes, trust.purposes);
    EXPECT_EQ(other->verify_hostname, trust.verify_hostname);
    EXPECT_EQ(other->revocation_checking, trust.revocation_checking);
    EXPECT_EQ(imported->program->cert(other->cert).certificate->facts().sha256,
              original->program->cert(trust.cert).certificate->facts().sha256);
  }
  ASSERT_EQ(b.providers.size(), 1u);
  EXPECT_EQ(b.providers[0].display_name, a.providers[0].display_name);
  EXPECT_EQ(b.providers[0].x509, a.providers[0].x509);
  EXPECT_EQ(b.providers[0].saml, a.providers[0].saml);
  EXPECT_EQ(b.providers[0].validation, a.providers[0].validation);
  ASSERT_EQ(b.providers[0].trusted.size(), a.providers[0].trusted.size());
  ASSERT_EQ(b.providers[0].users.size(), a.providers[0].users.size());
  EXPECT_EQ(b.providers[0].users[0].login, a.providers[0].users[0].login);
  EXPECT_EQ(b.providers[0].users[0].dn, a.providers[0].users[0].dn);

  std::string source = test::ReadFile(tmp_ / "imported/main.trust");
  EXPECT_THAT(source, HasSubstr("revocation off because \"imported: revocation checking was "
                                "disabled on the gateway\""));
  // Already in the formatter's canonical layout.
  EXPECT_EQ(test::Trustc("fmt --check " + test::Quoted(tmp_ / "imported/main.trust")).status, 0);
}

TEST_F(ImportTest, ImportingTwiceIsStableAndReusesCertificateFiles) {
  fs::path built = BuildExample();
  fs::path bundle = built / "gateways/api_gateway.install.bundle";
  fs::create_directories(tmp_ / "imported");
  fs::path out = tmp_ / "imported/estate.trust";
  ASSERT_EQ(test::Trustc("import " + test::Quoted(bundle) + " -o " + test::Quoted(out)).status, 0);
  std::string first = test::ReadFile(out);
  ASSERT_EQ(test::Trustc("import " + test::Quoted(bundle) + " -o " + test::Quoted(out)).status, 0);
  EXPECT_EQ(test::ReadFile(out), first);
  size_t pem_files = 0;
  for (const auto& entry : fs::directory_iterator(tmp_ / "imported")) {
    pem_files += entry.path().extension() == ".pem" ? 1 : 0;
  }
  EXPECT_EQ(pem_files, 2u);  // the provisioning CA and the endpoint CA
}

// A gateway export differs from trustc's own: keys the gateway left at their defaults may be
// absent, l7:Encoded may wrap, mappings are NewOrExisting. Absent keys take the gateway's
// defaults (revocation on, hostname verification on), never false.
// Bundles and keystores go through the compiler's bounded reader: a FIFO is refused at once
// (a plain stream blocked on it forever), and so is anything that is not a regular file.
TEST_F(ImportTest, AFifoIsRefusedAtOnce) {
  ASSERT_EQ(mkfifo((tmp_ / "pipe").c_str(), 0600), 0);
  test::Result bundle =
      test::Trustc("import pipe -o out/main.trust" + std::string(kNowFlag), tmp_, "timeout 20");
  EXPECT_EQ(bundle.status, 1);
  EXPECT_THAT(bundle.err, HasSubstr("pipe: cannot read the bundle: is not a regular file"));
  test::Result keystore = test::Trustc(
      "import --keystore pipe:pem -o out/main.trust" + std::string(kNowFlag), tmp_, "timeout 20");
  EXPECT_EQ(keystore.status, 1);
  EXPECT_THAT(keystore.err, HasSubstr("pipe: cannot read the keystore: is not a regular file"));
  EXPECT_FALSE(fs::exists(tmp_ / "out/main.trust"));
}

// Output is staged like `build`'s: when the last write fails, the certificate files written
// before it are not left behind.
TEST_F(ImportTest, AFailedImportLeavesNothingBehind) {
  fs::path built = BuildExample();
  fs::create_directories(tmp_ / "imported/main.trust");  // the output cannot be written
  test::Result import =
      test::Trustc("import " + test::Quoted(built / "gateways/api_gateway.install.bundle") +
                   " -o " + test::Quoted(tmp_ / "imported/main.trust") + kNowFlag);
  EXPECT_EQ(import.status, 1);
  std::vector<std::string> left;
  for (const auto& entry : fs::recursive_directory_iterator(tmp_ / "imported")) {
    left.push_back(entry.path().lexically_relative(tmp_ / "imported").string());
  }
  EXPECT_EQ(left, std::vector<std::string>{"main.trust"}) << import.err;
}

TEST_F(ImportTest, ExportStyleBundleTakesGatewayDefaultsForAbsentKeys) {
  std::string bundle = test::ReadFile(BuildExample() / "gateways/api_gateway.install.bundle");
  bundle = std::regex_replace(bundle,
                              std::regex("<l7:Property key=\"(revocationCheckingEnabled|"
                                         "verifyHostname)\">[^\n]*\n[^\n]*\n[^\n]*\n"),
                              "");
  bundle = std::regex_replace(bundle, std::regex("<l7:Encoded>(.{64})"), "<l7:Encoded>$1\n");
  bundle = std::regex_replace(bundle, std::regex("NewOrUpdate"), "NewOrExisting");
  bundle = std::regex_replace(bundle, std::regex("<!--[^>]*-->\n"), "");
  std::ofstream(tmp_ / "prod-gw.bundle") << bundle;
  test::Result result = test::Trustc("import prod-gw.bundle -o estate.trust", tmp_);
  ASSERT_EQ(result.status, 0) << result.err;
  auto compilation = CompileAt(tmp_ / "estate.trust");
  ASSERT_TRUE(compilation->program.has_value());
  const ir::Gateway& gateway = compilation->program->gateways.at(0);
  EXPECT_EQ(gateway.name, "prod_gw");
  EXPECT_EQ(gateway.mapping, ir::Mapping::kByName);
  ASSERT_EQ(gateway.trusts.size(), 2u);
  for (const ir::Trust& trust : gateway.trusts) {
    EXPECT_TRUE(trust.revocation_checking) << trust.entity_name;
    EXPECT_TRUE(trust.verify_hostname) << trust.entity_name;
  }
  EXPECT_EQ(gateway.providers.at(0).users.at(0).login, "eta_server");
}

// The revocation policies of an export-style bundle (no generator comment, NewOrExisting), all
// their fields, and the certificates' SPECIFIED references to them survive import and build.
TEST_F(ImportTest, RevocationPoliciesAndTheirReferencesImport) {
  driver::CompileOptions options;
  options.root_path =
      (fs::path(test_support::SourceDir()) / "tests/golden/revocation_policy.trust").string();
  options.build_time = kNow;
  auto original = driver::Compile(options);
  ASSERT_TRUE(original->program.has_value());
  std::string bundle =
      artifacts::Collect(*original->program, "trustc test").at("gateways/gw.install.bundle");
  bundle = std::regex_replace(bundle, std::regex("<!--[^>]*-->\n"), "");
  bundle = std::regex_replace(bundle, std::regex("NewOrUpdate"), "NewOrExisting");
  std::ofstream(tmp_ / "prod-gw.bundle") << bundle;
  test::Result result = test::Trustc("import prod-gw.bundle -o estate.trust", tmp_);
  ASSERT_EQ(result.status, 0) << result.err;
  auto imported = CompileAt(tmp_ / "estate.trust");
  ASSERT_TRUE(imported->program.has_value()) << test::ReadFile(tmp_ / "estate.trust");
  const ir::Gateway& before = original->program->gateways.at(0);
  const ir::Gateway& after = imported->program->gateways.at(0);
  ASSERT_EQ(after.revocation_policies.size(), before.revocation_policies.size());
  for (const ir::RevocationPolicy& policy : before.revocation_policies) {
    auto same_name = [&](const ir::RevocationPolicy& p) {
      return p.display_name == policy.display_name;
    };
    auto it =
        std::find_if(after.revocation_policies.begin(), after.revocation_policies.end(), same_name);
    ASSERT_NE(it, after.revocation_policies.end()) << policy.display_name;
    EXPECT_EQ(it->default_policy, policy.default_policy);
    EXPECT_EQ(it->continue_on_unavailable, policy.continue_on_unavailable);
    EXPECT_EQ(it->default_success, policy.default_success);
    ASSERT_EQ(it->checks.size(), policy.checks.size());
    for (size_t i = 0; i < policy.checks.size(); ++i) {
      const ir::RevocationCheck& a = policy.checks[i];
      const ir::RevocationCheck& b = it->checks[i];
      EXPECT_EQ(b.ocsp, a.ocsp);
      EXPECT_EQ(b.from_certificate, a.from_certificate);
      EXPECT_EQ(b.url, a.url);
      EXPECT_EQ(b.allow_issuer_signature, a.allow_issuer_signature);
      ASSERT_EQ(b.signers.size(), a.signers.size());
      for (size_t s = 0; s < a.signers.size(); ++s) {
        EXPECT_EQ(imported->program->cert(b.signers[s]).certificate->facts().sha256,
                  original->program->cert(a.signers[s]).certificate->facts().sha256);
      }
    }
  }
  for (const ir::Trust& trust : before.trusts) {
    const ir::Trust* rebuilt = FindTrust(*imported->program, after, trust.entity_name);
    ASSERT_NE(rebuilt, nullptr) << trust.entity_name;
    EXPECT_EQ(rebuilt->revocation_checking, trust.revocation_checking);
    ASSERT_EQ(rebuilt->revocation_policy.has_value(), trust.revocation_policy.has_value());
    if (trust.revocation_policy) {
      EXPECT_EQ(after.revocation_policies[*rebuilt->revocation_policy].display_name,
                before.revocation_policies[*trust.revocation_policy].display_name);
    }
  }
}

TEST_F(ImportTest, RealGatewayExportsImportWithOneNotePerSkippedKind) {
  REQUIRE_REFERENCE(kReference / "gdp__export-test.bundle");
  for (const char* name : {"gdp__export-test.bundle", "gdp__environment-properties-test.bundle"}) {
    fs::path out = tmp_ / (std::string(name) + ".trust");
    test::Result result =
        test::Trustc("import " + test::Quoted(kReference / name) + " -o " + test::Quoted(out));
    ASSERT_EQ(result.status, 0) << name << "\n" << result.err;
    for (const char* kind : {"FOLDER", "POLICY", "RBAC_ROLE", "SSG_CONNECTOR", "ID_PROVIDER_CONFIG",
                             "USER", "CLUSTER_PROPERTY"}) {
      std::regex note(std::string("note: .*") + name + ": skipped [0-9]+ " + kind + " items?");
      auto begin = std::sregex_iterator(result.err.begin(), result.err.end(), note);
      EXPECT_EQ(std::distance(begin, std::sregex_iterator()), 1) << name << " " << kind << "\n"
                                                                 << result.err;
    }
    std::string source = test::ReadFile(out);
    EXPECT_THAT(source, HasSubstr("gateway gdp_"));
    auto compilation = CompileAt(out);
    EXPECT_TRUE(compilation->program.has_value()) << source;
  }
}

// A bundle as a gateway exports it, holding certificates that break lint rules.
std::string TrustedCertItem(const std::string& id, const std::string& name, const fs::path& pem,
                            const std::string& flag) {
  std::string text = test::ReadFile(pem);
  std::string base64;
  for (std::istringstream lines(text); std::getline(lines, text);) {
    if (!text.starts_with("-----")) base64 += text;
  }
  return "<l7:Item><l7:Name>" + name + "</l7:Name><l7:Id>" + id +
         "</l7:Id><l7:Type>TRUSTED_CERT</l7:Type><l7:Resource><l7:TrustedCertificate id=\"" + id +
         "\"><l7:Name>" + name + "</l7:Name><l7:CertificateData><l7:Encoded>" + base64 +
         "</l7:Encoded></l7:CertificateData><l7:Properties><l7:Property key=\"" + flag +
         "\"><l7:BooleanValue>true</l7:BooleanValue></l7:Property></l7:Properties>"
         "</l7:TrustedCertificate></l7:Resource></l7:Item>\n";
}

std::string BundleOf(const std::string& items) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<l7:Bundle "
         "xmlns:l7=\"http://ns.l7tech.com/2010/04/gateway-management\"><l7:References>\n" +
         items + "</l7:References><l7:Mappings/></l7:Bundle>\n";
}

const fs::path kGoldenCerts = fs::path(test_support::SourceDir()) / "tests/golden/certs";

TEST_F(ImportTest, FindingsOfImportedCertificatesAreWaivedAsABaseline) {
  std::ofstream(tmp_ / "legacy.bundle")
      << BundleOf(TrustedCertItem("00000000000000010000000000000001", "Old partner",
                                  kGoldenCerts / "expired.pem", "trustedForSsl") +
                  TrustedCertItem("00000000000000010000000000000002", "SHA1 signer",
                                  kGoldenCerts / "sha1.pem", "trustedForSigningServerCerts"));
  test::Result import =
      test::Trustc("import legacy.bundle -o estate.trust" + std::string(kNowFlag), tmp_);
  ASSERT_EQ(import.status, 0) << import.err;
  // Every waiver listed, one a line: the checker's own findings, errors and warnings alike.
  EXPECT_THAT(import.err, HasSubstr("trustc: baseline: 3 findings of what is on the gateway "
                                    "waived with \"imported: present on the gateway at import "
                                    "time\""));
  EXPECT_THAT(import.err, HasSubstr("trustc: baseline:   cert expired: expired\n"));
  EXPECT_THAT(import.err, HasSubstr("trustc: baseline:   cert sha1_signed: weak_signature\n"));
  EXPECT_THAT(import.err,
              HasSubstr("trustc: baseline:   gateway legacy, trust sha1_signed: anchor_not_ca\n"));
  std::string source = test::ReadFile(tmp_ / "estate.trust");
  EXPECT_THAT(source,
              HasSubstr("  allow expired because \"imported: present on the gateway at import "
                        "time\"\n"));
  EXPECT_THAT(source, HasSubstr("    allow anchor_not_ca because \"imported: present on the "
                                "gateway at import time\"\n"));

  test::Result check = test::Trustc("check estate.trust" + std::string(kNowFlag), tmp_);
  EXPECT_EQ(check.status, 0) << check.err;
  EXPECT_THAT(check.out, HasSubstr("0 error(s), 0 warning(s)"));
  // --no-baseline: the findings again, and the ignored waivers are not `unused_allow`.
  test::Result all = test::Trustc("check --no-baseline estate.trust" + std::string(kNowFlag), tmp_);
  EXPECT_EQ(all.status, 1);
  for (const char* rule : {"[expired]", "[weak_signature]", "[anchor_not_ca]"}) {
    EXPECT_THAT(all.err, HasSubstr(rule)) << all.err;
  }
  EXPECT_THAT(all.err, Not(HasSubstr("[unused_allow]")));
}

// Each import error is one line ending in a newline, whatever its cause.
TEST_F(ImportTest, ImportErrorsEndWithANewline) {
  std::ofstream(tmp_ / "user.bundle") << BundleOf(
      "<l7:Item><l7:Name/><l7:Id>00000000000000020000000000000001</l7:Id>"
      "<l7:Type>ID_PROVIDER_CONFIG</l7:Type><l7:Resource><l7:IdentityProvider "
      "id=\"00000000000000020000000000000001\"><l7:Name>p</l7:Name><l7:IdentityProviderType>"
      "Federated</l7:IdentityProviderType></l7:IdentityProvider></l7:Resource></l7:Item>\n"
      "<l7:Item><l7:Name/><l7:Id>00000000000000030000000000000001</l7:Id><l7:Type>USER"
      "</l7:Type><l7:Resource><l7:User id=\"00000000000000030000000000000001\" "
      "providerId=\"00000000000000020000000000000001\"><l7:Login/></l7:User></l7:Resource>"
      "</l7:Item>\n");
  std::ofstream(tmp_ / "broken.bundle") << "<l7:Bundle";
  for (const char* bundle : {"user.bundle", "broken.bundle", "missing.bundle"}) {
    test::Result import = test::Trustc(std::string("import ") + bundle + " -o out.trust", tmp_);
    if (import.status == 0) continue;  // a shape import has learnt to read meanwhile
    EXPECT_EQ(import.status, 1) << bundle;
    ASSERT_FALSE(import.err.empty()) << bundle;
    EXPECT_EQ(import.err.back(), '\n') << bundle << ": " << import.err;
  }
}

TEST_F(ImportTest, SkipNotesCountItems) {
  REQUIRE_REFERENCE(kReference / "gdp__export-test.bundle");
  test::Result result =
      test::Trustc("import " + test::Quoted(kReference / "gdp__export-test.bundle") + " -o " +
                   test::Quoted(tmp_ / "out.trust"));
  EXPECT_THAT(result.err, HasSubstr("skipped 37 RBAC_ROLE items"));
  EXPECT_THAT(result.err, HasSubstr("skipped 2 ID_PROVIDER_CONFIG items (identity providers "
                                    "that are not federated; Internal; Simple LDAP)"));
}

}  // namespace
}  // namespace trust
