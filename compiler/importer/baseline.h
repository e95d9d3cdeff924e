// The import baseline: the lint findings (errors and warnings) of the certificates and trusts
// that were already on the gateway, found by running the compiler's own checker on the
// imported program, so that the source can waive each one visibly with ir::kBaselineReason.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace trust::importer {

struct Baseline {
  // cert identifier -> rules found on the certificate itself (expired, weak_key, ...)
  std::map<std::string, std::vector<std::string>> cert_rules;
  // (gateway identifier, cert identifier) -> rules found on that trust (anchor_not_ca, ...)
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> trust_rules;

  bool empty() const { return cert_rules.empty() && trust_rules.empty(); }
  // One line per waiver, "cert NAME: RULE" or "gateway G, trust NAME: RULE", in source order
  // of the maps (sorted): what the import summary lists.
  std::vector<std::string> Lines() const;
};

// Checks `source` (with `cert_files` beside it) at build time `now` in a private temporary
// directory and collects the findings to waive. Nullopt, with *error set, only when the
// temporary directory cannot be written.
std::optional<Baseline> FindBaseline(const std::string& source,
                                     const std::map<std::string, std::string>& cert_files,
                                     int64_t now, std::string* error);

}  // namespace trust::importer
