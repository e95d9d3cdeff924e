// Malformed bundles: a located error naming the file and line, exit 1, and no output file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "tests/importer/shell.h"

namespace trust {
namespace {

namespace fs = std::filesystem;
using testing::HasSubstr;

constexpr const char* kHead =
    "<?xml version=\"1.0\"?>\n"
    "<l7:Bundle xmlns:l7=\"http://ns.l7tech.com/2010/04/gateway-management\">\n"
    "  <l7:References>\n";

std::string CertItem(const std::string& id, const std::string& encoded) {
  return "    <l7:Item><l7:Name>c</l7:Name><l7:Id>" + id +
         "</l7:Id><l7:Type>TRUSTED_CERT</l7:Type>\n"
         "      <l7:Resource><l7:TrustedCertificate id=\"" +
         id +
         "\"><l7:Name>c</l7:Name>\n"
         "        <l7:CertificateData><l7:Encoded>" +
         encoded +
         "</l7:Encoded></l7:CertificateData>\n"
         "      </l7:TrustedCertificate></l7:Resource></l7:Item>\n";
}

class MalformedTest : public test::TempDirTest {
 protected:
  // Imports `text` as bad.bundle; expects exit 1, a message with `location`, no output.
  void ExpectFailure(const std::string& text, const std::string& location,
                     const std::string& words) {
    std::ofstream(tmp_ / "bad.bundle") << text;
    test::Result result = test::Trustc("import bad.bundle -o out.trust", tmp_);
    EXPECT_EQ(result.status, 1) << result.err;
    EXPECT_THAT(result.err, HasSubstr("bad.bundle:" + location + ":")) << result.err;
    EXPECT_THAT(result.err, HasSubstr(words));
    EXPECT_FALSE(fs::exists(tmp_ / "out.trust"));
  }
};

TEST_F(MalformedTest, NotXml) {
  // tinyxml2 places a mismatched end tag at the line of the element left open.
  ExpectFailure("<l7:Bundle>\n<l7:References>\n</l7:Bundle>\n", "2",
                "not well-formed XML: mismatched element");
  ExpectFailure("just text\n", "1", "not well-formed XML");
}

TEST_F(MalformedTest, WrongNamespace) {
  ExpectFailure("<?xml version=\"1.0\"?>\n<l7:Bundle xmlns:l7=\"urn:other\">\n</l7:Bundle>\n", "2",
                "not a RESTMAN bundle");
}

// tinyxml2 takes any bytes; names end up in .trust source, which must be UTF-8 (fuzz_bundle).
TEST_F(MalformedTest, InvalidUtf8) {
  ExpectFailure(std::string(kHead) + "  <!-- Partner \xE2\x28 provider -->\n" +
                    "  </l7:References>\n</l7:Bundle>\n",
                "4", "invalid UTF-8 byte");
}

TEST_F(MalformedTest, DuplicateId) {
  ExpectFailure(std::string(kHead) + CertItem("aa", "AAAA") + CertItem("aa", "AAAA") +
                    "  </l7:References>\n</l7:Bundle>\n",
                "8", "duplicate id aa");
}

TEST_F(MalformedTest, Base64GarbageInEncoded) {
  ExpectFailure(
      std::string(kHead) + CertItem("aa", "!!not base64!!") + "  </l7:References>\n</l7:Bundle>\n",
      "6", "not valid base64");
  ExpectFailure(std::string(kHead) + CertItem("aa", "aGVsbG8gd29ybGQ=") +
                    "  </l7:References>\n</l7:Bundle>\n",
                "6", "not a DER certificate");
}

TEST_F(MalformedTest, ReferenceToAMissingCertificate) {
  std::string provider =
      "    <l7:Item><l7:Name>p</l7:Name><l7:Id>bb</l7:Id><l7:Type>ID_PROVIDER_CONFIG</l7:Type>\n"
      "      <l7:Resource><l7:IdentityProvider id=\"bb\"><l7:Name>p</l7:Name>\n"
      "        <l7:IdentityProviderType>Federated</l7:IdentityProviderType>\n"
      "        <l7:Extension><l7:FederatedIdentityProviderDetail><l7:CertificateReferences>\n"
      "          <l7:Reference id=\"0123\"/>\n"
      "        </l7:CertificateReferences></l7:FederatedIdentityProviderDetail></l7:Extension>\n"
      "      </l7:IdentityProvider></l7:Resource></l7:Item>\n";
  ExpectFailure(std::string(kHead) + provider + "  </l7:References>\n</l7:Bundle>\n", "8",
                "references certificate 0123");
}

TEST_F(MalformedTest, MissingFileIsAnInputError) {
  test::Result result = test::Trustc("import missing.bundle -o out.trust", tmp_);
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.err, HasSubstr("missing.bundle: cannot read"));
}

TEST_F(MalformedTest, UsageErrorsExitTwo) {
  EXPECT_EQ(test::Trustc("import -o out.trust", tmp_).status, 2);
  EXPECT_EQ(test::Trustc("import x.bundle", tmp_).status, 2);
  EXPECT_EQ(test::Trustc("import x.bundle --keystore ks:jceks -o out.trust", tmp_).status, 2);
  EXPECT_EQ(test::Trustc("pin nowhere -o x.pem", tmp_).status, 2);
}

}  // namespace
}  // namespace trust
