// Writing a keystore so that a crash at any moment leaves the old or the new file, never a
// torn one (keystores.md, "Writing safely"): resolve symlinks, lock, temp file in the same
// directory, copy mode and owner, fsync, backup, rename, fsync the directory.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>

namespace trust::apply {

inline constexpr size_t kMaxFileBytes = 256u << 20;

// Reads a whole regular file, refusing anything larger than `limit`.
std::optional<std::string> ReadWholeFile(const std::string& path, size_t limit, std::string* error);

struct Target {
  std::string resolved;  // symlinks resolved: the file a rename must replace
  bool exists = false;
  struct stat st {};  // valid when exists
};

// Resolves every symlink of `path`; a missing file resolves through its parent directory.
std::optional<Target> ResolveTarget(const std::string& path, std::string* error);

// An exclusive flock on "<resolved>.lock", held for the object's life.
class FileLock {
 public:
  static std::optional<FileLock> Acquire(const std::string& resolved, std::string* error);
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
};

// Replaces target.resolved with `bytes`. On success returns the backup path ("" when none).
// On failure the old file is untouched.
std::optional<std::string> WriteAtomically(const Target& target, const std::string& bytes,
                                           const WriteOptions& options, std::string* error);

// Deletes the temporary files ("<dir>/.<name>.tmp-XXXXXX") that a killed run left beside
// `resolved`. Only safe under that keystore's FileLock: no other writer is using them then.
void RemoveStaleTemps(const std::string& resolved);

// Test-only hook (docs/runtime.md, "Test hooks"): when the environment variable
// TRUST_APPLY_TEST_PAUSE_AT names `step`, the process stops itself with SIGSTOP there, so
// that a crash test can SIGKILL it at exactly that point. Otherwise it does nothing.
void TestPausePoint(const char* step);

// "20310301T120000Z" for now, in UTC.
std::string BackupStamp();

}  // namespace trust::apply
