// Running programs from tests: the real trustc and trust-apply binaries, openssl, keytool.
// One way to start a process (fork and exec, stdin from a string or /dev/null, stdout and
// stderr captured through files), with an environment of overrides, a working directory and a
// deadline, and the few ways the tests wait for one: to completion, until it stops at a pause
// point (SIGSTOP races), or in the background until the test ends.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace trust::test {

struct ProcessResult {
  int status = -1;  // exit code, or -SIGNAL when killed by a signal
  std::string out;
  std::string err;
};

struct ProcessOptions {
  // "NAME=VALUE" sets, "NAME" unsets; applied to this process's environment, or to an empty
  // one when `inherit_environment` is false.
  std::vector<std::string> env{};
  bool inherit_environment = true;
  std::string cwd{};          // empty: this process's working directory
  std::string input{};        // what the process reads on its standard input
  int timeout_seconds = 120;  // then it is killed and the test fails
};

// The environment of this process with `overrides` applied ("NAME=VALUE" sets, "NAME" unsets).
std::vector<std::string> EnvironmentWith(const std::vector<std::string>& overrides);

// Runs argv[0] (searched in PATH) to completion and captures both streams.
ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// `sh -c command`: for tests whose command line is a shell pipeline.
ProcessResult RunShell(const std::string& command, const ProcessOptions& options = {});

// Whether `program` is found in PATH.
bool HaveProgram(const std::string& program);

// Starts argv[0] (searched in PATH) with stdin from /dev/null, stdout and stderr to the given
// files ("/dev/null" to drop). Returns the pid, or -1.
pid_t Spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
            const std::string& stdout_path = "/dev/null",
            const std::string& stderr_path = "/dev/null");

// A process whose stdin and stdout are pipes to this one (a language server), stderr inherited.
struct PipedProcess {
  pid_t pid = -1;
  int to_child = -1;    // its stdin
  int from_child = -1;  // its stdout
};
PipedProcess SpawnWithPipes(const std::vector<std::string>& argv);

// Waits for `pid`: exit code, or -SIGNAL.
int WaitFor(pid_t pid);

// Waits for `pid` at most `seconds`: its exit code, or -SIGKILL after killing it and failing
// the test (a hang is a bug, never a reason to wait longer).
int WaitWithin(pid_t pid, int seconds);

// Waits until `pid` stops (a SIGSTOP at a pause point): true, or false when it exited first.
bool WaitUntilStopped(pid_t pid);

// A process started in the background (a server) and killed when the test ends.
class BackgroundProcess {
 public:
  BackgroundProcess() = default;
  BackgroundProcess(const std::vector<std::string>& argv, const std::string& stderr_path);
  ~BackgroundProcess() { Stop(); }
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(BackgroundProcess&& other) noexcept;

  // Whether it is still running (not exited, not reaped).
  bool Running();
  // SIGTERM and wait; nothing when it is not running.
  void Stop();

 private:
  pid_t pid_ = -1;
};

}  // namespace trust::test
