#include "base/file_write.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace trust::base {

namespace {

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
}

// "DIR/.NAME.XXXXXX": beside the file, so that the rename stays on one file system.
std::string TempPattern(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return dir + "." + name + ".XXXXXX";
}

bool Fail(const std::string& path, const char* what, std::string* error) {
  *error = path + ": " + what + ": " + std::strerror(errno);
  return false;
}

}  // namespace

bool WriteAll(int fd, std::string_view bytes, WriteFunction write) {
  if (write == nullptr) write = ::write;
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) {  // no progress and no error: give up rather than spin
      errno = EIO;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

bool SyncDirectory(int dir_fd) { return ::fsync(dir_fd) == 0; }

bool SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool synced = SyncDirectory(fd);
  ::close(fd);
  return synced;
}

bool WriteFileAtomically(const std::string& path, std::string_view bytes, std::string* error,
                         mode_t new_mode) {
  std::string temp = TempPattern(path);
  int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return Fail(path, "cannot create a temporary file", error);
  struct stat old {};
  mode_t mode = ::stat(path.c_str(), &old) == 0 ? (old.st_mode & 07777) : new_mode;
  bool ok = ::fchmod(fd, mode) == 0 && WriteAll(fd, bytes) && ::fsync(fd) == 0;
  int saved = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok) errno = saved;
  if (!ok || std::rename(temp.c_str(), path.c_str()) != 0) {
    Fail(path, "cannot write", error);
    std::remove(temp.c_str());
    return false;
  }
  SyncDirectory(DirectoryOf(path));  // best effort: the file itself is already whole
  return true;
}

}  // namespace trust::base
