#include "tests/unit/runtime/apply/subprocess.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

namespace trust::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

std::vector<std::string> EnvironmentWith(const std::vector<std::string>& overrides) {
  std::vector<std::string> env;
  auto overridden = [&](const std::string& entry) {
    std::string name = entry.substr(0, entry.find('='));
    for (const std::string& o : overrides) {
      if (o.substr(0, o.find('=')) == name) {
        return true;
      }
    }
    return false;
  };
  for (char** e = environ; *e != nullptr; ++e) {
    if (!overridden(*e)) {
      env.emplace_back(*e);
    }
  }
  for (const std::string& o : overrides) {
    if (o.find('=') != std::string::npos) {
      env.push_back(o);
    }
  }
  return env;
}

pid_t Spawn(const std::vector<std::string>& argv, const std::vector<std::string>& overrides,
            const std::string& stdout_path, const std::string& stderr_path) {
  // Everything the child needs is prepared before fork (only async-signal-safe calls after).
  std::vector<std::string> env = EnvironmentWith(overrides);
  std::vector<char*> argp;
  for (const std::string& a : argv) {
    argp.push_back(const_cast<char*>(a.c_str()));
  }
  argp.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& e : env) {
    envp.push_back(const_cast<char*>(e.c_str()));
  }
  envp.push_back(nullptr);
  pid_t pid = fork();
  if (pid != 0) {
    return pid;
  }
  int in = open("/dev/null", O_RDONLY);
  int out = open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) {
    _exit(127);
  }
  execvpe(argp[0], argp.data(), envp.data());
  _exit(127);
}

int WaitFor(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return -1000;
    }
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::vector<std::string>& overrides) {
  char dir_template[] = "/tmp/trust-process-XXXXXX";
  std::string dir = mkdtemp(dir_template);
  ProcessResult result;
  pid_t pid = Spawn(argv, overrides, dir + "/out", dir + "/err");
  if (pid > 0) {
    result.status = WaitFor(pid);
  }
  result.out = Slurp(dir + "/out");
  result.err = Slurp(dir + "/err");
  std::filesystem::remove_all(dir);
  return result;
}

bool HaveProgram(const std::string& program) {
  return RunProcess({"sh", "-c", "command -v '" + program + "'"}).status == 0;
}

std::vector<std::string> DirEntries(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return out;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") out.push_back(name);
  }
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace trust::testing
