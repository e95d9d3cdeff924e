// Release artifacts: the files of `trustc build`, their checksums and signature, written all
// or nothing.
//
// Invariants: artifact paths are relative and '/'-separated; contents depend only on the
// program (no clock, no absolute path); SHA256SUMS lists every other file, sorted, in the
// format `sha256sum -c` reads.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"

namespace trust::artifacts {

// Relative path → bytes; std::map keeps the order stable.
using ArtifactSet = std::map<std::string, std::string>;

// One artifact: its path and what makes its bytes (nullopt and *error on failure). A build
// makes each artifact when it writes it and drops it after: a large program's bundles are tens
// of megabytes each, and holding all of them at once made peak memory grow with their sum.
struct Artifact {
  std::string path;
  std::function<std::optional<std::string>(std::string* error)> make;
};

// Everything `trustc build` writes, in the order it writes it: bundles, manifests and
// certificates for every gateway and keystore of the program, sorted by path, then SHA256SUMS
// and, with a `sign_key`, SHA256SUMS.sig. Made lazily; SHA256SUMS records each artifact as it is
// made (and makes any not yet made). `program` must outlive the list.
std::vector<Artifact> ListArtifacts(const ir::Program& program, std::string_view generator,
                                    const std::string& sign_key = "");

// Every artifact of `artifacts` made: for comparing builds in memory. Lowering never fails, so
// only a signature can: then nullopt and *error.
std::optional<ArtifactSet> Collect(const std::vector<Artifact>& artifacts, std::string* error);
// The unsigned artifacts of `program`, made.
ArtifactSet Collect(const ir::Program& program, std::string_view generator);

// `trustc build`: writes `artifacts` (a ListArtifacts list) one at a time, all or nothing as
// WriteAtomically does.
bool WriteBuild(const std::vector<Artifact>& artifacts, const std::string& dir, std::string* error);

// Detached signature of `data` with the PEM private key in `key_path` (RSA or EC, SHA-256), in
// the form `openssl dgst -sha256 -sign` writes. On failure returns nullopt and sets *error.
std::optional<std::string> Sign(const std::string& data, const std::string& key_path,
                                std::string* error);

// Writes the set into a temporary directory beside `dir`, then swaps it into place. On failure
// `dir` is untouched, nothing temporary is left, and *error says why.
bool WriteAtomically(const ArtifactSet& files, const std::string& dir, std::string* error);

}  // namespace trust::artifacts
