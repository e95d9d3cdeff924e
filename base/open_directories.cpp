#include "base/open_directories.h"

#include <fcntl.h>
#include <unistd.h>

namespace trust::base {

OpenDirectories::~OpenDirectories() {
  for (const auto& [directory, fd] : fds_) {
    if (fd >= 0) ::close(fd);
  }
}

int OpenDirectories::Add(std::string_view directory) {
  if (auto it = fds_.find(directory); it != fds_.end()) return it->second;
  std::string path(directory);
  int fd = ::open(path.empty() ? "." : path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  fds_.emplace(std::move(path), fd);
  return fd;
}

int OpenDirectories::Find(std::string_view directory) const {
  auto it = fds_.find(directory);
  return it == fds_.end() ? -1 : it->second;
}

std::pair<std::string_view, std::string_view> SplitLastComponent(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {std::string_view(), path};
  return {slash == 0 ? path.substr(0, 1) : path.substr(0, slash), path.substr(slash + 1)};
}

}  // namespace trust::base
