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

bool SignedByClientSigner(const Estate& estate, const ImportedGateway& gateway,
                          const ImportedProvider& provider, const x509::Certificate& certificate) {
  size_t client = static_cast<size_t>(ir::Purpose::kSigningClientCerts);
  for (size_t cert : provider.certs) {
    const ImportedTrust* trust = Trusted(gateway, cert);
    if (trust != nullptr && trust->purposes[client] &&
        certificate.IsSignedBy(*estate.certs[cert].certificate)) {
      return true;
    }
  }
  return false;
}

// A provider that trusts no certificate authenticates its users by their attached certificates.
bool EveryUserCarriesCert(const ImportedProvider& provider) {
  return !provider.users.empty() &&
         std::all_of(provider.users.begin(), provider.users.end(),
                     [](const ImportedUser& user) { return user.cert.has_value(); });
}

std::string ProviderProblem(const ImportedGateway& gateway, const ImportedProvider& provider) {
  if (!provider.x509 && !provider.saml) return "enables no credential type";
  if (!provider.x509) return "";
  if (provider.certs.empty()) {
    return EveryUserCarriesCert(provider) ? ""
                                          : "accepts x509 credentials but trusts no certificate "
                                            "and not every user carries its own certificate";
  }
  size_t client = static_cast<size_t>(ir::Purpose::kSigningClientCerts);
  for (size_t cert : provider.certs) {
    if (Trusted(gateway, cert)->purposes[client]) return "";
  }
  return "accepts x509 credentials but none of its certificates signs client certificates";
}

std::string UserProblem(const ImportedProvider& provider, const ImportedUser& user,
                        const std::set<std::string>& names,
                        std::vector<x509::DistinguishedName>* dns) {
  if (names.contains(user.name)) return "repeats a login or name";
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
  std::set<std::string> names;  // logins and login-less names: both identify a user
  for (ImportedUser& user : provider->users) {
    std::string problem = UserProblem(*provider, user, names, dns);
    if (!problem.empty()) {
      note("user `" + user.name + "` of `" + provider->name + "` " + problem + ": left out");
      continue;
    }
    names.insert(user.name);
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

void AttachUserCert(Estate* estate, const ImportedGateway& gateway,
                    const ImportedProvider& provider,
                    std::shared_ptr<const x509::Certificate> certificate, ImportedUser* user,
                    const NoteSink& note) {
  std::string error, why;
  std::optional<x509::DistinguishedName> dn = x509::ParseDn(user->dn, &error);
  if (!dn || !x509::DnEqual(certificate->facts().SubjectDn(), *dn)) {
    why = "its subject is not the user's subject DN";
  } else if (!provider.certs.empty() &&
             !SignedByClientSigner(*estate, gateway, provider, *certificate)) {
    why = "no certificate the provider trusts for signing client certificates signed it";
  }
  if (!why.empty()) {
    note("user `" + user->name + "` of `" + provider.name + "`: certificate not attached (" + why +
         ")");
    return;
  }
  user->cert = estate->AddCert(std::move(certificate), user->name);
}

// Providers and users the compiler would reject are left out, each with its reason. Users are
// filtered first: whether a provider without certificates is accepted depends on its users.
void FinishProviders(ImportedGateway* gateway, const NoteSink& note) {
  std::vector<ImportedProvider> kept;
  std::vector<x509::DistinguishedName> dns;
  for (ImportedProvider& provider : gateway->providers) {
    DropUntrustedReferences(*gateway, &provider, note);
    std::vector<x509::DistinguishedName> provider_dns = dns;
    FilterUsers(&provider, &provider_dns, note);
    std::string problem = ProviderProblem(*gateway, provider);
    if (!problem.empty()) {
      note("identity provider `" + provider.name + "` " + problem + ": left out");
      continue;
    }
    dns = std::move(provider_dns);
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
