// The project-root rule that bounds the files a program names: shared by the driver's loader
// (modules) and certificate loading (certificate files). They read with base/file_read.h.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "compiler/sema/program.h"

namespace trust::sema {
namespace fs = std::filesystem;

namespace {

// The absolute path the kernel has for an open descriptor, or nullopt.
std::optional<std::string> PathOfDescriptor(int fd) {
  char target[PATH_MAX];
  std::string link = "/proc/self/fd/" + std::to_string(fd);
  ssize_t n = ::readlink(link.c_str(), target, sizeof target);
  if (n > 0 && static_cast<size_t>(n) < sizeof target && target[0] == '/') {
    return std::string(target, static_cast<size_t>(n));
  }
  return std::nullopt;
}

}  // namespace

fs::path RealPath(const fs::path& path) {
  int fd = ::open(path.c_str(), O_PATH | O_CLOEXEC);
  if (fd >= 0) {
    std::optional<std::string> real = PathOfDescriptor(fd);
    ::close(fd);
    if (real) return fs::path(*real);
  }
  std::error_code ec;
  return fs::weakly_canonical(path, ec);
}

void ResolvedDirectories::Add(const fs::path& named) {
  auto [it, added] = reals_.try_emplace(named.parent_path().native());
  if (!added) return;
  int fd = opened_.Add(it->first);
  if (fd < 0) return;
  if (std::optional<std::string> real = PathOfDescriptor(fd)) it->second = *real;
}

ResolvedDirectories::File ResolvedDirectories::Resolve(const fs::path& named) const {
  auto it = reals_.find(named.parent_path().native());
  fs::path leaf = named.filename();
  if (it != reals_.end() && !it->second.empty() && !leaf.empty() && leaf != "." && leaf != "..") {
    // O_NOFOLLOW: a link in the last component fails (ELOOP), and RealPath resolves it.
    int fd = ::openat(opened_.Find(it->first), leaf.c_str(),
                      O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0) return File(it->second / leaf, fd);
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

namespace {

// The part of `path` after `root` and a separator, when `path` is `root` itself (then "") or
// continues it at a separator, and both are plain absolute paths: no `.` or `..` component, no
// doubled or trailing separator (what the kernel gives as a real path). Comparing the text is
// then comparing the components, without the path iterators' allocations, which a build of
// 10,000 certificates paid several times a file. Nullopt: anything else, left to the iterators.
std::optional<std::string_view> PlainSuffix(std::string_view path, std::string_view root) {
  auto plain = [](std::string_view text) {
    return text.starts_with('/') && (text.size() == 1 || !text.ends_with('/')) &&
           text.find("//") == std::string_view::npos &&
           text.find("/./") == std::string_view::npos &&
           text.find("/../") == std::string_view::npos && !text.ends_with("/.") &&
           !text.ends_with("/..");
  };
  if (!plain(path) || !plain(root) || !path.starts_with(root)) return std::nullopt;
  if (path.size() == root.size()) return std::string_view();
  if (root.size() == 1) return path.substr(1);  // the root directory
  if (path[root.size()] != '/') return std::nullopt;
  return path.substr(root.size() + 1);
}

}  // namespace

bool InsideRoot(const fs::path& root, const fs::path& real) {
  if (PlainSuffix(real.native(), root.native())) return true;
  auto [root_end, unused] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
  return root_end == root.end();
}

std::string RelativeToRoot(const fs::path& path, const fs::path& root) {
  if (std::optional<std::string_view> suffix = PlainSuffix(path.native(), root.native())) {
    return suffix->empty() ? std::string(".") : std::string(*suffix);
  }
  return path.lexically_relative(root).generic_string();
}

void CertificateBytesReadAhead::Keep(std::string real, std::string bytes) {
  if (bytes.size() > kBudgetBytes - kept_bytes_) return;
  kept_bytes_ += bytes.size();
  by_real_.insert_or_assign(std::move(real), std::move(bytes));
}

std::optional<std::string> CertificateBytesReadAhead::Take(const std::string& real) {
  auto it = by_real_.find(real);
  if (it == by_real_.end()) return std::nullopt;
  return std::exchange(it->second, std::nullopt);
}

}  // namespace trust::sema
