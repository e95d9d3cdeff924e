// The parts of the trustc man pages that --help does not carry: exit codes (as docs/cli.md
// lists them), environment variables, related pages.
#pragma once

#include <string>

#include "runtime/cli/man_page.h"

namespace trust::cli {

ProgramDoc TrustcDoc(const std::string& version);

}  // namespace trust::cli
