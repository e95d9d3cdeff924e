// Writing a keystore so that a crash at any moment leaves the old or the new file, never a
// torn one, and so that nothing but the store and its own files can be written, even as root
// in a directory another user can change (docs/runtime.md, "How apply works"): the path is
// resolved once, the directory opened once, and every later file operation (lock, read,
// temporary file, backup, rename, clean-up) is relative to that directory descriptor and
// never follows a link it did not resolve itself.
#pragma once

#include <sys/stat.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace trust::apply {

inline constexpr size_t kMaxFileBytes = 256u << 20;

// Reads a whole regular file, refusing anything larger than `limit`. A FIFO, device or
// directory is refused at once (opened non-blocking, checked with fstat), never waited on.
std::optional<std::string> ReadWholeFile(const std::string& path, size_t limit, std::string* error);

// An open directory, closed with the last copy.
class DirFd {
 public:
  explicit DirFd(int fd) : fd_(fd) {}
  DirFd(const DirFd&) = delete;
  DirFd& operator=(const DirFd&) = delete;
  ~DirFd();
  int get() const { return fd_; }

 private:
  int fd_;
};

struct Target {
  std::string resolved;  // symlinks resolved: the file a rename must replace
  std::string dir;       // its directory (resolved)
  std::string name;      // its name in that directory
  // Directories that held a symbolic link on the way from the manifest's path to `resolved`:
  // whoever can write one of them decides where the store is.
  std::vector<std::string> link_dirs;
  bool exists = false;
  struct stat st {};  // valid when exists: from the descriptor, once opened under the lock
  std::shared_ptr<const DirFd> dir_fd;  // set by OpenDir
};

// Resolves every symlink of `path`; a missing file resolves through its parent directory.
std::optional<Target> ResolveTarget(const std::string& path, std::string* error);

// Opens target->dir (O_DIRECTORY, not following a link) for the operations below.
bool OpenDir(Target* target, std::string* error);

// What the name in the directory is now, without following it: a regular file (st filled),
// nothing, or an error for anything else (a planted symlink, a FIFO, a directory).
bool StatInDir(Target* target, std::string* error);

// The store's bytes, read through openat(O_NOFOLLOW | O_NONBLOCK): only a regular file with
// the device and inode that `target` recorded.
std::optional<std::string> ReadTarget(const Target& target, size_t limit, std::string* error);

// An exclusive flock on "<name>.lock" in the target's directory, held for the object's life.
// The lock must be a regular file owned by this user: a planted link or someone else's file
// is refused, not followed or locked.
class FileLock {
 public:
  static std::optional<FileLock> Acquire(const Target& target, std::string* error);
  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

struct WriteOptions {
  bool backup = true;
  std::string backup_dir;  // empty: beside the file
  int keep_backups = 0;    // after a backup, keep only the newest N of this store; 0: all
};

struct Written {
  std::string backup;  // "" when none
  struct stat st {};   // the new file
};

// Replaces the target's file with `bytes`. Refuses when the name no longer holds the inode
// that was read (or, for a new store, when something appeared there). On failure the old file
// is untouched.
std::optional<Written> WriteAtomically(const Target& target, const std::string& bytes,
                                       const WriteOptions& options, std::string* error);

// `target` as it is after a successful write: the same name, now holding `written`.
Target AfterWrite(const Target& target, const Written& written);

// Removes a store that apply itself created (a failed verification), if it is still ours.
void RemoveCreated(const Target& target, const struct stat& created);

// Deletes the temporary files (".<name>.tmp-XXXXXX") that a killed run left beside the store.
// Only safe under that keystore's FileLock: no other writer is using them then.
void RemoveStaleTemps(const Target& target);

// Test-only hook (docs/runtime.md, "Test hooks"): when the environment variable
// TRUST_APPLY_TEST_PAUSE_AT names `step`, the process stops itself with SIGSTOP there, so
// that a crash test can SIGKILL it at exactly that point. Otherwise it does nothing.
void TestPausePoint(const char* step);

// "20310301T120000Z" for now, in UTC.
std::string BackupStamp();

}  // namespace trust::apply
