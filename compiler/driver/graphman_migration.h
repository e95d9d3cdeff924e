// `trustc diff OLD NEW --format graphman`: the Graphman bundle that deletes what OLD had on a
// gateway and NEW no longer has (compiler/lower/graphman/graphman.h, MigrationBundle).
#pragma once

#include <optional>
#include <string>

#include "compiler/ir/ir.h"

namespace trust::driver {

// The migration bundle of gateway `name` (may be empty when OLD has exactly one gateway). On
// failure (no such gateway in OLD, or several and no name) returns nullopt and sets *error.
std::optional<std::string> GraphmanMigration(const ir::Program& old_program,
                                             const ir::Program& new_program,
                                             const std::string& name, std::string* error);

}  // namespace trust::driver
