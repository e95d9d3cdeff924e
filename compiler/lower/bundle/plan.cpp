#include "compiler/lower/bundle/plan.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "compiler/lower/bundle/goid.h"

namespace trust::lower::bundle {
namespace {

std::string Uri(std::string_view collection, std::string_view id) {
  std::string uri(kNamespace);
  uri.append("/").append(collection).append("/").append(id);
  return uri;
}

PlannedEntity Entity(const ir::Gateway& gateway, std::string_view type, std::string name,
                     std::string_view goid_key) {
  PlannedEntity e;
  e.type = type;
  e.id = Goid(gateway.name, type, goid_key);
  e.name = std::move(name);
  return e;
}

void AddRevocationPolicies(const ir::Gateway& gateway, Plan& plan) {
  std::vector<const ir::RevocationPolicy*> policies;
  for (const ir::RevocationPolicy& p : gateway.revocation_policies) policies.push_back(&p);
  std::stable_sort(policies.begin(), policies.end(),
                   [](const auto* a, const auto* b) { return a->display_name < b->display_name; });
  for (const ir::RevocationPolicy* p : policies) {
    PlannedEntity e = Entity(gateway, kRevocationPolicyType, p->display_name, p->display_name);
    e.src_uri = Uri("revocationCheckingPolicies", e.id);
    e.policy = p;
    plan.entities.push_back(std::move(e));
  }
}

void AddTrusts(const ir::Program& program, const ir::Gateway& gateway, Plan& plan) {
  std::vector<const ir::Trust*> trusts;
  for (const ir::Trust& t : gateway.trusts) {
    trusts.push_back(&t);
  }
  std::stable_sort(trusts.begin(), trusts.end(), [](const ir::Trust* a, const ir::Trust* b) {
    return a->entity_name < b->entity_name;
  });
  for (const ir::Trust* t : trusts) {
    PlannedEntity e = Entity(gateway, kTrustedCertType, t->entity_name, t->entity_name);
    e.src_uri = Uri("trustedCertificates", e.id);
    e.trust = t;
    e.certificate = program.cert(t->cert).certificate.get();
    plan.entities.push_back(std::move(e));
  }
}

std::vector<PlannedEntity> Providers(const ir::Gateway& gateway) {
  std::vector<PlannedEntity> providers;
  for (const ir::IdentityProvider& p : gateway.providers) {
    PlannedEntity e = Entity(gateway, kProviderType, p.display_name, p.display_name);
    e.src_uri = Uri("identityProviders", e.id);
    e.provider = &p;
    providers.push_back(std::move(e));
  }
  std::stable_sort(providers.begin(), providers.end(),
                   [](const PlannedEntity& a, const PlannedEntity& b) { return a.name < b.name; });
  return providers;
}

// Users come after every provider (not right after their own) so that the three entity kinds
// stay in three blocks, in the order docs/bundles.md gives.
void AddUsers(const ir::Program& program, const ir::Gateway& gateway,
              const std::vector<PlannedEntity>& providers, Plan& plan) {
  std::vector<std::pair<const PlannedEntity*, const ir::User*>> users;
  for (const PlannedEntity& p : providers) {
    for (const ir::User& u : p.provider->users) {
      users.emplace_back(&p, &u);
    }
  }
  std::stable_sort(users.begin(), users.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first->name, a.second->name) < std::tie(b.first->name, b.second->name);
  });
  for (const auto& [provider, user] : users) {
    // The name is the login, or a login-less user's name: what identifies it in its provider.
    PlannedEntity e = Entity(gateway, kUserType, user->name, provider->name + "\n" + user->name);
    e.src_uri = Uri("identityProviders", provider->id) + "/users/" + e.id;
    e.provider = provider->provider;
    e.user = user;
    e.provider_id = provider->id;
    e.provider_name = provider->name;
    if (auto attached = user->AttachedCert()) {
      e.certificate = program.cert(*attached).certificate.get();
    }
    plan.entities.push_back(std::move(e));
  }
}

// The trusted certificate entity of the plan holding the certificate with this SHA-256.
std::optional<size_t> TrustedCertIndex(const Plan& plan, std::string_view sha256) {
  for (size_t i = 0; i < plan.entities.size(); ++i) {
    const PlannedEntity& e = plan.entities[i];
    if (e.trust != nullptr && e.certificate != nullptr && e.certificate->facts().sha256 == sha256) {
      return i;
    }
  }
  return std::nullopt;
}

std::optional<size_t> PolicyIndex(const Plan& plan, const ir::RevocationPolicy& policy) {
  for (size_t i = 0; i < plan.entities.size(); ++i) {
    if (plan.entities[i].policy == &policy) return i;
  }
  return std::nullopt;
}

// Trusts to their policy, policies' checks to their signers: indices into the complete plan.
void AddRevocationReferences(const ir::Program& program, const ir::Gateway& gateway, Plan& plan) {
  for (PlannedEntity& e : plan.entities) {
    if (e.trust != nullptr && e.trust->revocation_policy) {
      e.revocation_policy =
          PolicyIndex(plan, gateway.revocation_policies[*e.trust->revocation_policy]);
    }
    if (e.policy == nullptr) continue;
    for (const ir::RevocationCheck& check : e.policy->checks) {
      std::vector<size_t>& signers = e.signers.emplace_back();
      for (ir::CertId id : check.signers) {
        const ir::Cert& cert = program.cert(id);
        if (!cert.certificate) continue;
        if (auto index = TrustedCertIndex(plan, cert.certificate->facts().sha256)) {
          signers.push_back(*index);
        }
      }
    }
  }
}

void AddReferences(const ir::Program& program, std::vector<PlannedEntity>& providers,
                   const Plan& plan) {
  for (PlannedEntity& p : providers) {
    for (ir::CertId id : p.provider->trusted) {
      const ir::Cert& cert = program.cert(id);
      if (!cert.certificate) continue;
      if (auto index = TrustedCertIndex(plan, cert.certificate->facts().sha256)) {
        p.references.push_back(*index);
      }
    }
  }
}

std::string Base64(const unsigned char* bytes, size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  int length =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes, static_cast<int>(size));
  out.resize(static_cast<size_t>(length));
  return out;
}

}  // namespace

Plan MakePlan(const ir::Program& program, const ir::Gateway& gateway) {
  Plan plan;
  AddRevocationPolicies(gateway, plan);
  AddTrusts(program, gateway, plan);
  std::vector<PlannedEntity> providers = Providers(gateway);
  AddReferences(program, providers, plan);
  plan.entities.insert(plan.entities.end(), providers.begin(), providers.end());
  AddUsers(program, gateway, providers, plan);
  AddRevocationReferences(program, gateway, plan);
  return plan;
}

// EVP_EncodeBlock, unlike the BIO filter, adds no line breaks.
std::string CertBase64(const std::vector<uint8_t>& der) { return Base64(der.data(), der.size()); }

std::string ThumbprintSha1(const std::vector<uint8_t>& der) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(der.data(), der.size(), digest);
  return Base64(digest, sizeof digest);
}

}  // namespace trust::lower::bundle
