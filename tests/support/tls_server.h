// A TLS server on 127.0.0.1 and a free port, in a thread: it completes handshakes with the
// given certificate and closes. For requireEndpoint tests.
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "tests/support/test_certs.h"

namespace trust::test {

class TlsServer {
 public:
  explicit TlsServer(const TestCert& cert);
  ~TlsServer();
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  void Serve();

  int listen_fd_ = -1;
  int port_ = 0;
  void* ctx_ = nullptr;  // SSL_CTX*
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace trust::test
