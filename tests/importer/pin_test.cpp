// `trustc pin` against `openssl s_server` on 127.0.0.1: the leaf, the whole chain, a closed
// port and a server that never answers the handshake.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "runtime/x509/certificate.h"
#include "tests/importer/shell.h"
#include "tests/support/openssl_server.h"

namespace trust {
namespace {

namespace fs = std::filesystem;
using testing::HasSubstr;

std::string Sha256OfFile(const fs::path& path) {
  x509::LoadResult result = x509::ParseCertificate(test::ReadFile(path));
  auto* cert = std::get_if<std::shared_ptr<const x509::Certificate>>(&result);
  return cert != nullptr ? (*cert)->facts().sha256 : "unreadable";
}

class PinTest : public test::TempDirTest {
 protected:
  // openssl s_server with the example's gateway certificate, its CA as the chain.
  int StartServer() {
    fs::path certs = test::kExample / "certs/dev";
    server_ = std::make_unique<test::OpensslServer>(
        std::vector<std::string>{"-cert", (certs / "api-gateway-ssl.pem").string(), "-key",
                                 (test::kExample / "demo/gateway-tls.key").string(), "-cert_chain",
                                 (certs / "gateway-ca.pem").string()});
    EXPECT_TRUE(server_->running());
    return server_->port();
  }

  std::unique_ptr<test::OpensslServer> server_;
};

TEST_F(PinTest, SavesTheLeafAndPrintsACertBlock) {
  int port = StartServer();
  test::Result result =
      test::Trustc("pin 127.0.0.1:" + std::to_string(port) + " -o gw.pem --timeout 5", tmp_);
  ASSERT_EQ(result.status, 0) << result.err;
  std::string leaf = Sha256OfFile(test::kExample / "certs/dev/api-gateway-ssl.pem");
  EXPECT_EQ(Sha256OfFile(tmp_ / "gw.pem"), leaf);
  EXPECT_THAT(result.out, HasSubstr("cert gateway_example_com {\n  file    \"gw.pem\"\n"));
  EXPECT_THAT(result.out, HasSubstr("  subject \"CN=gateway.example.com,O=Example,C=US\"\n"));
  EXPECT_THAT(result.out, HasSubstr("  sha256  \"" + leaf + "\"\n}\n"));
  EXPECT_FALSE(fs::exists(tmp_ / "gw-1.pem"));
}

TEST_F(PinTest, ChainWritesOneFilePerCertificate) {
  int port = StartServer();
  test::Result result = test::Trustc(
      "pin 127.0.0.1:" + std::to_string(port) + " -o gw.pem --chain --sni gateway.example.com",
      tmp_);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(Sha256OfFile(tmp_ / "gw.pem"),
            Sha256OfFile(test::kExample / "certs/dev/api-gateway-ssl.pem"));
  EXPECT_EQ(Sha256OfFile(tmp_ / "gw-1.pem"),
            Sha256OfFile(test::kExample / "certs/dev/gateway-ca.pem"));
  EXPECT_THAT(result.out, HasSubstr("file    \"gw-1.pem\""));
  EXPECT_FALSE(fs::exists(tmp_ / "gw-2.pem"));
}

TEST_F(PinTest, AClosedPortFailsQuicklyWithAClearError) {
  auto start = std::chrono::steady_clock::now();
  test::Result result =
      test::Trustc("pin 127.0.0.1:" + std::to_string(test::FreePort()) + " -o gw.pem", tmp_);
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.err, HasSubstr("cannot connect to 127.0.0.1:"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_FALSE(fs::exists(tmp_ / "gw.pem"));
}

TEST_F(PinTest, ASilentServerTimesOut) {
  // Listening but never accepting: the connect succeeds, the handshake never comes.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  test::Result result = test::Trustc(
      "pin 127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + " -o gw.pem --timeout 1", tmp_);
  close(fd);
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.err, HasSubstr("timed out"));
}

}  // namespace
}  // namespace trust
