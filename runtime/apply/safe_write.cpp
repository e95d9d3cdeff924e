#include "runtime/apply/safe_write.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>

namespace trust::apply {
namespace {

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
}

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Closes on scope exit.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) {
      close(fd);
    }
  }
};

bool WriteAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

bool FsyncDir(const std::string& dir) {
  Fd d{open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  return d.fd >= 0 && fsync(d.fd) == 0;
}

// Mode and owner of the old file (a truststore is 0644, a store with keys 0600/0640: keep
// what is there); a new file gets 0644.
bool CopyAttributes(int fd, const Target& target, std::string* error) {
  mode_t mode = target.exists ? (target.st.st_mode & 07777) : 0644;
  if (fchmod(fd, mode) != 0) {
    *error = Errno("cannot set the mode of the new keystore");
    return false;
  }
  if (target.exists && (target.st.st_uid != geteuid() || target.st.st_gid != getegid()) &&
      fchown(fd, target.st.st_uid, target.st.st_gid) != 0) {
    *error = Errno("cannot give the new keystore the old file's owner");
    return false;
  }
  return true;
}

bool CopyFile(const std::string& from, const std::string& to, mode_t mode) {
  std::string error;
  std::optional<std::string> bytes = ReadWholeFile(from, kMaxFileBytes, &error);
  Fd out{open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 07777)};
  return bytes && out.fd >= 0 && WriteAll(out.fd, *bytes) && fsync(out.fd) == 0;
}

// A hard link costs nothing and, after the rename, is the only name of the old inode; when
// linking is impossible (another file system), a copy with the same mode.
std::optional<std::string> Backup(const Target& target, const WriteOptions& options,
                                  std::string* error) {
  std::string dir = options.backup_dir.empty() ? DirName(target.resolved) : options.backup_dir;
  std::string base = dir + "/" + BaseName(target.resolved) + ".bak-" + BackupStamp();
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string path = attempt == 0 ? base : base + "-" + std::to_string(attempt + 1);
    if (link(target.resolved.c_str(), path.c_str()) == 0 ||
        (errno != EEXIST && CopyFile(target.resolved, path, target.st.st_mode))) {
      FsyncDir(dir);
      return path;
    }
    if (errno != EEXIST) {
      *error = Errno("cannot write the backup " + path);
      return std::nullopt;
    }
  }
  *error = "cannot find a free backup name for " + base;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> ReadWholeFile(const std::string& path, size_t limit,
                                         std::string* error) {
  Fd f{open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  struct stat st {};
  if (f.fd < 0 || fstat(f.fd, &st) != 0) {
    *error = Errno("cannot read " + path);
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode) || static_cast<size_t>(st.st_size) > limit) {
    *error = path + (S_ISREG(st.st_mode) ? ": file is too large" : ": not a regular file");
    return std::nullopt;
  }
  std::string out(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = read(f.fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return out;
}

namespace {

// A missing file: the name in its parent directory, the directory fully resolved.
std::optional<Target> ResolveMissing(const std::string& path, std::string* error) {
  char dir[PATH_MAX];
  if (realpath(DirName(path).c_str(), dir) == nullptr) {
    *error = Errno("cannot resolve the directory of " + path);
    return std::nullopt;
  }
  Target target;
  target.resolved = std::string(dir) + (std::string(dir) == "/" ? "" : "/") + BaseName(path);
  return target;
}

}  // namespace

// Follows links one hop at a time so that a link to a file not created yet (create: true)
// resolves to where the file will be, and the link itself is kept.
std::optional<Target> ResolveTarget(const std::string& path, std::string* error) {
  std::string current = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat lst {};
    if (lstat(current.c_str(), &lst) != 0) {
      if (errno != ENOENT) {
        *error = Errno("cannot inspect " + current);
        return std::nullopt;
      }
      return ResolveMissing(current, error);
    }
    if (!S_ISLNK(lst.st_mode)) {
      char resolved[PATH_MAX];
      Target target;
      if (realpath(current.c_str(), resolved) == nullptr || stat(resolved, &target.st) != 0) {
        *error = Errno("cannot resolve " + current);
        return std::nullopt;
      }
      target.resolved = resolved;
      target.exists = true;
      return target;
    }
    char link[PATH_MAX];
    ssize_t n = readlink(current.c_str(), link, sizeof(link) - 1);
    if (n < 0) {
      *error = Errno("cannot read the symbolic link " + current);
      return std::nullopt;
    }
    std::string next(link, static_cast<size_t>(n));
    current = next.starts_with('/') ? next : DirName(current) + "/" + next;
  }
  *error = path + ": too many levels of symbolic links";
  return std::nullopt;
}

std::optional<FileLock> FileLock::Acquire(const std::string& resolved, std::string* error) {
  std::string path = resolved + ".lock";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    *error = Errno("cannot open the lock file " + path);
    return std::nullopt;
  }
  while (flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) {
      *error = Errno("cannot lock " + path);
      close(fd);
      return std::nullopt;
    }
  }
  return FileLock(fd);
}

FileLock::~FileLock() {
  if (fd_ >= 0) {
    close(fd_);  // releases the flock; the lock file stays (deleting it would race)
  }
}

void RemoveStaleTemps(const std::string& resolved) {
  std::string dir = DirName(resolved);
  std::string prefix = "." + BaseName(resolved) + ".tmp-";
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) {
    return;
  }
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    // mkstemp's XXXXXX: exactly six characters after the prefix.
    if (name.size() == prefix.size() + 6 && name.starts_with(prefix)) {
      unlinkat(dirfd(d), name.c_str(), 0);
    }
  }
  closedir(d);
}

void TestPausePoint(const char* step) {
  const char* wanted = getenv("TRUST_APPLY_TEST_PAUSE_AT");
  if (wanted != nullptr && std::strcmp(wanted, step) == 0) {
    raise(SIGSTOP);
  }
}

std::string BackupStamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y%m%dT%H%M%SZ", &tm);
  return buffer;
}

std::optional<std::string> WriteAtomically(const Target& target, const std::string& bytes,
                                           const WriteOptions& options, std::string* error) {
  std::string dir = DirName(target.resolved);
  std::string temp = dir + "/." + BaseName(target.resolved) + ".tmp-XXXXXX";
  Fd f{mkstemp(temp.data())};
  if (f.fd < 0) {
    *error = Errno("cannot create a temporary file in " + dir);
    return std::nullopt;
  }
  TestPausePoint("temp-created");
  std::string backup;
  bool ok = CopyAttributes(f.fd, target, error);
  if (ok && !WriteAll(f.fd, bytes)) {
    *error = Errno("cannot write " + temp);
    ok = false;
  }
  TestPausePoint("temp-written");
  if (ok && fsync(f.fd) != 0) {
    *error = Errno("cannot write " + temp);
    ok = false;
  }
  TestPausePoint("temp-synced");
  if (ok && target.exists && options.backup) {
    std::optional<std::string> made = Backup(target, options, error);
    ok = made.has_value();
    backup = made.value_or("");
  }
  TestPausePoint("backed-up");
  if (ok && rename(temp.c_str(), target.resolved.c_str()) != 0) {
    *error = Errno("cannot rename " + temp + " over " + target.resolved);
    ok = false;
  }
  if (!ok) {
    unlink(temp.c_str());
    return std::nullopt;
  }
  TestPausePoint("renamed");
  FsyncDir(dir);
  TestPausePoint("dir-synced");
  return backup;
}

}  // namespace trust::apply
