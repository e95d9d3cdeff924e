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

bool InsideRoot(const fs::path& root, const fs::path& real) {
  auto [root_end, unused] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
  return root_end == root.end();
}

}  // namespace trust::sema
