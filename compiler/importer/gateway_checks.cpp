#include "compiler/importer/gateway_checks.h"

#include <algorithm>
#include <map>
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
                        std::vector<pem::DistinguishedName>* dns) {
  if (logins.contains(user.login)) return "repeats a login";
  if (user.dn.empty()) return provider.x509 ? "has no subject DN" : "";
  std::string error;
  std::optional<pem::DistinguishedName> dn = pem::ParseDn(user.dn, &error);
  if (!dn) return "has a subject DN that does not parse (" + error + ")";
  for (const pem::DistinguishedName& other : *dns) {
    if (pem::DnEqual(other, *dn)) return "repeats the subject DN of another user";
  }
  dns->push_back(*dn);
  return "";
}

void FilterUsers(ImportedProvider* provider, std::vector<pem::DistinguishedName>* dns,
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
  if (!trust.anchor && !any_purpose && !trust.revocation_signer) {
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
  std::vector<pem::DistinguishedName> dns;
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

namespace {

void DropUntrustedSigners(const ImportedGateway& gateway, ImportedRevocationPolicy* policy,
                          const NoteSink& note) {
  for (ImportedRevocationCheck& check : policy->checks) {
    size_t before = check.signers.size();
    std::erase_if(check.signers, [&](size_t cert) { return Trusted(gateway, cert) == nullptr; });
    if (check.signers.size() != before) {
      note("revocation policy `" + policy->name +
           "`: a trusted signer the gateway does not trust was left out");
    }
  }
}

}  // namespace

void ResolvePolicyReferences(ImportedGateway* gateway,
                             const std::map<size_t, std::string>& policy_key_by_cert,
                             const std::map<std::string, size_t>& policy_by_key,
                             const NoteSink& note) {
  for (ImportedTrust& trust : gateway->trusts) {
    auto key = policy_key_by_cert.find(trust.cert);
    if (key == policy_key_by_cert.end()) continue;
    auto policy = policy_by_key.find(key->second);
    if (policy != policy_by_key.end()) {
      trust.revocation_policy = policy->second;
      continue;
    }
    note("trusted certificate `" + trust.entity_name + "` uses revocation policy `" + key->second +
         "`, which is not in the bundle: imported with the gateway's default policy");
  }
}

void FinishRevocationPolicies(ImportedGateway* gateway, const NoteSink& note) {
  std::vector<std::optional<size_t>> new_index(gateway->revocation_policies.size());
  std::vector<ImportedRevocationPolicy> kept;
  for (size_t i = 0; i < gateway->revocation_policies.size(); ++i) {
    ImportedRevocationPolicy& policy = gateway->revocation_policies[i];
    DropUntrustedSigners(*gateway, &policy, note);
    if (policy.checks.empty()) {
      note("revocation policy `" + policy.name +
           "` has no check: left out; its certificates use the gateway's default policy");
      continue;
    }
    new_index[i] = kept.size();
    kept.push_back(std::move(policy));
  }
  gateway->revocation_policies = std::move(kept);
  for (ImportedTrust& trust : gateway->trusts) {
    if (trust.revocation_policy) trust.revocation_policy = new_index[*trust.revocation_policy];
  }
}

}  // namespace trust::importer
