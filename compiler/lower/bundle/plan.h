// The entities of one gateway's bundle, in mapping order, with their derived ids: the lowering
// model every bundle format is written from. Both RESTMAN bundles (install and delete) and both
// Graphman bundles (compiler/lower/graphman/) read one plan, so they cannot disagree on which
// entities exist, their names, their order, their certificates or what a provider references.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"

namespace trust::lower::bundle {

inline constexpr std::string_view kNamespace = "http://ns.l7tech.com/2010/04/gateway-management";
inline constexpr std::string_view kTrustedCertType = "TRUSTED_CERT";
inline constexpr std::string_view kProviderType = "ID_PROVIDER_CONFIG";
inline constexpr std::string_view kUserType = "USER";
inline constexpr std::string_view kRevocationPolicyType = "REVOCATION_CHECK_POLICY";

// One entity: exactly one of trust, provider, user or policy is set (a user also has its
// provider).
struct PlannedEntity {
  std::string_view type;
  std::string id;           // GOID
  std::string name;         // Item name and MapTo: the entity name, or a user's name (login)
  std::string src_uri;      // informational srcUri of the mapping
  std::string provider_id;  // users only: the GOID of their provider
  const ir::Trust* trust = nullptr;
  const ir::IdentityProvider* provider = nullptr;
  const ir::User* user = nullptr;
  const ir::RevocationPolicy* policy = nullptr;
  // Trusts: the trusted certificate; users: their attached certificate, or null.
  const x509::Certificate* certificate = nullptr;
  // Providers: the indices in Plan::entities of the trusted certificates they reference, in
  // source order. A certificate the gateway does not trust has no entity and is left out.
  std::vector<size_t> references;
  std::string provider_name;  // users only: the entity name of their provider
  // Trusts with `revocation policy NAME`: the index in Plan::entities of that policy.
  std::optional<size_t> revocation_policy;
  // Policies: per check, the indices in Plan::entities of its trusted signers.
  std::vector<std::vector<size_t>> signers;
};

struct Plan {
  // Revocation policies, certificates, providers, users: the mapping order (a policy before
  // the certificates that reference it).
  std::vector<PlannedEntity> entities;
};

Plan MakePlan(const ir::Program& program, const ir::Gateway& gateway);

// Both take the DER (x509::Certificate::der()) rather than the certificate: a stored
// certificate's DER is read back at every der(), so a caller needing both reads it once.
// Base64 of a certificate's DER on one line (no line breaks).
std::string CertBase64(const std::vector<uint8_t>& der);

// Base64 of the SHA-1 of the DER: the identity the gateway gives a trusted certificate.
std::string ThumbprintSha1(const std::vector<uint8_t>& der);

}  // namespace trust::lower::bundle
