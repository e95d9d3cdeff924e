#include "runtime/apply/safe_write.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/rand.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "base/file_read.h"
#include "base/file_write.h"

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

bool SameInode(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// The rest of a regular file open on `fd`, refusing anything else and anything over `limit`,
// in trust-apply's words ("PATH: not a regular file").
std::optional<std::string> ReadOpenFile(int fd, const std::string& what, size_t limit,
                                        struct stat* st, std::string* error) {
  base::ReadFailure failure;
  std::optional<std::string> bytes = base::ReadOpenRegularFile(fd, limit, &failure, st);
  if (!bytes) {
    switch (failure.problem) {
      case base::ReadProblem::kDirectory:
      case base::ReadProblem::kNotRegular:
        *error = what + ": not a regular file";
        break;
      case base::ReadProblem::kTooLarge:
        *error = what + ": file is too large";
        break;
      case base::ReadProblem::kOpen:
      case base::ReadProblem::kStat:
      case base::ReadProblem::kRead:
        *error = "cannot read " + what + ": " + std::strerror(failure.error_number);
        break;
    }
  }
  return bytes;
}

// Mode and owner of the old file, as its descriptor showed them (a truststore is 0644, a store
// with keys 0600/0640: keep what is there); a new file gets 0644. Owner first: fchown may
// clear set-id bits that fchmod then sets.
bool CopyAttributes(int fd, const struct stat* old, std::string* error) {
  if (old != nullptr && (old->st_uid != geteuid() || old->st_gid != getegid()) &&
      fchown(fd, old->st_uid, old->st_gid) != 0) {
    *error = Errno("cannot give the new file the old file's owner");
    return false;
  }
  if (fchmod(fd, old != nullptr ? (old->st_mode & 07777) : 0644) != 0) {
    *error = Errno("cannot set the mode of the new file");
    return false;
  }
  return true;
}

// A new file `name` in `dir_fd`: never an existing one, never through a link.
int CreateExclusive(int dir_fd, const std::string& name) {
  return openat(dir_fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
}

// ".<name>.tmp-XXXXXX" with six random letters or digits.
int CreateTemp(int dir_fd, const std::string& name, std::string* temp) {
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (int attempt = 0; attempt < 100; ++attempt) {
    unsigned char random[6];
    if (RAND_bytes(random, sizeof(random)) != 1) {
      errno = EIO;
      return -1;
    }
    *temp = "." + name + ".tmp-";
    for (unsigned char r : random) {
      temp->push_back(kChars[r % (sizeof(kChars) - 1)]);
    }
    int fd = CreateExclusive(dir_fd, *temp);
    if (fd >= 0 || errno != EEXIST) {
      return fd;
    }
  }
  errno = EEXIST;
  return -1;
}

// The name still holds what was read (or, for a new store, still nothing): a swap for a link
// or another file after planning is refused instead of written over.
bool StillPlanned(const Target& target, std::string* error) {
  struct stat now {};
  bool present = fstatat(target.dir_fd->get(), target.name.c_str(), &now, AT_SYMLINK_NOFOLLOW) == 0;
  if (!present && errno != ENOENT) {
    *error = Errno("cannot inspect " + target.resolved);
    return false;
  }
  if (present != target.exists || (present && !SameInode(now, target.st))) {
    *error = target.resolved + " was replaced while apply was running; nothing was written";
    return false;
  }
  return true;
}

bool CopyToBackup(const Target& target, int backup_dir, const std::string& backup,
                  std::string* error) {
  std::optional<std::string> bytes = ReadTarget(target, kMaxFileBytes, error);
  if (!bytes) {
    return false;
  }
  Fd out{CreateExclusive(backup_dir, backup)};
  if (out.fd < 0) {
    return false;  // errno tells the caller whether the name was taken
  }
  bool ok = CopyAttributes(out.fd, &target.st, error) && base::WriteAll(out.fd, *bytes) &&
            fsync(out.fd) == 0;
  if (!ok) {
    int saved = errno;
    unlinkat(backup_dir, backup.c_str(), 0);  // a partial backup is worse than none
    errno = saved;
    if (error->empty()) {
      *error = Errno("cannot write the backup " + backup);
    }
    errno = EIO;
  }
  return ok;
}

// "NAME.bak-YYYYMMDDTHHMMSSZ" or with "-N" after it: a backup of `name` that apply made.
bool IsBackupOf(const std::string& file, const std::string& name) {
  std::string prefix = name + ".bak-";
  if (!file.starts_with(prefix) || file.size() < prefix.size() + 16) {
    return false;
  }
  std::string_view stamp = std::string_view(file).substr(prefix.size(), 16);
  std::string_view rest = std::string_view(file).substr(prefix.size() + 16);
  auto digits = [](std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  return digits(stamp.substr(0, 8)) && stamp[8] == 'T' && digits(stamp.substr(9, 6)) &&
         stamp[15] == 'Z' && (rest.empty() || (rest[0] == '-' && digits(rest.substr(1))));
}

// Deletes all but the newest `keep` backups of the store in `backup_dir` (stamps sort by
// time; a "-N" suffix after its second).
void PruneBackups(const Target& target, int backup_dir, int keep) {
  // A descriptor of its own: a dup would share the read position with `backup_dir`.
  int fd = openat(backup_dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* d = fd >= 0 ? fdopendir(fd) : nullptr;
  if (d == nullptr) {
    if (fd >= 0) {
      close(fd);
    }
    return;
  }
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) {
    struct stat st {};
    if (IsBackupOf(e->d_name, target.name) &&
        fstatat(backup_dir, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
      names.push_back(e->d_name);
    }
  }
  closedir(d);
  auto order = [&target](const std::string& name) {
    std::string rest = name.substr(target.name.size() + 5);
    size_t dash = rest.find('-');
    return std::make_pair(rest.substr(0, 16),
                          dash == std::string::npos ? 1 : std::stoi(rest.substr(dash + 1)));
  };
  std::sort(names.begin(), names.end(),
            [&](const std::string& a, const std::string& b) { return order(a) < order(b); });
  for (size_t i = 0; i + static_cast<size_t>(keep) < names.size(); ++i) {
    unlinkat(backup_dir, names[i].c_str(), 0);
  }
}

// A copy with the old file's owner, group and mode. Not a hard link: a run killed before its
// rename would leave the store with two links, which the next run must refuse (a write would
// split them), and the backup would not be a file of its own.
std::optional<std::string> Backup(const Target& target, const WriteOptions& options,
                                  std::string* error) {
  Fd elsewhere;
  int backup_dir = target.dir_fd->get();
  if (!options.backup_dir.empty()) {
    elsewhere.fd = open(options.backup_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (elsewhere.fd < 0) {
      *error = Errno("cannot open the backup directory " + options.backup_dir);
      return std::nullopt;
    }
    backup_dir = elsewhere.fd;
  }
  std::string dir = options.backup_dir.empty() ? target.dir : options.backup_dir;
  std::string base = target.name + ".bak-" + BackupStamp();
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string name = attempt == 0 ? base : base + "-" + std::to_string(attempt + 1);
    error->clear();
    if (CopyToBackup(target, backup_dir, name, error)) {
      if (options.keep_backups > 0) {
        PruneBackups(target, backup_dir, options.keep_backups);
      }
      base::SyncDirectory(backup_dir);
      return dir + "/" + name;
    }
    if (errno != EEXIST) {
      if (error->empty()) {
        *error = Errno("cannot write the backup " + dir + "/" + name);
      }
      return std::nullopt;
    }
  }
  *error = "cannot find a free backup name for " + dir + "/" + base;
  return std::nullopt;
}

}  // namespace

DirFd::~DirFd() {
  if (fd_ >= 0) {
    close(fd_);
  }
}

std::optional<std::string> ReadWholeFile(const std::string& path, size_t limit,
                                         std::string* error) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
  Fd f{open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)};
  if (f.fd < 0) {
    *error = Errno("cannot read " + path);
    return std::nullopt;
  }
  return ReadOpenFile(f.fd, path, limit, nullptr, error);
}

namespace {

// A missing file: the name in its parent directory, the directory fully resolved.
std::optional<Target> ResolveMissing(const std::string& path, Target target, std::string* error) {
  char dir[PATH_MAX];
  if (realpath(DirName(path).c_str(), dir) == nullptr) {
    *error = Errno("cannot resolve the directory of " + path);
    return std::nullopt;
  }
  target.dir = dir;
  target.name = BaseName(path);
  target.resolved = target.dir + (target.dir == "/" ? "" : "/") + target.name;
  return target;
}

}  // namespace

// Follows links one hop at a time so that a link to a file not created yet (create: true)
// resolves to where the file will be, and the link itself is kept.
std::optional<Target> ResolveTarget(const std::string& path, std::string* error) {
  Target target;
  std::string current = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat lst {};
    if (lstat(current.c_str(), &lst) != 0) {
      if (errno != ENOENT) {
        *error = Errno("cannot inspect " + current);
        return std::nullopt;
      }
      return ResolveMissing(current, std::move(target), error);
    }
    if (!S_ISLNK(lst.st_mode)) {
      char resolved[PATH_MAX];
      if (realpath(current.c_str(), resolved) == nullptr || stat(resolved, &target.st) != 0) {
        *error = Errno("cannot resolve " + current);
        return std::nullopt;
      }
      target.resolved = resolved;
      target.dir = DirName(target.resolved);
      target.name = BaseName(target.resolved);
      target.exists = true;
      return target;
    }
    char link[PATH_MAX];
    ssize_t n = readlink(current.c_str(), link, sizeof(link) - 1);
    if (n < 0) {
      *error = Errno("cannot read the symbolic link " + current);
      return std::nullopt;
    }
    target.link_dirs.push_back(DirName(current));
    std::string next(link, static_cast<size_t>(n));
    current = next.starts_with('/') ? next : DirName(current) + "/" + next;
  }
  *error = path + ": too many levels of symbolic links";
  return std::nullopt;
}

