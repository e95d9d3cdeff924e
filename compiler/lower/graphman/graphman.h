// Lowering to Graphman bundles: the JSON documents gateway 10.1+ and the Layer7 Operator apply
// through the gateway's GraphQL management API. The mapping is described in docs/graphman.md.
//
// Both bundles are written from the same plan as the RESTMAN bundles
// (compiler/lower/bundle/plan.h): the same entities, names, certificates and provider
// references; only the vocabulary differs.
//
// Invariants of the output, for any program sema accepted:
//  - one JSON object ending in "\n", written by nlohmann::json, keys sorted, byte-identical for
//    identical input (no clock, no randomness, no absolute path, no GOID);
//  - lists in plan order: trusted certificates by entity name, providers by name, users by
//    (provider name, login);
//  - every entry is a valid input value of setTrustedCerts, setFederatedIdps and
//    setFederatedUsers in the operator's schema and in graphman-client's v11.1.1 and v11.2.1
//    schemas (tests/graphman checks all three).
#pragma once

#include <set>
#include <string>

#include "compiler/ir/ir.h"

namespace trust::lower::graphman {

// The bundle installing every trust entity of `gateway`
// (`properties.defaultAction` NEW_OR_UPDATE).
std::string InstallBundle(const ir::Program& program, const ir::Gateway& gateway);

// The same entities with `properties.defaultAction` DELETE.
std::string DeleteBundle(const ir::Program& program, const ir::Gateway& gateway);

// Rotation: a bundle deleting the trusted certificates of `previous` whose SHA-1 thumbprint is
// not among `kept` (the thumbprints the new build trusts on the same gateway). Graphman matches
// trusted certificates by thumbprint, so installing a rotated certificate adds a second entity;
// this bundle removes the one that left. Returns "" when no certificate left.
std::string MigrationBundle(const ir::Program& previous, const ir::Gateway& gateway,
                            const std::set<std::string>& kept);

}  // namespace trust::lower::graphman
