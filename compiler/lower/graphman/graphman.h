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

#include <string>

#include "base/byte_sink.h"
#include "compiler/ir/ir.h"

namespace trust::lower::graphman {

// The bundle installing every trust entity of `gateway`
// (`properties.defaultAction` NEW_OR_UPDATE), written into `out` as it is made.
void WriteInstallBundle(const ir::Program& program, const ir::Gateway& gateway,
                        base::ByteSink& out);

// The same entities with `properties.defaultAction` DELETE.
void WriteDeleteBundle(const ir::Program& program, const ir::Gateway& gateway, base::ByteSink& out);

// The same bundles as strings (diff, tests).
std::string InstallBundle(const ir::Program& program, const ir::Gateway& gateway);
std::string DeleteBundle(const ir::Program& program, const ir::Gateway& gateway);

// Rotation and removal: the bundle deleting what `old_gateway` (of `old_program`) has and the
// new build no longer has: trusted certificates whose SHA-1 thumbprint the new gateway does not
// trust (Graphman matches trusted certificates by thumbprint, so installing a rotated
// certificate adds a second entity and leaves the old one trusted), providers whose name is
// gone and users whose (provider, login) is gone. `new_gateway` is null when the gateway itself
// is gone: then everything is deleted. Apply it after the new install bundle.
std::string MigrationBundle(const ir::Program& old_program, const ir::Gateway& old_gateway,
                            const ir::Program& new_program, const ir::Gateway* new_gateway);

}  // namespace trust::lower::graphman