bool OpenDir(Target* target, std::string* error) {
  int fd = open(target->dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    *error = Errno("cannot open the directory " + target->dir);
    return false;
  }
  target->dir_fd = std::make_shared<const DirFd>(fd);
  return true;
}

bool StatInDir(Target* target, std::string* error) {
  struct stat st {};
  if (fstatat(target->dir_fd->get(), target->name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno != ENOENT) {
      *error = Errno("cannot inspect " + target->resolved);
      return false;
    }
    target->exists = false;
    return true;
  }
  if (!S_ISREG(st.st_mode)) {
    *error = target->resolved + (S_ISLNK(st.st_mode) ? ": became a symbolic link after it was "
                                                       "resolved; refusing to follow it"
                                                     : ": not a regular file");
    return false;
  }
  target->exists = true;
  target->st = st;
  return true;
}

std::optional<std::string> ReadTarget(const Target& target, size_t limit, std::string* error) {
  Fd f{openat(target.dir_fd->get(), target.name.c_str(),
              O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)};
  if (f.fd < 0) {
    *error = errno == ELOOP ? target.resolved + ": is a symbolic link; refusing to follow it"
                            : Errno("cannot read " + target.resolved);
    return std::nullopt;
  }
  struct stat st {};
  std::optional<std::string> bytes = ReadOpenFile(f.fd, target.resolved, limit, &st, error);
  if (bytes && !SameInode(st, target.st)) {
    *error = target.resolved + " was replaced while apply was running";
    return std::nullopt;
  }
  return bytes;
}

