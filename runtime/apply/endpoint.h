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

// The chain the endpoint presents, leaf first.
std::optional<std::vector<PresentedCert>> ProbeEndpoint(const std::string& endpoint,
                                                        int timeout_seconds, std::string* error);

}  // namespace trust::apply
