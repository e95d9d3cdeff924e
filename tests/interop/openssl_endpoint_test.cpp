// requireEndpoint against a real `openssl s_server` on 127.0.0.1 and a free port: the right
// certificate applies; the wrong one exits 1, leaves the keystore untouched and the error
// names the subject and sha256 the server presented. Skipped without openssl.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "tests/unit/runtime/apply/apply_fixture.h"
#include "tests/unit/runtime/apply/subprocess.h"

namespace trust::testing {
namespace {

using manifest::Format;

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(addr);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  close(fd);
  return ntohs(addr.sin_port);
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

std::string KeyPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(length));
  BIO_free(bio);
  return out;
}

// `openssl s_server -www` with `cert`, until destroyed.
class OpensslServer {
 public:
  OpensslServer(const TestCert& cert, const std::string& dir) {
    WriteFile(dir + "/server.pem", cert.pem);
    WriteFile(dir + "/server.key", KeyPem(cert.key.get()));
    for (int attempt = 0; attempt < 5 && pid_ < 0; ++attempt) {
      port_ = FreePort();
      pid_ = Spawn({"openssl", "s_server", "-cert", dir + "/server.pem", "-key",
                    dir + "/server.key", "-accept", "127.0.0.1:" + std::to_string(port_), "-www"},
                   {}, "/dev/null", dir + "/s_server.err");
      for (int i = 0; i < 200 && !Accepts(port_); ++i) {  // up to 10 s
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {  // the port was taken: try another
          pid_ = -1;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  }
  ~OpensslServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      WaitFor(pid_);
    }
  }
  OpensslServer(const OpensslServer&) = delete;
  OpensslServer& operator=(const OpensslServer&) = delete;

  bool running() const { return pid_ > 0 && Accepts(port_); }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

using OpensslEndpointTest = ApplyFixture;

TEST_F(OpensslEndpointTest, RightCertificateAppliesWrongOneIsRefused) {
  if (!HaveProgram("openssl")) {
    GTEST_SKIP() << "openssl is not installed";
  }
  TestCert served = MakeCert("gw.example.com");
  TestCert other = MakeCert("Other Gateway");
  OpensslServer server(served, dir_);
  ASSERT_TRUE(server.running()) << ReadFile(dir_ + "/s_server.err");
  std::vector<std::string> env = {"TRUST_TEST_GATEWAY=" + server.endpoint()};

  manifest::Manifest m = BaseManifest(Format::kJks);
  m.entries.push_back(EntryFor("gateway", served));
  m.entries.back().require_endpoint = "${env:TRUST_TEST_GATEWAY}";
  std::string path = WriteManifest(m);
  ProcessResult ok = RunProcess({TrustApplyBinary(), "apply", path}, env);
  ASSERT_EQ(ok.status, 0) << ok.err;
  EXPECT_EQ(ok.out, "ks: 1 added, 0 replaced, 0 removed, 0 unchanged, 0 skipped\n");

  m.entries.push_back(EntryFor("other", other));
  m.entries.back().require_endpoint = "${env:TRUST_TEST_GATEWAY}";
  WriteManifest(m);
  std::string before = ReadFile(store_path_);
  struct stat st {};
  ASSERT_EQ(stat(store_path_.c_str(), &st), 0);
  ProcessResult refused = RunProcess({TrustApplyBinary(), "apply", path}, env);
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("alias `other`: requireEndpoint " + server.endpoint()),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("presents CN=gw.example.com (sha256 " + served.cert->facts().sha256 +
                             "), not sha256 " + other.cert->facts().sha256),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(ReadFile(store_path_), before);
  struct stat after {};
  ASSERT_EQ(stat(store_path_.c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, st.st_ino);
  EXPECT_EQ(after.st_mtim.tv_nsec, st.st_mtim.tv_nsec);
}

}  // namespace
}  // namespace trust::testing
