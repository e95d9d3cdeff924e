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

#include "base/byte_sink.h"
#include "compiler/artifacts/previous_build.h"
#include "compiler/ir/ir.h"
#include "compiler/source/phase_times.h"

namespace trust::artifacts {

// Relative path → bytes; std::map keeps the order stable.
using ArtifactSet = std::map<std::string, std::string>;

// One artifact: its path and what writes its bytes into a sink (false and *error on failure:
// only a signature can fail). A build streams each artifact to its file as it is made, so that
// memory does not grow with the largest bundle (tens of megabytes in a large program).
//
// `input_key` (see inputs.h), when set, names everything the bytes are made from: a build whose
// output directory already holds this path made from the same key (recorded in
// `.trustc-inputs`), with the SHA-256 its SHA256SUMS lists, links that file instead of calling
// `make`.
struct Artifact {
  std::string path;
  std::function<bool(base::ByteSink& out, std::string* error)> make;
  std::string input_key;
  // Called with the file's SHA-256 instead of `make` when the file is reused (for SHA256SUMS).
  std::function<void(const std::string& sha256)> reused;
  // Made after the other artifacts of its list, one at a time, because `make` reads what they
  // made (SHA256SUMS and its signature). The others may be made concurrently: their `make`
  // must be safe to call from several threads at once.
  bool after_others = false;
};

// The bytes of `artifact`, made in memory (nullopt and *error on failure).
std::optional<std::string> MakeBytes(const Artifact& artifact, std::string* error);

// Everything `trustc build` writes, in the order it writes it: bundles, manifests and
// certificates for every gateway and keystore of the program, sorted by path, then SHA256SUMS
// and, with a `sign_key`, SHA256SUMS.sig. Made lazily; SHA256SUMS records each artifact as it is
// made or reused (and makes any not yet made). `program` must outlive the list.
std::vector<Artifact> ListArtifacts(const ir::Program& program, std::string_view generator,
                                    const std::string& sign_key = "");

// Every artifact of `artifacts` made: for comparing builds in memory. Lowering never fails, so
// only a signature can: then nullopt and *error.
std::optional<ArtifactSet> Collect(const std::vector<Artifact>& artifacts, std::string* error);
// The unsigned artifacts of `program`, made.
ArtifactSet Collect(const ir::Program& program, std::string_view generator);

// `trustc build`: writes `artifacts` (a ListArtifacts list) one at a time, reusing those of
// the build in `dir` whose input key is unchanged, then .trustc-inputs and what `build_record`
// makes, if anything (.trustc-build), all or nothing as WriteAtomically does. A reusable file of
// the previous build that no longer hashes to its SHA256SUMS is made again, and `notes` gets a line
// saying so.
struct BuildStats {
  size_t reused = 0;  // artifacts linked from the previous build
  size_t made = 0;    // artifacts lowered (or copied) and written
  std::vector<std::string> notes;
};
// What may be reused is what `check` (started on `dir` before compiling) found; null: `dir` is
// checked now. With `timings` (--timings), the time goes to "reuse check" (what was left of
// `check` when the program was compiled), "lower+write", "flush" (making the staged tree
// durable) and "swap" (putting it in place and removing the previous build).
bool WriteBuild(const std::vector<Artifact>& artifacts, const std::string& dir, BuildStats* stats,
                source::PhaseTimes* timings, std::string* error,
                const std::function<std::optional<std::string>()>& build_record = {},
                PreviousBuildCheck* check = nullptr);

// Detached signature of `data` with the PEM private key in `key_path` (RSA or EC, SHA-256), in
// the form `openssl dgst -sha256 -sign` writes. On failure returns nullopt and sets *error.
std::optional<std::string> Sign(const std::string& data, const std::string& key_path,
                                std::string* error);

// Writes the set into a temporary directory beside `dir`, then swaps it into place. On failure
// `dir` is untouched, nothing temporary is left, and *error says why.
bool WriteAtomically(const ArtifactSet& files, const std::string& dir, std::string* error);

}  // namespace trust::artifacts
