// Hex, SHA-256 (the FIPS 180-2 examples), HMAC-SHA256 (RFC 4231), ASCII case and OpenSSL's
// error text.
#include "base/digest.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "base/ascii.h"

namespace trust::base {
namespace {

TEST(Digest, Sha256Hex) {
  EXPECT_EQ(Sha256Hex(std::string_view("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(std::string_view("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256(std::string_view("abc")).size(), 32u);
}

// RFC 4231, test cases 1 and 2; the message may come in parts, and one keyed object serves
// many messages (and threads) alike.
TEST(Digest, HmacSha256MatchesRfc4231) {
  const HmacSha256 twenty_0x0b(std::string(20, '\x0b'));
  ASSERT_TRUE(twenty_0x0b.ok());
  EXPECT_EQ(Hex(twenty_0x0b.Mac({"Hi There"})),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(Hex(twenty_0x0b.Mac({"Hi ", "", "There"})),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  const HmacSha256 jefe("Jefe");
  EXPECT_EQ(Hex(jefe.Mac({"what do ya want ", "for nothing?"})),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(Hex(twenty_0x0b.Mac({"Hi There"})),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(Digest, Hex) {
  EXPECT_EQ(Hex(std::string_view("\x00\x0f\xf0\xff", 4)), "000ff0ff");
  EXPECT_EQ(HexByte(0x0a), "0a");
}

TEST(Digest, OpenSslErrorTextTakesTheQueuedErrorAndClearsIt) {
  EXPECT_EQ(OpenSslErrorText("nothing queued"), "nothing queued");
  EXPECT_EQ(EVP_get_digestbyname("no-such-digest"), nullptr);
  ERR_raise(ERR_LIB_EVP, EVP_R_UNSUPPORTED_ALGORITHM);
  std::string text = OpenSslErrorText();
  EXPECT_NE(text.find("unsupported"), std::string::npos) << text;
  EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST(Ascii, LowersOnlyAscii) {
  EXPECT_EQ(AsciiLower("MiXeD-Ä"), "mixed-Ä");
  EXPECT_TRUE(AsciiEqualIgnoreCase("Debian:", "dEBIAN:"));
  EXPECT_FALSE(AsciiEqualIgnoreCase("a", "ab"));
  EXPECT_FALSE(AsciiEqualIgnoreCase("\xC3\x84", "\xC3\xA4"));  // Ä is not ä in ASCII terms
}

}  // namespace
}  // namespace trust::base
