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
// keystore is read.
std::optional<std::vector<Job>> LoadJobs(const Options& options, std::ostream& err);

}  // namespace trust::apply
