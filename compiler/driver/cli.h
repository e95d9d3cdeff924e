// Command-line wiring of trustc (CLI11). Returns the process exit code: 0 success, 1 input
// errors, 2 usage errors.
#pragma once

namespace trust::driver {

int RunCli(int argc, char** argv);

}  // namespace trust::driver
