// `openssl s_server -www` on 127.0.0.1 and a free port, in the background until destroyed: the
// gateway that `trustc pin` and trust-apply's requireEndpoint talk to in tests.
#pragma once

#include <string>
#include <vector>

#include "tests/support/process.h"

namespace trust::test {

// A port on 127.0.0.1 that was free a moment ago.
int FreePort();

class OpensslServer {
 public:
  // `certificate_args`: -cert, -key and whatever else s_server should present. Its stderr goes
  // to `stderr_path`, for the failure message when it does not start.
  explicit OpensslServer(const std::vector<std::string>& certificate_args,
                         const std::string& stderr_path = "/dev/null");

  // Whether it started and accepts connections.
  bool running();
  int port() const { return port_; }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  BackgroundProcess process_;
  int port_ = 0;
};

}  // namespace trust::test
