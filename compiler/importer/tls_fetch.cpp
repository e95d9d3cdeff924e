#include "compiler/importer/tls_fetch.h"

#include "base/tls_probe.h"

namespace trust::importer {

std::optional<Endpoint> ParseEndpoint(const std::string& text, std::string* error) {
  size_t colon = text.rfind(':');
  Endpoint endpoint;
  if (colon != std::string::npos && colon > 0) {
    endpoint.host = text.substr(0, colon);
    endpoint.port = text.substr(colon + 1);
  }
  if (endpoint.host.size() > 2 && endpoint.host.front() == '[' && endpoint.host.back() == ']') {
    endpoint.host = endpoint.host.substr(1, endpoint.host.size() - 2);
  }
  bool digits = !endpoint.port.empty() && endpoint.port.size() <= 5 &&
                endpoint.port.find_first_not_of("0123456789") == std::string::npos;
  if (endpoint.host.empty() || !digits || std::stoi(endpoint.port) == 0 ||
      std::stoi(endpoint.port) > 65535) {
    *error = "expected HOST:PORT, got `" + text + "`";
    return std::nullopt;
  }
  return endpoint;
}

std::optional<std::vector<std::string>> FetchPresentedChain(const Endpoint& endpoint,
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
