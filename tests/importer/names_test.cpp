// Names and strings in generated source: valid identifiers, never keywords, escaped strings.
#include "compiler/importer/names.h"

#include <gtest/gtest.h>

#include "compiler/importer/keystore_reader.h"

namespace trust::importer {
namespace {

TEST(NamesTest, IdentifiersAreValidAndNeverKeywords) {
  EXPECT_EQ(Identifier("Provisioning Services CA", "x"), "provisioning_services_ca");
  EXPECT_EQ(Identifier("gdp__export-test", "x"), "gdp_export_test");
  EXPECT_EQ(Identifier("1st root", "x"), "_1st_root");
  EXPECT_EQ(Identifier("trust", "x"), "trust_");
  EXPECT_EQ(Identifier("x509", "x"), "x509_");
  EXPECT_EQ(Identifier("%%%", "cert"), "cert");
  EXPECT_TRUE(IsKeyword("require_endpoint"));
  EXPECT_FALSE(IsKeyword("ssl"));
  EXPECT_TRUE(IsIdentifier("api_gateway"));
  EXPECT_FALSE(IsIdentifier("gateway"));
  EXPECT_FALSE(IsIdentifier("a-b"));
}

TEST(NamesTest, StringsAreEscapedPerTheLanguage) {
  EXPECT_EQ(Quote(R"(a\b"c$d)"), R"("a\\b\"c$$d")");
  EXPECT_EQ(Quote("tab\there\n"), R"("tab\there\n")");
  EXPECT_EQ(Quote(std::string("\x01", 1)), R"("\u{1}")");
  EXPECT_EQ(Quote("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(Quote("a\xff\xc3z"), "\"a\xEF\xBF\xBD\xEF\xBF\xBDz\"");  // stray bytes: U+FFFD
}

TEST(NamesTest, FileStemsAreSafe) {
  EXPECT_EQ(FileStem("../../etc/passwd", "cert"), "etc_passwd");
  EXPECT_EQ(FileStem("Example Gateway CA", "cert"), "example_gateway_ca");
  EXPECT_EQ(FileStem("...", "cert"), "cert");
  EXPECT_EQ(FileStem("gateway.example.com", "cert"), "gateway_example_com");
}

TEST(NamesTest, ScopesMakeNamesUnique) {
  NameScope scope;
  EXPECT_EQ(scope.Claim("ca"), "ca");
  EXPECT_EQ(scope.Claim("ca"), "ca_2");
  EXPECT_EQ(scope.Claim("ca"), "ca_3");
}

TEST(NamesTest, KeystoreSpecs) {
  std::string error;
  auto plain = ParseKeystoreSpec("/opt/cx/cacerts:jks", &error);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->path, "/opt/cx/cacerts");
  EXPECT_EQ(plain->format, ir::KeystoreFormat::kJks);
  EXPECT_EQ(plain->password_env, "TRUSTC_KEYSTORE_PASSWORD");
  auto with_env = ParseKeystoreSpec("C:store.p12:pkcs12:CX_PASS", &error);
  ASSERT_TRUE(with_env);
  EXPECT_EQ(with_env->path, "C:store.p12");
  EXPECT_EQ(with_env->password_env, "CX_PASS");
  EXPECT_FALSE(ParseKeystoreSpec("store.jks", &error));
  EXPECT_FALSE(ParseKeystoreSpec("store.jks:jceks", &error));
  EXPECT_FALSE(ParseKeystoreSpec("store.jks:jks:NOT-A-NAME", &error));
}

}  // namespace
}  // namespace trust::importer
