#include "runtime/x509/dn.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

namespace trust::x509 {
namespace {

struct X509NameDeleter {
  void operator()(X509_NAME* name) const { X509_NAME_free(name); }
};
using X509NamePtr = std::unique_ptr<X509_NAME, X509NameDeleter>;

DistinguishedName Parse(std::string_view text) {
  std::string error;
  std::optional<DistinguishedName> dn = ParseDn(text, &error);
  EXPECT_TRUE(dn.has_value()) << text << ": " << error;
  return dn.value_or(DistinguishedName{});
}

std::string ParseError(std::string_view text) {
  std::string error;
  const std::optional<DistinguishedName> dn = ParseDn(text, &error);
  EXPECT_FALSE(dn.has_value()) << text;
  return error;
}

bool Equal(std::string_view a, std::string_view b) { return DnEqual(Parse(a), Parse(b)); }

// A one-RDN-per-attribute DN, in RFC 4514 order.
DistinguishedName Dn(std::vector<std::pair<std::string, std::string>> attributes) {
  DistinguishedName dn;
  for (auto& [type, value] : attributes) {
    dn.rdns.push_back({{std::move(type), std::move(value)}});
  }
  return dn;
}

// `set` -1 joins the previous RDN (multi-valued), 0 starts a new one.
void AddEntry(X509_NAME* name, const char* type, const std::string& value, int set = 0) {
  ASSERT_EQ(X509_NAME_add_entry_by_txt(name, type, MBSTRING_UTF8,
                                       reinterpret_cast<const unsigned char*>(value.data()),
                                       static_cast<int>(value.size()), -1, set),
            1)
      << type;
}

// ---------------------------------------------------------------------------------------------
// Parsing

TEST(PemDnTest, ParsesInRfc4514Order) {
  const DistinguishedName dn = Parse("CN=leaf,O=Example,C=US");
  EXPECT_EQ(dn, Dn({{"CN", "leaf"}, {"O", "Example"}, {"C", "US"}}));
}

TEST(PemDnTest, TypesAreCanonical) {
  EXPECT_EQ(Parse("cn=a,o=b,ou=c,l=d,st=e,c=US"),
            Dn({{"CN", "a"}, {"O", "b"}, {"OU", "c"}, {"L", "d"}, {"ST", "e"}, {"C", "US"}}));
  EXPECT_EQ(Parse("commonName=a,organizationName=b"), Dn({{"CN", "a"}, {"O", "b"}}));
  EXPECT_EQ(Parse("E=a@b,EMAIL=c@d,emailaddress=e@f"),
            Dn({{"emailAddress", "a@b"}, {"emailAddress", "c@d"}, {"emailAddress", "e@f"}}));
  EXPECT_EQ(Parse("S=NY,street=Main,dc=example,uid=jdoe,serialNumber=7"),
            Dn({{"ST", "NY"},
                {"street", "Main"},
                {"DC", "example"},
                {"UID", "jdoe"},
                {"serialNumber", "7"}}));
}

TEST(PemDnTest, NumericOids) {
  EXPECT_EQ(Parse("2.5.4.3=a,OID.2.5.4.10=b,oid.2.5.4.6=US"),
            Dn({{"CN", "a"}, {"O", "b"}, {"C", "US"}}));
  EXPECT_EQ(Parse("1.3.6.1.4.1.99999.1=x"), Dn({{"1.3.6.1.4.1.99999.1", "x"}}));
}

TEST(PemDnTest, Escapes) {
  EXPECT_EQ(Parse(R"(CN=a\,b\+c\"d\\e\<f\>g\;h\=i)"), Dn({{"CN", R"(a,b+c"d\e<f>g;h=i)"}}));
  EXPECT_EQ(Parse(R"(CN=\#hash)"), Dn({{"CN", "#hash"}}));
  EXPECT_EQ(Parse(R"(CN=\ lead,O=trail\ )"), Dn({{"CN", " lead"}, {"O", "trail "}}));
  EXPECT_EQ(Parse(R"(CN=caf\C3\A9)"), Dn({{"CN", "caf\xC3\xA9"}}));
  EXPECT_EQ(Parse("CN=caf\xC3\xA9"), Dn({{"CN", "caf\xC3\xA9"}}));
  EXPECT_EQ(Parse("CN=a=b"), Dn({{"CN", "a=b"}}));  // `=` may stay unescaped in a value
}

TEST(PemDnTest, SpacesAroundTypesAndValuesAreTrimmed) {
  EXPECT_EQ(Parse("  CN = a b  ,  O =x , C= US "), Dn({{"CN", "a b"}, {"O", "x"}, {"C", "US"}}));
}

TEST(PemDnTest, EmptyValue) { EXPECT_EQ(Parse("CN=,O=x"), Dn({{"CN", ""}, {"O", "x"}})); }

TEST(PemDnTest, MultiValuedRdn) {
  const DistinguishedName dn = Parse("CN=a + UID=b,O=x");
  ASSERT_EQ(dn.rdns.size(), 2U);
  ASSERT_EQ(dn.rdns[0].size(), 2U);
  EXPECT_EQ(dn.rdns[0][0].type, "CN");
  EXPECT_EQ(dn.rdns[0][0].value, "a");
  EXPECT_EQ(dn.rdns[0][1].type, "UID");
  EXPECT_EQ(dn.rdns[0][1].value, "b");
}

TEST(PemDnTest, HexValues) {
  EXPECT_EQ(Parse("CN=#0C0568656C6C6F"), Dn({{"CN", "hello"}}));             // UTF8String
  EXPECT_EQ(Parse("CN=#1303616263 ,O=x"), Dn({{"CN", "abc"}, {"O", "x"}}));  // PrintableString
  EXPECT_EQ(Parse("CN=#1e020041+UID=y"), (DistinguishedName{{{{"CN", "A"}, {"UID", "y"}}}}));
  EXPECT_EQ(ParseError("CN=#0C"), "the hex value of `CN` at offset 3 is not one BER-encoded value");
  EXPECT_EQ(ParseError("CN=#"), "the hex value of `CN` at offset 3 is not one BER-encoded value");
  EXPECT_EQ(ParseError("CN=#0C016100"),
            "the hex value of `CN` at offset 3 is not one BER-encoded value");
  EXPECT_EQ(ParseError("CN=#0C0"), "odd number of hex digits in the value of `CN` at offset 6");
  EXPECT_EQ(ParseError("CN=#0C0161 x"),
            "expected `,` or `+` after the hex value of `CN` at offset 11, found `x`");
}

// RFC 4514 2.4: a value that is not a character string (a BIT STRING x500UniqueIdentifier, an
// INTEGER, an OCTET STRING) has no text: it stays `#` + the hex of its BER encoding.
TEST(PemDnTest, NonStringHexValuesStayHex) {
  const DistinguishedName dn = Parse("x500UniqueIdentifier=#03090070b3d51f305f0001,CN=x");
  ASSERT_EQ(dn.rdns.size(), 2u);
  EXPECT_EQ(dn.rdns[0][0], (DnAttribute{"x500UniqueIdentifier", "#03090070B3D51F305F0001", true}));
  EXPECT_EQ(FormatDn(dn), "x500UniqueIdentifier=#03090070B3D51F305F0001,CN=x");
  EXPECT_TRUE(Equal("CN=#020101", "cn=#020101"));
  // A text value that happens to read `#...` is another value.
  EXPECT_FALSE(Equal("CN=#020101", R"(CN=\#020101)"));
}

TEST(PemDnTest, Errors) {
  EXPECT_EQ(ParseError(""), "empty distinguished name");
  EXPECT_EQ(ParseError("   "), "empty distinguished name");
  EXPECT_EQ(ParseError("CN"),
            "expected `=` after attribute type `CN` at offset 2, found the end of the text");
  EXPECT_EQ(ParseError("CN x=y"), "expected `=` after attribute type `CN` at offset 3, found `x`");
  EXPECT_EQ(ParseError("=x"), "expected an attribute type at offset 0, found `=`");
  EXPECT_EQ(ParseError("CN=a,"),
            "expected an attribute type at offset 5, found the end of the text");
  EXPECT_EQ(ParseError("CN=a,,O=b"), "expected an attribute type at offset 5, found `,`");
  EXPECT_EQ(ParseError("CN=a+"),
            "expected an attribute type at offset 5, found the end of the text");
  EXPECT_EQ(ParseError("FOO=x"), "unknown attribute type `FOO` at offset 0");
  EXPECT_EQ(ParseError("CN=a,9.9=x"), "unknown attribute type `9.9` at offset 5");  // arc 9
  EXPECT_EQ(ParseError("CN=a,1..2=x"), "unknown attribute type `1..2` at offset 5");
  EXPECT_EQ(ParseError("OID.CN=x"), "unknown attribute type `OID.CN` at offset 0");
}

TEST(PemDnTest, ValueErrors) {
  EXPECT_EQ(ParseError("CN=a;O=b"),
            "unescaped `;` in the value of `CN` at offset 4; write it as `\\;` (RDNs are separated "
            "by `,`)");
  EXPECT_EQ(ParseError("CN=a\"b\""),
            "unescaped `\"` in the value of `CN` at offset 4; write it as `\\\"`");
  EXPECT_EQ(ParseError("CN=<a>"),
            "unescaped `<` in the value of `CN` at offset 3; write it as `\\<`");
  EXPECT_EQ(ParseError("CN=a\\"), "unfinished escape at offset 4");
  EXPECT_EQ(ParseError("CN=a\\q"), "invalid escape `\\q` at offset 4");
  EXPECT_EQ(ParseError("CN=a\\4"), "invalid escape `\\4` at offset 4");
  EXPECT_EQ(ParseError("CN=\\FF"), "the value of `CN` at offset 3 is not valid UTF-8");
  EXPECT_EQ(ParseError("CN=\xC3"), "the value of `CN` at offset 3 is not valid UTF-8");
  EXPECT_EQ(ParseError("CN=\xC0\xAF"), "the value of `CN` at offset 3 is not valid UTF-8");
}

TEST(PemDnTest, NullErrorPointerIsAllowed) {
  EXPECT_FALSE(ParseDn("FOO=x", nullptr).has_value());
  EXPECT_FALSE(ParseDn("", nullptr).has_value());
}

// ---------------------------------------------------------------------------------------------
// Comparison

TEST(PemDnTest, EqualIgnoresCaseOfTypesAndValues) {
  EXPECT_TRUE(Equal("CN=Leaf,O=Example,C=US", "cn=LEAF,o=example,c=us"));
  EXPECT_TRUE(Equal("CN=x", "2.5.4.3=X"));
  EXPECT_TRUE(Equal("E=a@b.com", "emailAddress=A@B.COM"));
}

TEST(PemDnTest, EqualCollapsesWhiteSpace) {
  EXPECT_TRUE(Equal("CN=a  b", "CN= a b "));
  EXPECT_TRUE(Equal(R"(CN=\ a\09b\ )", "CN=a b"));
  EXPECT_FALSE(Equal("CN=ab", "CN=a b"));
}

TEST(PemDnTest, EqualRespectsOrderAndCount) {
  EXPECT_FALSE(Equal("CN=a,O=b", "O=b,CN=a"));
  EXPECT_FALSE(Equal("CN=a,O=b", "CN=a"));
  EXPECT_FALSE(Equal("CN=a,O=b", "CN=a,O=c"));
  EXPECT_FALSE(Equal("CN=a,O=b", "CN=a+O=b"));
  EXPECT_FALSE(Equal("CN=a", "OU=a"));
}

TEST(PemDnTest, EqualTreatsMultiValuedRdnAsASet) {
  EXPECT_TRUE(Equal("CN=a+UID=b,O=x", "UID=B+CN=A,O=x"));
  EXPECT_FALSE(Equal("CN=a+UID=b", "CN=a+UID=c"));
  EXPECT_FALSE(Equal("CN=a+CN=a", "CN=a"));
}

TEST(PemDnTest, EqualDoesNotFoldNonAscii) {
  // Documented: only ASCII letters are case-folded.
  EXPECT_TRUE(Equal("CN=caf\xC3\xA9", "CN=CAF\xC3\xA9"));
  EXPECT_FALSE(Equal("CN=\xC3\x89", "CN=\xC3\xA9"));
}

// ---------------------------------------------------------------------------------------------
// Formatting

TEST(PemDnTest, FormatEscapes) {
  EXPECT_EQ(FormatDn(Dn({{"CN", R"(a,b+c"d\e<f>g;h=i)"}})), R"(CN=a\,b\+c\"d\\e\<f\>g\;h=i)");
  EXPECT_EQ(FormatDn(Dn({{"CN", "#x"}, {"O", " a "}})), R"(CN=\#x,O=\ a\ )");
  EXPECT_EQ(FormatDn(Dn({{"CN", "a#b"}})), "CN=a#b");
  EXPECT_EQ(FormatDn(Dn({{"CN", std::string("a\0b\x01", 4)}})), R"(CN=a\00b\01)");
  EXPECT_EQ(FormatDn(Dn({{"CN", "caf\xC3\xA9"}})), "CN=caf\xC3\xA9");
  EXPECT_EQ(FormatDn(DistinguishedName{{{{"CN", "a"}, {"UID", "b"}}, {{"O", "x"}}}}),
            "CN=a+UID=b,O=x");
  EXPECT_EQ(FormatDn(DistinguishedName{}), "");
}

TEST(PemDnTest, RoundTrip) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"CN=leaf,O=Example,C=US", "CN=leaf,O=Example,C=US"},
      {" cn = a b , o = x ", "CN=a b,O=x"},
      {R"(CN=\ x\ ,O=\#y)", R"(CN=\ x\ ,O=\#y)"},
      {R"(CN=a\2Cb)", R"(CN=a\,b)"},
      {"CN=#0C0568656C6C6F", "CN=hello"},
      {"2.5.4.3=x+1.3.6.1.4.1.99999.1=y", "CN=x+1.3.6.1.4.1.99999.1=y"},
      {R"(OU=Provisioning Services,O=Identity Management,L=Islandia,ST=NY,C=US)",
       R"(OU=Provisioning Services,O=Identity Management,L=Islandia,ST=NY,C=US)"},
  };
  for (const auto& [input, canonical] : cases) {
    const DistinguishedName dn = Parse(input);
    EXPECT_EQ(FormatDn(dn), canonical);
    EXPECT_EQ(Parse(FormatDn(dn)), dn) << input;
  }
}

TEST(PemDnTest, CommonName) {
  EXPECT_EQ(CommonName(Parse("CN=a+CN=b,O=x,CN=c")), "a");
  EXPECT_EQ(CommonName(Parse("O=x+UID=u,CN=y")), "y");
  EXPECT_EQ(CommonName(Parse("O=x")), std::nullopt);
}

// ---------------------------------------------------------------------------------------------
// From certificates

TEST(PemDnTest, FromX509NameReversesToRfc4514Order) {
  X509NamePtr name(X509_NAME_new());
  AddEntry(name.get(), "C", "US");
  AddEntry(name.get(), "O", "Example");
  AddEntry(name.get(), "OU", "Web");
  AddEntry(name.get(), "CN", "leaf", 0);
  AddEntry(name.get(), "UID", "u1", -1);  // same RDN as the CN
  const DistinguishedName dn = DnFromX509Name(name.get());
  ASSERT_EQ(dn.rdns.size(), 4U);
  EXPECT_EQ(FormatDn(dn), "CN=leaf+UID=u1,OU=Web,O=Example,C=US");
  EXPECT_EQ(CommonName(dn), "leaf");
  EXPECT_TRUE(DnEqual(dn, Parse("uid=u1+cn=LEAF,OU=Web,O=Example,C=US")));
}

TEST(PemDnTest, FromX509NameValues) {
  X509NamePtr name(X509_NAME_new());
  AddEntry(name.get(), "1.3.6.1.4.1.99999.1", "custom");
  AddEntry(name.get(), "emailAddress", "a@b.example");
  AddEntry(name.get(), "CN", "caf\xC3\xA9, \"inc\"");
  const DistinguishedName dn = DnFromX509Name(name.get());
  EXPECT_EQ(FormatDn(dn),
            "CN=caf\xC3\xA9\\, \\\"inc\\\",emailAddress=a@b.example,1.3.6.1.4.1.99999.1=custom");
  EXPECT_EQ(Parse(FormatDn(dn)), dn);
}

TEST(PemDnTest, FromX509NameDumpsBitStringValues) {
  X509NamePtr name(X509_NAME_new());
  const unsigned char bits[] = {0x00, 0x70, 0xB3};
  ASSERT_EQ(X509_NAME_add_entry_by_NID(name.get(), NID_x500UniqueIdentifier, V_ASN1_BIT_STRING,
                                       bits, sizeof bits, -1, 0),
            1);
  AddEntry(name.get(), "CN", "ScottishPower");
  const DistinguishedName dn = DnFromX509Name(name.get());
  EXPECT_EQ(FormatDn(dn), "CN=ScottishPower,x500UniqueIdentifier=#0304000070B3");
  EXPECT_TRUE(DnEqual(Parse(FormatDn(dn)), dn));
}

TEST(PemDnTest, FromEmptyOrNullName) {
  X509NamePtr name(X509_NAME_new());
  EXPECT_TRUE(DnFromX509Name(name.get()).rdns.empty());
  EXPECT_TRUE(DnFromX509Name(nullptr).rdns.empty());
}

TEST(PemDnTest, ErrorQueueIsLeftEmpty) {
  ParseError("1.2.3.4.5.6.7.8.9.99999999999999999999999999999999999999999999=x,Q=y");
  ParseError("9.9=x");
  ParseError("FOO=x");
  EXPECT_EQ(ERR_peek_error(), 0UL);
}

}  // namespace
}  // namespace trust::x509
