#include "base/open_directories.h"

#include <fcntl.h>
#include <unistd.h>

namespace trust::base {

OpenDirectories::~OpenDirectories() {
  for (const auto& [directory, fd] : fds_) {
    if (fd >= 0) ::close(fd);
  }
}

int OpenDirectories::Add(const std::filesystem::path& directory) {
  auto [it, added] = fds_.try_emplace(directory.native(), -1);
  if (added) it->second = ::open(directory.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  return it->second;
}

int OpenDirectories::Find(const std::filesystem::path& directory) const {
  auto it = fds_.find(directory.native());
  return it == fds_.end() ? -1 : it->second;
}

}  // namespace trust::base
