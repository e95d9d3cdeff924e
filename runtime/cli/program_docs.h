// The parts of the trustc and trust-apply man pages that --help does not carry: exit codes
// (as docs/cli.md lists them), environment variables, related pages. Plain strings, no
// dependencies, so trust-apply can use it without linking the compiler.
#pragma once

#include <string>

#include "runtime/cli/man_page.h"

namespace trust::cli {

ProgramDoc TrustcDoc(const std::string& version);
ProgramDoc TrustApplyDoc(const std::string& version);

}  // namespace trust::cli
