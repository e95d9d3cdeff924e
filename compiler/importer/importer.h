// `trustc import`: existing gateway bundles and keystores to `.trust` source.
//
// Invariants: the source compiles (what the language cannot express is left out with a note,
// and every lint error or warning of what was already on the gateway carries a visible waiver,
// the baseline, found by the compiler's own checker); rebuilding it gives
// the same trusted certificates, flags, providers, references, users and keystore aliases;
// each certificate is declared once, however many bundles and keystores hold it; nothing is
// written when an input is unreadable or malformed.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/importer/keystore_reader.h"

namespace trust::importer {

struct ImportOptions {
  std::vector<std::string> bundles;
  std::vector<KeystoreInput> keystores;
  std::string output;  // the .trust file to write; certificate files go beside it
  int64_t now = 0;     // seconds since the epoch: the build time the baseline is found at
};

struct ImportResult {
  std::string source;
  std::map<std::string, std::string> cert_files;  // file name beside `output` -> PEM
  std::vector<std::string> notes;                 // skipped kinds and left-out entities
  std::vector<std::string> warnings;              // keystores whose integrity was not checked
  std::vector<std::string> baseline;              // each waiver: "cert NAME: RULE", ...
  std::vector<std::string> details;               // per entry, what the notes summarise
};

// Reads every input. On failure returns nullopt and sets *error ("PATH:LINE: what").
std::optional<ImportResult> Import(const ImportOptions& options, std::string* error);

}  // namespace trust::importer
