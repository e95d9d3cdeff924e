#include "compiler/lower/graphman/graphman.h"

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

#include "compiler/lower/bundle/plan.h"

namespace trust::lower::graphman {
namespace {

using bundle::Plan;
using bundle::PlannedEntity;
using nlohmann::json;

enum class Kind { kInstall, kDelete };

std::string_view TrustedForValue(ir::Purpose purpose) {
  switch (purpose) {
    case ir::Purpose::kSsl:
      return "SSL";
    case ir::Purpose::kSigningServerCerts:
      return "SIGNING_SERVER_CERTS";
    case ir::Purpose::kSigningClientCerts:
      return "SIGNING_CLIENT_CERTS";
    case ir::Purpose::kSamlIssuer:
      return "SAML_ISSUER";
    case ir::Purpose::kSamlAttestingEntity:
      return "SAML_ATTESTING_ENTITY";
  }
  return "";
}

// No goid: a rotated certificate keeps its entity name (and so its RESTMAN GOID) but is a new
// entity to Graphman, which matches by thumbprint; reusing the id would collide with the old one.
json TrustedCert(const PlannedEntity& entity) {
  const ir::Trust& trust = *entity.trust;
  json trusted_for = json::array();
  for (ir::Purpose purpose : ir::AllPurposes()) {
    if (trust.Has(purpose)) trusted_for.push_back(TrustedForValue(purpose));
  }
  return {
      {"name", entity.name},
      {"certBase64", bundle::CertBase64(*entity.certificate)},
      {"thumbprintSha1", bundle::ThumbprintSha1(*entity.certificate)},
      {"subjectDn", entity.certificate->facts().subject},
      {"trustAnchor", trust.anchor},
      {"verifyHostname", trust.verify_hostname},
      {"trustedFor", trusted_for},
      {"revocationCheckPolicyType", trust.revocation_checking ? "USE_DEFAULT" : "NONE"},
  };
}

// `trustedCerts: [{name, thumbprintSha1}]`: the one form the operator's schema and both
// graphman-client schemas accept (`trustedCertNames` is v11.2.1 only).
json Provider(const Plan& plan, const PlannedEntity& entity) {
  const ir::IdentityProvider& provider = *entity.provider;
  json trusted = json::array();
  for (size_t index : entity.references) {
    const PlannedEntity& cert = plan.entities[index];
    trusted.push_back(
        {{"name", cert.name}, {"thumbprintSha1", bundle::ThumbprintSha1(*cert.certificate)}});
  }
  return {
      {"name", entity.name},
      {"supportsX509", provider.x509},
      {"supportsSAML", provider.saml},
      {"certValidation", ir::ValidationGraphmanValue(provider.validation)},
      {"trustedCerts", trusted},
  };
}

json User(const PlannedEntity& entity) {
  const ir::User& user = *entity.user;
  json out = {
      {"name", user.login},
      {"login", user.login},
      {"providerName", entity.provider_name},
  };
  if (!user.dn.empty()) out["subjectDn"] = user.dn;
  if (!user.first_name.empty()) out["firstName"] = user.first_name;
  if (!user.last_name.empty()) out["lastName"] = user.last_name;
  if (!user.email.empty()) out["email"] = user.email;
  if (entity.certificate != nullptr) out["certBase64"] = bundle::CertBase64(*entity.certificate);
  return out;
}

// Never throws: a string that is not UTF-8 (sema refuses those in sources; certificate
// fields come from OpenSSL) is written with U+FFFD instead.
std::string Print(const json& bundle) {
  return bundle.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

// The entity lists of `selected` (entities of `plan`, in plan order); empty lists are left out.
json Entities(const Plan& plan, const Plan& selected) {
  json certs = json::array();
  json providers = json::array();
  json users = json::array();
  for (const PlannedEntity& entity : selected.entities) {
    if (entity.trust != nullptr) {
      certs.push_back(TrustedCert(entity));
    } else if (entity.user != nullptr) {
      users.push_back(User(entity));
    } else {
      providers.push_back(Provider(plan, entity));
    }
  }
  json out = json::object();
  if (!certs.empty()) out["trustedCerts"] = certs;
  if (!providers.empty()) out["federatedIdps"] = providers;
  if (!users.empty()) out["federatedUsers"] = users;
  return out;
}

// What identifies an entity to Graphman: a trusted certificate's thumbprint, a provider's
// name, a user's provider and login.
std::string Key(const PlannedEntity& entity) {
  if (entity.trust != nullptr) return "cert\n" + bundle::ThumbprintSha1(*entity.certificate);
  if (entity.user != nullptr) return "user\n" + entity.provider_name + "\n" + entity.user->login;
  return "provider\n" + entity.name;
}

std::string WriteBundle(const ir::Program& program, const ir::Gateway& gateway, Kind kind) {
  Plan plan = bundle::MakePlan(program, gateway);
  json out = Entities(plan, plan);
  out["properties"] = {{"defaultAction", kind == Kind::kInstall ? "NEW_OR_UPDATE" : "DELETE"}};
  return Print(out);
}

}  // namespace

std::string InstallBundle(const ir::Program& program, const ir::Gateway& gateway) {
  return WriteBundle(program, gateway, Kind::kInstall);
}

std::string DeleteBundle(const ir::Program& program, const ir::Gateway& gateway) {
  return WriteBundle(program, gateway, Kind::kDelete);
}

std::string MigrationBundle(const ir::Program& old_program, const ir::Gateway& old_gateway,
                            const ir::Program& new_program, const ir::Gateway* new_gateway) {
  std::set<std::string> kept;  // thumbprints, provider names, provider LF login
  if (new_gateway != nullptr) {
    for (const PlannedEntity& entity : bundle::MakePlan(new_program, *new_gateway).entities) {
      kept.insert(Key(entity));
    }
  }
  Plan plan = bundle::MakePlan(old_program, old_gateway);
  Plan gone;
  for (const PlannedEntity& entity : plan.entities) {
    if (!kept.contains(Key(entity))) gone.entities.push_back(entity);
  }
  // Provider references are indices into the old plan: resolve them there.
  json out = Entities(plan, gone);
  out["properties"] = {{"defaultAction", "DELETE"}};
  return Print(out);
}

}  // namespace trust::lower::graphman
