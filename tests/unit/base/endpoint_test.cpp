// One reading of HOST:PORT for `trustc pin`, the keystore check and trust-apply: what one
// accepts, the others can reach.
#include "base/endpoint.h"

#include <gtest/gtest.h>

namespace trust::base {
namespace {

TEST(EndpointTest, ReadsNamesAddressesAndBracketedV6) {
  std::string error;
  std::optional<Endpoint> name = ParseEndpoint("gw.example.com:8443", &error);
  ASSERT_TRUE(name) << error;
  EXPECT_EQ(name->host, "gw.example.com");
  EXPECT_EQ(name->port, "8443");
  std::optional<Endpoint> v6 = ParseEndpoint("[2001:db8::1]:443", &error);
  ASSERT_TRUE(v6) << error;
  EXPECT_EQ(v6->host, "2001:db8::1");
  EXPECT_EQ(v6->port, "443");
  std::optional<Endpoint> highest = ParseEndpoint("10.0.0.1:65535", &error);
  ASSERT_TRUE(highest) << error;
  EXPECT_EQ(highest->host, "10.0.0.1");
}

TEST(EndpointTest, RefusesWhatNoSocketCanReach) {
  for (const char* text : {"", "host", "host:", ":443", "host:0", "host:65536", "host:123456",
                           "host:44a", "host:-1", "[]:443", "host: 443"}) {
    std::string error;
    EXPECT_FALSE(ParseEndpoint(text, &error)) << text;
    EXPECT_EQ(error, std::string("expected HOST:PORT, got `") + text + "`");
  }
}

}  // namespace
}  // namespace trust::base
