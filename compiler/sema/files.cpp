// The project-root rule that bounds the files a program names: shared by the driver's loader
// (modules) and certificate loading (certificate files). They read with base/file_read.h.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <system_error>

#include "compiler/sema/program.h"

namespace trust::sema {
namespace fs = std::filesystem;

fs::path RealPath(const fs::path& path) {
  int fd = ::open(path.c_str(), O_PATH | O_CLOEXEC);
  if (fd >= 0) {
    char target[PATH_MAX];
    std::string link = "/proc/self/fd/" + std::to_string(fd);
    ssize_t n = ::readlink(link.c_str(), target, sizeof target);
    ::close(fd);
    if (n > 0 && static_cast<size_t>(n) < sizeof target && target[0] == '/') {
      return fs::path(std::string(target, static_cast<size_t>(n)));
    }
  }
  std::error_code ec;
  return fs::weakly_canonical(path, ec);
}

ResolvedDirectories::~ResolvedDirectories() {
  for (auto& [named, directory] : directories_) {
    if (directory.fd >= 0) ::close(directory.fd);
  }
}

void ResolvedDirectories::Add(const fs::path& named) {
  auto [it, added] = directories_.try_emplace(named.parent_path().native());
  if (!added) return;
  Directory& directory = it->second;
  directory.fd = ::open(it->first.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (directory.fd < 0) return;
  char target[PATH_MAX];
  std::string link = "/proc/self/fd/" + std::to_string(directory.fd);
  ssize_t n = ::readlink(link.c_str(), target, sizeof target);
  if (n > 0 && static_cast<size_t>(n) < sizeof target && target[0] == '/') {
    directory.real = std::string(target, static_cast<size_t>(n));
  } else {
    ::close(directory.fd);
    directory.fd = -1;
  }
}

ResolvedDirectories::File ResolvedDirectories::Resolve(const fs::path& named) const {
  auto it = directories_.find(named.parent_path().native());
  fs::path leaf = named.filename();
  if (it != directories_.end() && it->second.fd >= 0 && !leaf.empty() && leaf != "." &&
      leaf != "..") {
    // O_NOFOLLOW: a link in the last component fails (ELOOP), and RealPath resolves it.
    int fd = ::openat(it->second.fd, leaf.c_str(),
                      O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0) return File(it->second.real / leaf, fd);
  }
  return File(RealPath(named), -1);
}

ResolvedDirectories::File::~File() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> ResolvedDirectories::File::Read(size_t limit,
                                                           base::ReadFailure* failure) const {
  return fd_ >= 0 ? base::ReadOpenRegularFile(fd_, limit, failure)
                  : base::ReadRegularFile(real_.string(), limit, failure);
}

bool InsideRoot(const fs::path& root, const fs::path& real) {
  auto [root_end, unused] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
  return root_end == root.end();
}

}  // namespace trust::sema
