// `trustc graph`: the trust graph of a resolved program, as Graphviz DOT or a mermaid flowchart.
//
// Nodes: certificates (display name, subject CN, short sha256), gateways, identity providers,
// users, keystores. Edges: gateway → certificate (purposes, anchor), provider → certificate,
// gateway → provider, provider → user, user → its certificate, keystore → certificate (alias),
// and issuer → certificate when one certificate's key verifies the other's signature.
// Invariants: node ids derive from positions in the program's (deterministic) order, so the
// same program always gives byte-identical output. Certificates of the standard library that
// nothing uses are left out.
#pragma once

#include <string>

#include "compiler/ir/ir.h"

namespace trust::review {

std::string GraphDot(const ir::Program& program);
std::string GraphMermaid(const ir::Program& program);

}  // namespace trust::review
