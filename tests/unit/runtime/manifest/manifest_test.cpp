#include "runtime/manifest/manifest.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>
#include <string>

namespace trust::manifest {
namespace {

const std::string kSha(64, 'a');

Manifest Sample() {
  Manifest m;
  m.generator = "trustc 0.1.0";
  m.source = "main.trust";
  m.keystore = "connector_xpress";
  m.host = "Connector Xpress workstation";
  m.format = Format::kJks;
  m.path = "${env:CX_HOME}/jvm/lib/security/cacerts";
  m.password = PasswordEnv{"CX_STOREPASS"};
  m.entries.push_back({"api_gateway_cert", "../certs/" + kSha + ".der", kSha,
                       "CN=gw.example.com,O=Example", "2031-03-01T12:00:00Z", false,
                       "${env:GATEWAY_HOST}:8443"});
  m.remove = {"old_partner"};
  return m;
}

std::string Error(const std::string& json) {
  std::string error;
  EXPECT_FALSE(ReadManifest(json, &error).has_value()) << json;
  return error;
}

// Applies `edit` to the sample's JSON and returns the reader's error.
template <typename F>
std::string ErrorAfter(F edit) {
  nlohmann::ordered_json json = nlohmann::ordered_json::parse(WriteManifest(Sample()));
  edit(json);
  return Error(json.dump());
}

TEST(ManifestWriterTest, WritesSpecOrderAndIndent) {
  const std::string expected = R"({
  "schema": "trustc.keystore-manifest/1",
  "generator": "trustc 0.1.0",
  "source": "main.trust",
  "keystore": "connector_xpress",
  "host": "Connector Xpress workstation",
  "format": "jks",
  "path": "${env:CX_HOME}/jvm/lib/security/cacerts",
  "password": {
    "env": "CX_STOREPASS"
  },
  "create": false,
  "entries": [
    {
      "alias": "api_gateway_cert",
      "cert": "../certs/)" + kSha +
                               R"(.der",
      "sha256": ")" + kSha + R"(",
      "subject": "CN=gw.example.com,O=Example",
      "notAfter": "2031-03-01T12:00:00Z",
      "replace": false,
      "requireEndpoint": "${env:GATEWAY_HOST}:8443"
    }
  ],
  "remove": [
    "old_partner"
  ]
}
)";
  EXPECT_EQ(WriteManifest(Sample()), expected);
}

TEST(ManifestWriterTest, OmitsEmptyHostAndAbsentEndpoint) {
  Manifest m = Sample();
  m.host.clear();
  m.entries[0].require_endpoint.reset();
  m.password = PasswordNone{};
  std::string json = WriteManifest(m);
  EXPECT_EQ(json.find("\"host\""), std::string::npos);
  EXPECT_EQ(json.find("requireEndpoint"), std::string::npos);
  EXPECT_NE(json.find("\"none\": true"), std::string::npos);
}

TEST(ManifestReaderTest, RoundTrips) {
  for (Password password : {Password{PasswordNone{}}, Password{PasswordEnv{"X"}},
                            Password{PasswordFile{"/etc/pass"}}}) {
    Manifest m = Sample();
    m.password = password;
    m.host.clear();
    std::string error;
    std::optional<Manifest> read = ReadManifest(WriteManifest(m), &error);
    ASSERT_TRUE(read.has_value()) << error;
    EXPECT_EQ(*read, m);
  }
}

TEST(ManifestReaderTest, RejectsSyntaxAndTopLevel) {
  EXPECT_NE(Error("{").find("invalid JSON"), std::string::npos);
  EXPECT_EQ(Error("[]"), "(root): expected an object, found array");
  EXPECT_EQ(Error("{}"), "(root): missing key `schema`");
  EXPECT_EQ(Error(std::string(kMaxManifestBytes + 1, ' ')), "manifest is larger than 16 MiB");
}

TEST(ManifestReaderTest, RejectsUnknownSchema) {
  EXPECT_EQ(ErrorAfter([](auto& j) { j["schema"] = "trustc.keystore-manifest/2"; }),
            "schema: unsupported schema `trustc.keystore-manifest/2`, expected "
            "`trustc.keystore-manifest/1`");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["schema"] = 1; }),
            "schema: expected a string, found number");
}

TEST(ManifestReaderTest, RejectsUnknownAndMissingKeys) {
  EXPECT_EQ(ErrorAfter([](auto& j) { j["extra"] = 1; }), "extra: unknown key");
  EXPECT_EQ(ErrorAfter([](auto& j) { j.erase("create"); }), "(root): missing key `create`");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["entries"][0]["foo"] = 1; }), "entries[0].foo: unknown key");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["entries"][0].erase("sha256"); }),
            "entries[0]: missing key `sha256`");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["password"]["x"] = 1; }),
            "password: expected exactly one of `env`, `file`, `none`");
  EXPECT_EQ(ErrorAfter([](auto& j) {
              j["password"] = {{"literal", "x"}};
            }),
            "password.literal: unknown key");
}

