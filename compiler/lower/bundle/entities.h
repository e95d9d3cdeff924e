// The `l7:Item`s of a bundle: one writer per entity kind, each writing the entity element in
// the child order the gateway expects.
#pragma once

#include "compiler/ir/ir.h"
#include "compiler/lower/bundle/plan.h"
#include "compiler/lower/bundle/xml.h"

namespace trust::lower::bundle {

// Appends `l7:Item` (Name, Id, Type, Resource) for `entity` to `references`. No TimeStamp:
// it is optional and would make the output depend on the clock. Precondition: the certificate
// of every trust is loaded (sema guarantees it).
void WriteItem(const Plan& plan, const PlannedEntity& entity, xml::Element& references);

}  // namespace trust::lower::bundle
