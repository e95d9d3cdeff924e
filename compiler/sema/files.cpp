// Reading the files a program names, and the project-root rule that bounds them: shared by the
// driver's loader (modules) and certificate loading (certificate files).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <system_error>

#include "compiler/sema/program.h"

namespace trust::sema {
namespace fs = std::filesystem;

namespace {

std::string LowerCaseError(int error_number) {
  std::string text = std::error_code(error_number, std::generic_category()).message();
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

// One open, one fstat and the reads: a program of 10,000 certificates reads 10,000 files.
std::optional<std::string> ReadFile(const fs::path& path, size_t limit, std::string* error) {
  // O_NONBLOCK: opening a FIFO must not block the compiler (or the language server) forever.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    *error = LowerCaseError(errno);
    return std::nullopt;
  }
  struct stat st {};
  std::optional<std::string> text;
  if (::fstat(fd, &st) != 0) {
    *error = LowerCaseError(errno);
  } else if (S_ISDIR(st.st_mode)) {
    *error = "is a directory";
  } else if (!S_ISREG(st.st_mode)) {
    *error = "is not a regular file";
  } else {
    text = ReadOpenFile(fd, limit, error);
  }
  ::close(fd);
  return text;
}

std::optional<std::string> ReadOpenFile(int fd, size_t limit, std::string* error) {
  std::string text;
  char buffer[65536];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = LowerCaseError(errno);
      return std::nullopt;
    }
    if (n == 0) return text;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > limit) {
      *error = "is larger than the limit of " + std::to_string(limit) + " bytes";
      return std::nullopt;
    }
  }
}

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
