// GOIDs against values computed outside trustc: hard-coded digests from `sha256sum` and the
// `openssl dgst` command line.
#include "compiler/lower/bundle/goid.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/process.h"

namespace trust::lower::bundle {
namespace {

// SHA-256 of `input` by the openssl CLI, or "" when the CLI is unavailable.
std::string OpensslSha256(const std::string& input) {
  test::ProcessResult result =
      test::RunProcess({"openssl", "dgst", "-sha256", "-r"}, {.input = input});
  return result.status == 0 && result.out.size() >= 64 ? result.out.substr(0, 64) : "";
}

TEST(GoidTest, MatchesSha256sum) {
  // printf 'trustc-goid-v1\ngw\nTRUSTED_CERT\nName' | sha256sum
  EXPECT_EQ(Goid("gw", "TRUSTED_CERT", "Name"), "e77df5504ae505cf0256f2f228cc88d5");
  // printf 'trustc-goid-v1\nprod\nID_PROVIDER_CONFIG\nPartners' | sha256sum
  EXPECT_EQ(Goid("prod", "ID_PROVIDER_CONFIG", "Partners"), "bad43397b927695678fa0e78d3f68fca");
  // printf 'trustc-goid-v1\nprod\nUSER\nPartners\nalice' | sha256sum
  EXPECT_EQ(Goid("prod", "USER", "Partners\nalice"), "63e5e5736d85e21590acb2dcf377a2d7");
}

TEST(GoidTest, MatchesOpensslCli) {
  const std::string cases[][3] = {{"gw", "TRUSTED_CERT", "A & B <C>"},
                                  {"staging", "USER", "Partners\nbob"},
                                  {"prod", "ID_PROVIDER_CONFIG", "Zürich – 東京"}};
  for (const auto& c : cases) {
    std::string digest = OpensslSha256("trustc-goid-v1\n" + c[0] + "\n" + c[1] + "\n" + c[2]);
    if (digest.empty()) {
      GTEST_SKIP() << "openssl CLI not available";
    }
    EXPECT_EQ(Goid(c[0], c[1], c[2]), digest.substr(0, 32)) << c[2];
  }
}

TEST(GoidTest, IsLowerHexAndSeparatesItsInputs) {
  std::string id = Goid("gw", "TRUSTED_CERT", "x");
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(id.size(), 32u);
  EXPECT_NE(id, Goid("gw2", "TRUSTED_CERT", "x"));
  EXPECT_NE(id, Goid("gw", "ID_PROVIDER_CONFIG", "x"));
  EXPECT_NE(id, Goid("gw", "TRUSTED_CERT", "y"));
}

// No input with a hash in the reserved range can be found by search (2^-48 per try), so the
// rule is checked on forced digests.
TEST(GoidTest, ReservedRangeGetsTheTopBit) {
  std::array<uint8_t, 16> zero{};
  EXPECT_EQ(GoidFromDigest(zero), "80000000000000000000000000000000");
  std::array<uint8_t, 16> max_reserved = {0, 0, 0, 0, 0, 0, 0xff, 0xff, 0x12, 0x34};
  EXPECT_EQ(GoidFromDigest(max_reserved), "800000000000ffff1234000000000000");
  std::array<uint8_t, 16> first_free = {0, 0, 0, 0, 0, 1, 0, 0, 0xab};
  EXPECT_EQ(GoidFromDigest(first_free), "0000000000010000ab00000000000000");
  std::array<uint8_t, 16> ordinary = {0x12, 0x34, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};
  EXPECT_EQ(GoidFromDigest(ordinary), "12340000000000000000000000000001");
}

}  // namespace
}  // namespace trust::lower::bundle
