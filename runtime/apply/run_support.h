// Pieces the commands share: loading every manifest up front, error lines.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "runtime/apply/commands.h"
#include "runtime/apply/job.h"

namespace trust::apply {

// "trust-apply: error: WHERE: MESSAGE" (lower case, no final period).
void ReportError(std::ostream& err, const std::string& where, const std::string& message);

// Every manifest, or nothing: a manifest that does not load stops the whole run before any
// keystore is read. With options.require_signature, artifacts that --sums and --verify-key
// do not verify are refused; `warn_unverified` (apply) prints one warning line when nothing
// checked their signature.
std::optional<std::vector<Job>> LoadJobs(const Options& options, bool warn_unverified,
                                         std::ostream& err);

}  // namespace trust::apply
