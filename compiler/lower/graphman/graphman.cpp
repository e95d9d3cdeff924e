#include "compiler/lower/graphman/graphman.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

#include "compiler/lower/bundle/plan.h"
#include "runtime/manifest/json_stream.h"

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

std::string_view RevocationPolicyType(const ir::Trust& trust) {
  if (!trust.revocation_checking) return "NONE";
  return trust.revocation_policy ? "SPECIFIED" : "USE_DEFAULT";
}

// No goid: a rotated certificate keeps its entity name (and so its RESTMAN GOID) but is a new
// entity to Graphman, which matches by thumbprint; reusing the id would collide with the old one.
json TrustedCert(const PlannedEntity& entity) {
  const ir::Trust& trust = *entity.trust;
  json trusted_for = json::array();
  for (ir::Purpose purpose : ir::AllPurposes()) {
    if (trust.Has(purpose)) trusted_for.push_back(TrustedForValue(purpose));
  }
  std::vector<uint8_t> der = entity.certificate->der();
  return {
      {"name", entity.name},
      {"certBase64", bundle::CertBase64(der)},
      {"thumbprintSha1", bundle::ThumbprintSha1(der)},
      {"subjectDn", entity.certificate->facts().subject},
      {"trustAnchor", trust.anchor},
      {"verifyHostname", trust.verify_hostname},
      {"trustedFor", trusted_for},
      {"revocationCheckPolicyType", RevocationPolicyType(trust)},
  };
}

json WithPolicyName(const Plan& plan, const PlannedEntity& entity, json cert) {
  if (entity.revocation_policy) {
    cert["revocationCheckPolicyName"] = plan.entities[*entity.revocation_policy].name;
  }
  return cert;
}

std::string_view CheckType(const ir::RevocationCheck& check) {
  if (check.ocsp) return check.from_certificate ? "OCSP_FROM_CERTIFICATE" : "OCSP_FROM_URL";
  return check.from_certificate ? "CRL_FROM_CERTIFICATE" : "CRL_FROM_URL";
}

// Signers by `signerThumbprintSha1s`: the one form all three schemas accept
// (`trustedSignerNames` is v11.2.1 only).
json RevocationPolicy(const Plan& plan, const PlannedEntity& entity) {
  const ir::RevocationPolicy& policy = *entity.policy;
  json items = json::array();
  for (size_t i = 0; i < policy.checks.size(); ++i) {
    const ir::RevocationCheck& check = policy.checks[i];
    json signers = json::array();
    for (size_t index : entity.signers[i]) {
      signers.push_back(bundle::ThumbprintSha1(plan.entities[index].certificate->der()));
    }
    items.push_back({{"type", CheckType(check)},
                     {"url", check.url},
                     {"allowIssuerSignature", check.allow_issuer_signature},
                     {"signerThumbprintSha1s", signers}});
  }
  return {
      {"name", entity.name},
      {"defaultPolicy", policy.default_policy},
      {"continueOnServerUnavailable", policy.continue_on_unavailable},
      {"defaultSuccess", policy.default_success},
      {"revocationCheckPolicyItems", items},
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
        {{"name", cert.name}, {"thumbprintSha1", bundle::ThumbprintSha1(cert.certificate->der())}});
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
      {"name", user.name},
      {"providerName", entity.provider_name},
  };
  if (!user.login.empty()) out["login"] = user.login;  // a login-less user has none
  if (!user.dn.empty()) out["subjectDn"] = user.dn;
  if (!user.first_name.empty()) out["firstName"] = user.first_name;
  if (!user.last_name.empty()) out["lastName"] = user.last_name;
  if (!user.email.empty()) out["email"] = user.email;
  if (entity.certificate != nullptr)
    out["certBase64"] = bundle::CertBase64(entity.certificate->der());
  return out;
}

enum class EntityKind { kTrustedCert, kPolicy, kProvider, kUser };

EntityKind KindOf(const PlannedEntity& entity) {
  if (entity.trust != nullptr) return EntityKind::kTrustedCert;
  if (entity.policy != nullptr) return EntityKind::kPolicy;
  if (entity.user != nullptr) return EntityKind::kUser;
  return EntityKind::kProvider;
}

