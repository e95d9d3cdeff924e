#include "tests/support/openssl_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace trust::test {
namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  return address;
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = Loopback(port);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return ok;
}

}  // namespace

// The kernel hands out a fresh port for port 0.
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = Loopback(0);
  socklen_t length = sizeof(address);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

OpensslServer::OpensslServer(const std::vector<std::string>& certificate_args,
                             const std::string& stderr_path) {
  // Another process may take the free port before s_server binds it: then s_server exits,
  // and another port is tried.
  for (int attempt = 0; attempt < 5 && !running(); ++attempt) {
    port_ = FreePort();
    std::vector<std::string> argv = {"openssl", "s_server", "-accept", endpoint(), "-www"};
    argv.insert(argv.end(), certificate_args.begin(), certificate_args.end());
    process_ = BackgroundProcess(argv, stderr_path);
    for (int i = 0; i < 200 && process_.Running() && !Accepts(port_); ++i) {  // up to 10 s
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

bool OpensslServer::running() { return port_ > 0 && process_.Running() && Accepts(port_); }

}  // namespace trust::test
