// The entities of one gateway's bundle, in mapping order, with their derived ids. Both bundles
// (install and delete) are written from one plan, so they cannot disagree on items or ids.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"

namespace trust::lower::bundle {

inline constexpr std::string_view kNamespace = "http://ns.l7tech.com/2010/04/gateway-management";
inline constexpr std::string_view kTrustedCertType = "TRUSTED_CERT";
inline constexpr std::string_view kProviderType = "ID_PROVIDER_CONFIG";
inline constexpr std::string_view kUserType = "USER";

// One entity: exactly one of trust, provider or user is set (a user also has its provider).
struct PlannedEntity {
  std::string_view type;
  std::string id;           // GOID
  std::string name;         // Item name and MapTo: the entity name, or a user's login
  std::string src_uri;      // informational srcUri of the mapping
  std::string provider_id;  // users only: the GOID of their provider
  const ir::Trust* trust = nullptr;
  const ir::IdentityProvider* provider = nullptr;
  const ir::User* user = nullptr;
};

struct Plan {
  std::vector<PlannedEntity> entities;  // certificates, providers, users: the mapping order
};

Plan MakePlan(const ir::Gateway& gateway);

// The GOID of the gateway's TRUSTED_CERT entity holding the certificate with this SHA-256, or
// "" if the gateway does not trust it.
std::string TrustedCertGoid(const ir::Program& program, const ir::Gateway& gateway,
                            std::string_view sha256);

}  // namespace trust::lower::bundle