json EntityJson(const Plan& plan, const PlannedEntity& entity) {
  switch (KindOf(entity)) {
    case EntityKind::kTrustedCert:
      return WithPolicyName(plan, entity, TrustedCert(entity));
    case EntityKind::kPolicy:
      return RevocationPolicy(plan, entity);
    case EntityKind::kUser:
      return User(entity);
    case EntityKind::kProvider:
      break;
  }
  return Provider(plan, entity);
}

// Entities of a plan, in plan order.
using Selection = std::vector<const PlannedEntity*>;

// `key: [...]` with the selected entities of `kind`, each made and written in turn; left out
// when there are none.
void WriteList(trust::manifest::JsonObjectStream<json>& out, std::string_view key, EntityKind kind,
               const Plan& plan, const Selection& selected) {
  bool any = std::any_of(selected.begin(), selected.end(),
                         [kind](const PlannedEntity* e) { return KindOf(*e) == kind; });
  if (!any) return;
  out.BeginArray(key);
  for (const PlannedEntity* entity : selected) {
    if (KindOf(*entity) == kind) out.Element(EntityJson(plan, *entity));
  }
  out.EndArray();
}

// The bundle of `selected` (entities of `plan`; provider references are indices into it). The
// layout is json::dump(2) of the whole document, keys sorted, but written one entry at a time
// (JsonObjectStream), so a bundle of 25,000 certificates is never a JSON tree in memory. Never
// throws: a string that is not UTF-8 (sema refuses those in sources; certificate fields come
// from OpenSSL) is written with U+FFFD instead.
void Print(const Plan& plan, const Selection& selected, std::string_view action,
           base::ByteSink& sink) {
  trust::manifest::JsonObjectStream<json> out(sink);
  WriteList(out, "federatedIdps", EntityKind::kProvider, plan, selected);
  WriteList(out, "federatedUsers", EntityKind::kUser, plan, selected);
  out.Member("properties", {{"defaultAction", action}});
  WriteList(out, "revocationCheckPolicies", EntityKind::kPolicy, plan, selected);
  WriteList(out, "trustedCerts", EntityKind::kTrustedCert, plan, selected);
  out.Finish();
}

Selection All(const Plan& plan) {
  Selection all;
  for (const PlannedEntity& entity : plan.entities) all.push_back(&entity);
  return all;
}

// What identifies an entity to Graphman: a trusted certificate's thumbprint, a provider's or a
// revocation policy's name, a user's provider and login.
std::string Key(const PlannedEntity& entity) {
  if (entity.trust != nullptr) return "cert\n" + bundle::ThumbprintSha1(entity.certificate->der());
  if (entity.user != nullptr) return "user\n" + entity.provider_name + "\n" + entity.user->name;
  if (entity.policy != nullptr) return "policy\n" + entity.name;
  return "provider\n" + entity.name;
}

void WriteBundle(const ir::Program& program, const ir::Gateway& gateway, Kind kind,
                 base::ByteSink& out) {
  Plan plan = bundle::MakePlan(program, gateway);
  Print(plan, All(plan), kind == Kind::kInstall ? "NEW_OR_UPDATE" : "DELETE", out);
}

}  // namespace

void WriteInstallBundle(const ir::Program& program, const ir::Gateway& gateway,
                        base::ByteSink& out) {
  WriteBundle(program, gateway, Kind::kInstall, out);
}

void WriteDeleteBundle(const ir::Program& program, const ir::Gateway& gateway,
                       base::ByteSink& out) {
  WriteBundle(program, gateway, Kind::kDelete, out);
}

std::string InstallBundle(const ir::Program& program, const ir::Gateway& gateway) {
  return base::WriteToString(
      [&](base::ByteSink& out) { WriteInstallBundle(program, gateway, out); });
}

std::string DeleteBundle(const ir::Program& program, const ir::Gateway& gateway) {
  return base::WriteToString(
      [&](base::ByteSink& out) { WriteDeleteBundle(program, gateway, out); });
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
  Selection gone;
  for (const PlannedEntity& entity : plan.entities) {
    if (!kept.contains(Key(entity))) gone.push_back(&entity);
  }
  // Provider references are indices into the old plan: resolve them there.
  return base::WriteToString([&](base::ByteSink& out) { Print(plan, gone, "DELETE", out); });
}

}  // namespace trust::lower::graphman