std::optional<FileLock> FileLock::Acquire(const Target& target, std::string* error) {
  std::string path = target.resolved + ".lock";
  int fd = openat(target.dir_fd->get(), (target.name + ".lock").c_str(),
                  O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600);
  if (fd < 0) {
    *error = errno == ELOOP ? "the lock file " + path + " is a symbolic link; refusing it"
                            : Errno("cannot open the lock file " + path);
    return std::nullopt;
  }
  FileLock lock(fd);
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
    *error = "the lock file " + path + " is not a regular file owned by uid " +
             std::to_string(geteuid()) + "; refusing it";
    return std::nullopt;
  }
  while (flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) {
      *error = Errno("cannot lock " + path);
      return std::nullopt;
    }
  }
  return lock;
}

FileLock::~FileLock() {
  if (fd_ >= 0) {
    close(fd_);  // releases the flock; the lock file stays (deleting it would race)
  }
}

void RemoveStaleTemps(const Target& target) {
  std::string prefix = "." + target.name + ".tmp-";
  int fd = openat(target.dir_fd->get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* d = fd >= 0 ? fdopendir(fd) : nullptr;
  if (d == nullptr) {
    if (fd >= 0) {
      close(fd);
    }
    return;
  }
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    // The six random characters after the prefix.
    if (name.size() == prefix.size() + 6 && name.starts_with(prefix)) {
      unlinkat(target.dir_fd->get(), name.c_str(), 0);
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

namespace {

// Puts the temporary file in place: over the planned inode, or (a new store) only where
// nothing is.
bool RenameInPlace(const Target& target, const std::string& temp, std::string* error) {
  int dir = target.dir_fd->get();
  int rc = target.exists ? renameat(dir, temp.c_str(), dir, target.name.c_str())
                         : renameat2(dir, temp.c_str(), dir, target.name.c_str(), RENAME_NOREPLACE);
  if (rc != 0) {
    *error = errno == EEXIST ? target.resolved +
                                   " appeared while apply was running; nothing "
                                   "was written"
                             : Errno("cannot rename " + temp + " over " + target.resolved);
    return false;
  }
  return true;
}

}  // namespace

std::optional<Written> WriteAtomically(const Target& target, const std::string& bytes,
                                       const WriteOptions& options, std::string* error) {
  int dir = target.dir_fd->get();
  std::string temp;
  Fd f{CreateTemp(dir, target.name, &temp)};
  if (f.fd < 0) {
    *error = Errno("cannot create a temporary file in " + target.dir);
    return std::nullopt;
  }
  TestPausePoint("temp-created");
  Written written;
  bool ok = CopyAttributes(f.fd, target.exists ? &target.st : nullptr, error);
  if (ok && !base::WriteAll(f.fd, bytes)) {
    *error = Errno("cannot write " + target.dir + "/" + temp);
    ok = false;
  }
  TestPausePoint("temp-written");
  if (ok && (fsync(f.fd) != 0 || fstat(f.fd, &written.st) != 0)) {
    *error = Errno("cannot write " + target.dir + "/" + temp);
    ok = false;
  }
  TestPausePoint("temp-synced");
  ok = ok && StillPlanned(target, error);
  if (ok && target.exists && options.backup) {
    std::optional<std::string> made = Backup(target, options, error);
    ok = made.has_value();
    written.backup = made.value_or("");
  }
  TestPausePoint("backed-up");
  ok = ok && StillPlanned(target, error) && RenameInPlace(target, temp, error);
  if (!ok) {
    unlinkat(dir, temp.c_str(), 0);
    return std::nullopt;
  }
  TestPausePoint("renamed");
  base::SyncDirectory(dir);
  TestPausePoint("dir-synced");
  return written;
}

Target AfterWrite(const Target& target, const Written& written) {
  Target after = target;
  after.exists = true;
  after.st = written.st;
  return after;
}

void RemoveCreated(const Target& target, const struct stat& created) {
  struct stat now {};
  if (fstatat(target.dir_fd->get(), target.name.c_str(), &now, AT_SYMLINK_NOFOLLOW) == 0 &&
      SameInode(now, created)) {
    unlinkat(target.dir_fd->get(), target.name.c_str(), 0);
  }
}

}  // namespace trust::apply
