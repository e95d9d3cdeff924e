#include "compiler/lower/bundle/plan.h"

#include <algorithm>
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

void AddTrusts(const ir::Gateway& gateway, Plan& plan) {
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
void AddUsers(const ir::Gateway& gateway, const std::vector<PlannedEntity>& providers, Plan& plan) {
  std::vector<std::pair<const PlannedEntity*, const ir::User*>> users;
  for (const PlannedEntity& p : providers) {
    for (const ir::User& u : p.provider->users) {
      users.emplace_back(&p, &u);
    }
  }
  std::stable_sort(users.begin(), users.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first->name, a.second->login) < std::tie(b.first->name, b.second->login);
  });
  for (const auto& [provider, user] : users) {
    PlannedEntity e = Entity(gateway, kUserType, user->login, provider->name + "\n" + user->login);
    e.src_uri = Uri("identityProviders", provider->id) + "/users/" + e.id;
    e.provider = provider->provider;
    e.user = user;
    e.provider_id = provider->id;
    plan.entities.push_back(std::move(e));
  }
}

}  // namespace

Plan MakePlan(const ir::Gateway& gateway) {
  Plan plan;
  AddTrusts(gateway, plan);
  std::vector<PlannedEntity> providers = Providers(gateway);
  plan.entities.insert(plan.entities.end(), providers.begin(), providers.end());
  AddUsers(gateway, providers, plan);
  return plan;
}

std::string TrustedCertGoid(const ir::Program& program, const ir::Gateway& gateway,
                            std::string_view sha256) {
  for (const ir::Trust& t : gateway.trusts) {
    const ir::Cert& cert = program.cert(t.cert);
    if (cert.certificate && cert.certificate->facts().sha256 == sha256) {
      return Goid(gateway.name, kTrustedCertType, t.entity_name);
    }
  }
  return "";
}

}  // namespace trust::lower::bundle
