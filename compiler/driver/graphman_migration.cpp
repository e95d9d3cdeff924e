#include "compiler/driver/graphman_migration.h"

#include "compiler/lower/graphman/graphman.h"

namespace trust::driver {

std::optional<std::string> GraphmanMigration(const ir::Program& old_program,
                                             const ir::Program& new_program,
                                             const std::string& name, std::string* error) {
  const ir::Gateway* old_gateway = nullptr;
  if (name.empty()) {
    if (old_program.gateways.size() != 1) {
      *error = "--format graphman needs --gateway NAME: the old program has " +
               std::to_string(old_program.gateways.size()) + " gateways";
      return std::nullopt;
    }
    old_gateway = &old_program.gateways.front();
  } else {
    for (const ir::Gateway& g : old_program.gateways) {
      if (g.name == name) old_gateway = &g;
    }
    if (old_gateway == nullptr) {
      *error = "the old program has no gateway " + name;
      return std::nullopt;
    }
  }
  const ir::Gateway* new_gateway = nullptr;
  for (const ir::Gateway& g : new_program.gateways) {
    if (g.name == old_gateway->name) new_gateway = &g;
  }
  return lower::graphman::MigrationBundle(old_program, *old_gateway, new_program, new_gateway);
}

}  // namespace trust::driver
