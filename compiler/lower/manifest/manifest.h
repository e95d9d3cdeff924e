// IR → keystore manifest (runtime/manifest owns the schema and its writer).
//
// Invariants: the manifest references certificates as `../certs/SHA256.der`, relative to
// keystores/ in the artifact directory; aliases are already lower-cased by sema for jks and
// pkcs12; `${env:...}` placeholders are left for the runtime; no secret is written.
#pragma once

#include "compiler/ir/ir.h"
#include "runtime/manifest/manifest.h"

namespace trust::lower::manifest {

trust::manifest::Manifest LowerKeystore(const ir::Program& program, const ir::Keystore& keystore,
                                        std::string_view generator);

// The artifact path of a certificate: "certs/SHA256.der".
std::string CertArtifactPath(const x509::Certificate& certificate);

}  // namespace trust::lower::manifest
