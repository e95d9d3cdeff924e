#include "tests/support/process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "tests/support/temp_tree.h"

extern char** environ;

namespace trust::test {
namespace {

std::string NameOf(const std::string& entry) { return entry.substr(0, entry.find('=')); }

bool Overridden(const std::string& entry, const std::vector<std::string>& overrides) {
  for (const std::string& o : overrides) {
    if (NameOf(o) == NameOf(entry)) return true;
  }
  return false;
}

std::vector<char*> NullTerminated(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Where the child's standard streams come from and go to, and where it runs.
struct ChildSetup {
  std::string stdin_path = "/dev/null";
  std::string stdout_path = "/dev/null";
  std::string stderr_path = "/dev/null";
  std::string cwd;
};

// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void BecomeChild(const ChildSetup& setup, char** argv, char** envp) {
  int in = open(setup.stdin_path.c_str(), O_RDONLY);
  int out = open(setup.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err = open(setup.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) {
    _exit(127);
  }
  if (!setup.cwd.empty() && chdir(setup.cwd.c_str()) != 0) _exit(127);
  execvpe(argv[0], argv, envp);
  _exit(127);
}

pid_t Start(std::vector<std::string> argv, std::vector<std::string> env, const ChildSetup& setup) {
  // Everything the child needs is prepared before fork.
  std::vector<char*> argp = NullTerminated(argv);
  std::vector<char*> envp = NullTerminated(env);
  pid_t pid = fork();
  if (pid == 0) BecomeChild(setup, argp.data(), envp.data());
  return pid;
}

int ExitStatus(int wait_status) {
  return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -WTERMSIG(wait_status);
}

std::vector<std::string> ChildEnvironment(const ProcessOptions& options) {
  if (options.inherit_environment) return EnvironmentWith(options.env);
  std::vector<std::string> env;
  for (const std::string& e : options.env) {
    if (e.find('=') != std::string::npos) env.push_back(e);
  }
  return env;
}

}  // namespace

std::vector<std::string> EnvironmentWith(const std::vector<std::string>& overrides) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!Overridden(*e, overrides)) env.emplace_back(*e);
  }
  for (const std::string& o : overrides) {
    if (o.find('=') != std::string::npos) env.push_back(o);
  }
  return env;
}

pid_t Spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env,
            const std::string& stdout_path, const std::string& stderr_path) {
  ChildSetup setup;
  setup.stdout_path = stdout_path;
  setup.stderr_path = stderr_path;
  return Start(argv, EnvironmentWith(env), setup);
}

PipedProcess SpawnWithPipes(const std::vector<std::string>& argv) {
  int in[2];
  int out[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) return {};
  std::vector<std::string> args = argv;
  std::vector<char*> argp = NullTerminated(args);
  pid_t pid = fork();
  if (pid == 0) {
    // dup2 clears O_CLOEXEC on the copies; the originals close at exec.
    if (dup2(in[0], STDIN_FILENO) < 0 || dup2(out[1], STDOUT_FILENO) < 0) _exit(127);
    execvp(argp[0], argp.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  return {pid, in[1], out[0]};
}

int WaitFor(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1000;
  }
  return ExitStatus(status);
}

int WaitWithin(pid_t pid, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      WaitFor(pid);
      ADD_FAILURE() << "process " << pid << " still running after " << seconds << " s";
      return -SIGKILL;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return ExitStatus(status);
}

bool WaitUntilStopped(pid_t pid) {
  int status = 0;
  return waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status);
}

ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options) {
  TempDir streams("trust-process");
  ChildSetup setup;
  setup.stdin_path = streams.str() + "/in";
  setup.stdout_path = streams.str() + "/out";
  setup.stderr_path = streams.str() + "/err";
  setup.cwd = options.cwd;
  WriteFile(setup.stdin_path, options.input);
  ProcessResult result;
  pid_t pid = Start(argv, ChildEnvironment(options), setup);
  if (pid < 0) return result;
  result.status = WaitWithin(pid, options.timeout_seconds);
  result.out = ReadFile(setup.stdout_path);
  result.err = ReadFile(setup.stderr_path);
  return result;
}

ProcessResult RunShell(const std::string& command, const ProcessOptions& options) {
  return RunProcess({"sh", "-c", command}, options);
}

bool HaveProgram(const std::string& program) {
  return RunShell("command -v '" + program + "'").status == 0;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const std::string& stderr_path)
    : pid_(Spawn(argv, {}, "/dev/null", stderr_path)) {}

BackgroundProcess& BackgroundProcess::operator=(BackgroundProcess&& other) noexcept {
  Stop();
  pid_ = other.pid_;
  other.pid_ = -1;
  return *this;
}

bool BackgroundProcess::Running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) pid_ = -1;
  return pid_ > 0;
}

void BackgroundProcess::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  WaitFor(pid_);
  pid_ = -1;
}

}  // namespace trust::test
