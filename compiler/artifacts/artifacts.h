// Release artifacts: the files of `trustc build`, their checksums and signature, written all
// or nothing.
//
// Invariants: artifact paths are relative and '/'-separated; contents depend only on the
// program (no clock, no absolute path); SHA256SUMS lists every other file, sorted, in the
// format `sha256sum -c` reads.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "compiler/ir/ir.h"

namespace trust::artifacts {

// Relative path → bytes; std::map keeps the order stable.
using ArtifactSet = std::map<std::string, std::string>;

// Bundles, manifests and certificates for every gateway and keystore of the program, plus
// SHA256SUMS.
ArtifactSet Collect(const ir::Program& program, std::string_view generator);

// Detached signature of `data` with the PEM private key in `key_path` (RSA or EC, SHA-256), in
// the form `openssl dgst -sha256 -sign` writes. On failure returns nullopt and sets *error.
std::optional<std::string> Sign(const std::string& data, const std::string& key_path,
                                std::string* error);

// Writes the set into a temporary directory beside `dir`, then swaps it into place. On failure
// `dir` is untouched, nothing temporary is left, and *error says why.
bool WriteAtomically(const ArtifactSet& files, const std::string& dir, std::string* error);

}  // namespace trust::artifacts
