#include "runtime/apply/endpoint.h"

#include "base/digest.h"
#include "base/tls_probe.h"
#include "runtime/x509/certificate.h"

namespace trust::apply {
namespace {

PresentedCert Describe(const std::string& der) {
  PresentedCert cert{"", base::Sha256Hex(der)};
  x509::LoadResult parsed = x509::ParseCertificate(der);
  if (const auto* ok = std::get_if<std::shared_ptr<const x509::Certificate>>(&parsed)) {
    cert.subject = (*ok)->facts().subject;
  }
  return cert;
}

}  // namespace

bool SplitEndpoint(const std::string& endpoint, std::string* host, std::string* port,
                   std::string* error) {
  size_t colon = endpoint.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == endpoint.size()) {
    *error = "endpoint `" + endpoint + "`: expected host:port";
    return false;
  }
  *host = endpoint.substr(0, colon);
  *port = endpoint.substr(colon + 1);
  if (host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  for (char c : *port) {
    if (c < '0' || c > '9') {
      *error = "endpoint `" + endpoint + "`: expected a numeric port";
      return false;
    }
  }
  return true;
}

std::optional<std::vector<PresentedCert>> ProbeEndpoint(const std::string& endpoint,
                                                        int timeout_seconds, std::string* error) {
  std::string host;
  std::string port;
  if (!SplitEndpoint(endpoint, &host, &port, error)) {
    return std::nullopt;
  }
  std::string server_name = base::IsIpLiteral(host) ? "" : host;
  std::optional<std::vector<std::string>> chain =
      base::FetchPresentedChain(host, port, server_name, timeout_seconds, error);
  if (!chain) {
    return std::nullopt;
  }
  std::vector<PresentedCert> presented;
  for (const std::string& der : *chain) {
    presented.push_back(Describe(der));
  }
  return presented;
}

}  // namespace trust::apply
