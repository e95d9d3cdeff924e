#include "compiler/importer/tls_fetch.h"

#include "base/tls_probe.h"

namespace trust::importer {

std::optional<std::vector<std::string>> FetchPresentedChain(const base::Endpoint& endpoint,
                                                            const std::string& sni,
                                                            int timeout_seconds,
                                                            std::string* error) {
  std::string server_name = !sni.empty()                       ? sni
                            : base::IsIpLiteral(endpoint.host) ? ""
                                                               : endpoint.host;
  std::optional<std::vector<std::string>> chain =
      base::FetchPresentedChain(endpoint.host, endpoint.port, server_name, timeout_seconds, error);
  std::string where = endpoint.host + ":" + endpoint.port;
  if (!chain) {
    // Resolving and connecting errors name the endpoint already; a handshake error does not.
    if (error->starts_with("TLS ")) *error = where + ": " + *error;
    return std::nullopt;
  }
  if (chain->empty()) {
    *error = where + ": the server presented no certificate";
    return std::nullopt;
  }
  return chain;
}

}  // namespace trust::importer
