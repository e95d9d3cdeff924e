// Lowering to CA API Gateway RESTMAN bundles (the mapping is described in
// docs/bundles.md). Reads only the IR.
//
// Invariants of the output, for any program sema accepted:
//  - a complete UTF-8 XML document ending in "\n", byte-identical for identical input (no clock,
//    no randomness, no absolute path; ids are derived with Goid());
//  - items and mappings list trusted certificates sorted by entity name, then identity
//    providers sorted by name, then users sorted by (provider name, login), so every entity is
//    mapped after the entities it references; the delete bundle maps the same items in reverse;
//  - every trusted certificate carries all eight trust properties as BooleanValues.
//
// Precondition (established by sema): every certificate an identity provider trusts is also
// trusted by the gateway (same SHA-256), since the provider references the gateway's
// TRUSTED_CERT entity by id. A reference without such an entity is left out, which only
// narrows what the provider accepts.
#pragma once

#include <string>
#include <string_view>

#include "base/byte_sink.h"
#include "compiler/ir/ir.h"
#include "compiler/lower/bundle/goid.h"

namespace trust::lower::bundle {

// The RESTMAN bundle installing (`NewOrUpdate`) every trust entity of `gateway`, written into
// `out` as it is made (a build streams it to its file).
void WriteInstallBundle(const ir::Program& program, const ir::Gateway& gateway,
                        base::ByteSink& out);

// The RESTMAN bundle deleting the same entities: same items, mappings reversed, `Delete`.
void WriteDeleteBundle(const ir::Program& program, const ir::Gateway& gateway, base::ByteSink& out);

// The same bundles as strings (diff, tests).
std::string InstallBundle(const ir::Program& program, const ir::Gateway& gateway);
std::string DeleteBundle(const ir::Program& program, const ir::Gateway& gateway);

}  // namespace trust::lower::bundle
