// requireEndpoint: a TLS handshake (SNI, a deadline, no chain verification: we only compare)
// to learn which certificates an endpoint presents. No application data is sent.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace trust::apply {

struct PresentedCert {
  std::string subject;
  std::string sha256;
};

// "host:port" or "[v6addr]:port".
bool SplitEndpoint(const std::string& endpoint, std::string* host, std::string* port,
                   std::string* error);

// The chain the endpoint presents, leaf first.
std::optional<std::vector<PresentedCert>> ProbeEndpoint(const std::string& endpoint,
                                                        int timeout_seconds, std::string* error);

}  // namespace trust::apply