TEST(ManifestReaderTest, RejectsDuplicateKeys) {
  std::string json = WriteManifest(Sample());
  json.insert(json.find("\"generator\""), "\"source\": \"x\",\n");
  EXPECT_EQ(Error(json), "`source`: duplicate key");
}

TEST(ManifestReaderTest, RejectsWrongTypes) {
  EXPECT_EQ(ErrorAfter([](auto& j) { j["create"] = "no"; }),
            "create: expected a boolean, found string");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["entries"] = 1; }),
            "entries: expected an array, found number");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["entries"][0] = 1; }),
            "entries[0]: expected an object, found number");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["entries"][0]["replace"] = 0; }),
            "entries[0].replace: expected a boolean, found number");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["remove"] = {1}; }),
            "remove[0]: expected a string, found number");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["remove"] = "x"; }),
            "remove: expected an array, found string");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["password"] = "secret"; }),
            "password: expected an object, found string");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["host"] = nullptr; }),
            "host: expected a string, found null");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["entries"][0]["requireEndpoint"] = ""; }),
            "entries[0].requireEndpoint: expected a non-empty string");
}

TEST(ManifestReaderTest, RejectsBadValues) {
  EXPECT_EQ(ErrorAfter([](auto& j) { j["format"] = "jceks"; }),
            "format: expected one of jks, pkcs12, pem, found `jceks`");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["path"] = ""; }), "path: expected a non-empty string");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["keystore"] = ""; }),
            "keystore: expected a non-empty string");
  EXPECT_EQ(ErrorAfter([](auto& j) {
              j["password"] = {{"none", false}};
            }),
            "password.none: expected true");
  EXPECT_EQ(ErrorAfter([](auto& j) {
              j["password"] = {{"env", "1X"}};
            }),
            "password.env: expected an environment variable name");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["entries"][0]["sha256"] = "abc"; }),
            "entries[0].sha256: expected 64 hex digits");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["entries"][0]["sha256"] = std::string(64, 'A'); }),
            "entries[0].sha256: expected lower-case hex digits");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["entries"][0]["notAfter"] = "2031-03-01"; }),
            "entries[0].notAfter: expected a time like 2031-03-01T12:00:00Z");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["entries"][0]["cert"] = "/abs.der"; }),
            "entries[0].cert: expected a path relative to the manifest");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["entries"][0]["alias"] = "a\tb"; }),
            "entries[0].alias: expected an alias of printable ASCII characters");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["entries"][0]["alias"] = "Debian:x"; }),
            "entries[0].alias: an alias must not start with `debian:` (update-ca-certificates "
            "prunes those)");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["entries"][0]["alias"] = std::string(256, 'a'); }),
            "entries[0].alias: alias longer than 255 characters");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["remove"] = {""}; }),
            "remove[0]: expected a non-empty alias");
}

TEST(ManifestReaderTest, RejectsDuplicateAliases) {
  EXPECT_EQ(ErrorAfter([](auto& j) { j["remove"] = {"API_Gateway_Cert"}; }),
            "remove[0]: duplicate alias `API_Gateway_Cert` (also entries[0].alias)");
  EXPECT_EQ(ErrorAfter([](auto& j) { j["entries"].push_back(j["entries"][0]); }),
            "entries[1].alias: duplicate alias `api_gateway_cert` (also entries[0].alias)");
}

TEST(ManifestReaderTest, RejectsTooManyEntries) {
  std::string error = ErrorAfter([](auto& j) {
    j["remove"] = nlohmann::ordered_json::array();
    for (size_t i = 0; i <= kMaxEntries; ++i) {
      j["remove"].push_back("a" + std::to_string(i));
    }
  });
  EXPECT_EQ(error, "remove: more than 100000 aliases");
}

TEST(ExpandEnvTest, ExpandsAndReportsUnset) {
  setenv("TRUST_TEST_HOME", "/opt/cx", 1);
  unsetenv("TRUST_TEST_UNSET");
  std::string error;
  EXPECT_EQ(ExpandEnv("${env:TRUST_TEST_HOME}/x/${env:TRUST_TEST_HOME}", &error),
            "/opt/cx/x//opt/cx");
  EXPECT_EQ(ExpandEnv("a$b${c}", &error), "a$b${c}");
  EXPECT_FALSE(ExpandEnv("${env:TRUST_TEST_UNSET}", &error));
  EXPECT_EQ(error, "environment variable `TRUST_TEST_UNSET` is not set");
  EXPECT_FALSE(ExpandEnv("x${env:ABC", &error));
  EXPECT_EQ(error, "unterminated placeholder `${env:ABC`");
  EXPECT_FALSE(ExpandEnv("${env:A-B}", &error));
  EXPECT_EQ(error, "invalid placeholder `${env:A-B}`: expected a variable name");
}

}  // namespace
}  // namespace trust::manifest
