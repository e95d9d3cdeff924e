// Writing files so that a crash leaves the old or the new content, never half of one: every
// byte written (a short write is continued, not mistaken for success or failure), the file
// synced, then renamed into place, then its directory synced so that the rename lasts.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace trust::base {

// write(2), or a stand-in that tests use to return short writes and errors.
using WriteFunction = ssize_t (*)(int fd, const void* data, size_t size);

// Writes all of `bytes` to `fd`, continuing after short writes and EINTR. False (errno set) on
// an error, or when write makes no progress.
bool WriteAll(int fd, std::string_view bytes, WriteFunction write = nullptr);

// fsync of a directory, so that a rename or link in it survives a crash.
bool SyncDirectory(int dir_fd);
bool SyncDirectory(const std::string& dir);

// Replaces `path` with `bytes` through a temporary file beside it (created 0600, then given
// the old file's mode, or `new_mode` for a new file): a reader sees the old or the new file.
// On failure `path` is untouched, the temporary file is gone, and *error says
// "PATH: cannot ...".
bool WriteFileAtomically(const std::string& path, std::string_view bytes, std::string* error,
                         mode_t new_mode = 0644);

}  // namespace trust::base
