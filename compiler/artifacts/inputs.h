// What an artifact is made from, as one SHA-256: the key under which a rebuild may reuse the
// artifact of the previous build instead of lowering it again. A key covers everything
// lowering reads for that artifact (the gateway's or keystore's part of the checked program,
// the SHA-256 of every certificate it uses, the root source's name that bundles mention) and
// this trustc's version and build ID; never a timestamp or a path outside the program.
#pragma once

#include <string>
#include <string_view>

#include "compiler/ir/ir.h"

namespace trust::artifacts {

// The four bundles of `gateway`.
std::string GatewayInputKey(const ir::Program& program, const ir::Gateway& gateway);

// The manifest of `keystore`, written with `generator`.
std::string KeystoreInputKey(const ir::Program& program, const ir::Keystore& keystore,
                             std::string_view generator);

}  // namespace trust::artifacts
