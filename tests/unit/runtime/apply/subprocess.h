// Running the real trust-apply binary (and other programs) from tests: exit status, stdout
// and stderr, an environment with overrides, and processes started in the background.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace trust::testing {

struct ProcessResult {
  int status = -1;  // exit code, or -SIGNAL when killed by a signal
  std::string out;
  std::string err;
};

// The environment of this process with `overrides` ("NAME=VALUE" sets, "NAME" unsets).
std::vector<std::string> EnvironmentWith(const std::vector<std::string>& overrides);

// Starts argv[0] (searched in PATH) with stdin from /dev/null, stdout and stderr to the
// given files ("/dev/null" to drop). Returns the pid, or -1.
pid_t Spawn(const std::vector<std::string>& argv, const std::vector<std::string>& overrides = {},
            const std::string& stdout_path = "/dev/null",
            const std::string& stderr_path = "/dev/null");

// Waits for `pid`: exit code, or -SIGNAL.
int WaitFor(pid_t pid);

// Runs to completion and captures both streams.
// The names in `dir` (without . and ..), sorted.
std::vector<std::string> DirEntries(const std::string& dir);

ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::vector<std::string>& overrides = {});

// Whether `program` is found in PATH.
bool HaveProgram(const std::string& program);

}  // namespace trust::testing

#ifdef TRUST_BINARY_DIR
namespace trust::testing {
inline std::string TrustApplyBinary() { return std::string(TRUST_BINARY_DIR) + "/bin/trust-apply"; }
}  // namespace trust::testing
#endif
