#include "compiler/importer/gateway_checks.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace trust::importer {
namespace {

const ImportedTrust* Trusted(const ImportedGateway& gateway, size_t cert) {
  for (const ImportedTrust& trust : gateway.trusts) {
    if (trust.cert == cert) return &trust;
  }
  return nullptr;
}

void DropUntrustedReferences(const ImportedGateway& gateway, ImportedProvider* provider,
                             const NoteSink& note) {
  std::vector<size_t> certs;
  for (size_t cert : provider->certs) {
    if (Trusted(gateway, cert) == nullptr) {
      note("identity provider `" + provider->name +
           "` references a certificate the gateway does not trust for anything: reference left "
           "out");
    } else if (std::find(certs.begin(), certs.end(), cert) == certs.end()) {
      certs.push_back(cert);
    }
  }
  provider->certs = std::move(certs);
}

std::string ProviderProblem(const ImportedGateway& gateway, const ImportedProvider& provider) {
  if (!provider.x509 && !provider.saml) return "enables no credential type";
  if (!provider.x509) return "";
  if (provider.certs.empty()) return "accepts x509 credentials but trusts no certificate";
  size_t client = static_cast<size_t>(ir::Purpose::kSigningClientCerts);
  for (size_t cert : provider.certs) {
    if (Trusted(gateway, cert)->purposes[client]) return "";
  }
  return "accepts x509 credentials but none of its certificates signs client certificates";
}

std::string UserProblem(const ImportedProvider& provider, const ImportedUser& user,
                        const std::set<std::string>& logins,
                        std::vector<x509::DistinguishedName>* dns) {
  if (logins.contains(user.login)) return "repeats a login";
  if (user.dn.empty()) return provider.x509 ? "has no subject DN" : "";
  std::string error;
  std::optional<x509::DistinguishedName> dn = x509::ParseDn(user.dn, &error);
  if (!dn) return "has a subject DN that does not parse (" + error + ")";
  for (const x509::DistinguishedName& other : *dns) {
    if (x509::DnEqual(other, *dn)) return "repeats the subject DN of another user";
  }
  dns->push_back(*dn);
  return "";
}

void FilterUsers(ImportedProvider* provider, std::vector<x509::DistinguishedName>* dns,
                 const NoteSink& note) {
  std::vector<ImportedUser> kept;
  std::set<std::string> logins;
  for (ImportedUser& user : provider->users) {
    std::string problem = UserProblem(*provider, user, logins, dns);
    if (!problem.empty()) {
      note("user `" + user.login + "` of `" + provider->name + "` " + problem + ": left out");
      continue;
    }
    logins.insert(user.login);
    kept.push_back(std::move(user));
  }
  provider->users = std::move(kept);
}

}  // namespace

// What the language cannot say is left out with a note rather than written wrongly.
void AddTrust(ImportedGateway* gateway, ImportedTrust trust, const NoteSink& note) {
  const std::string& name = trust.entity_name;
  bool any_purpose = false;
  for (bool purpose : trust.purposes) any_purpose = any_purpose || purpose;
  if (!trust.anchor && !any_purpose) {
    note("trusted certificate `" + name + "` is trusted for nothing: imported as a `cert` only");
    return;
  }
  for (const ImportedTrust& other : gateway->trusts) {
    if (other.cert == trust.cert || other.entity_name == name) {
      note("trusted certificate `" + name + "` repeats `" + other.entity_name +
           "` (same certificate or name): left out");
      return;
    }
  }
  gateway->trusts.push_back(std::move(trust));
}

// Providers and users the compiler would reject are left out, each with its reason.
void FinishProviders(ImportedGateway* gateway, const NoteSink& note) {
  std::vector<ImportedProvider> kept;
  std::vector<x509::DistinguishedName> dns;
  for (ImportedProvider& provider : gateway->providers) {
    DropUntrustedReferences(*gateway, &provider, note);
    std::string problem = ProviderProblem(*gateway, provider);
    if (!problem.empty()) {
      note("identity provider `" + provider.name + "` " + problem + ": left out");
      continue;
    }
    FilterUsers(&provider, &dns, note);
    kept.push_back(std::move(provider));
  }
  gateway->providers = std::move(kept);
}

}  // namespace trust::importer
