// CLI11 wiring of trust-apply: flags in, exit code out.
#pragma once

namespace trust::apply {

int RunCli(int argc, char** argv);

}  // namespace trust::apply
