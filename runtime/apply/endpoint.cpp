#include "runtime/apply/endpoint.h"

#include "base/digest.h"
#include "base/endpoint.h"
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

std::optional<std::vector<PresentedCert>> ProbeEndpoint(const std::string& endpoint,
                                                        int timeout_seconds, std::string* error) {
  std::optional<base::Endpoint> parsed = base::ParseEndpoint(endpoint, error);
  if (!parsed) {
    *error = "endpoint: " + *error;
    return std::nullopt;
  }
  std::string server_name = base::IsIpLiteral(parsed->host) ? "" : parsed->host;
  std::optional<std::vector<std::string>> chain =
      base::FetchPresentedChain(parsed->host, parsed->port, server_name, timeout_seconds, error);
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
