// Reading a whole file without trusting it: only a regular file (a FIFO, device or directory
// is refused at once: the file is opened non-blocking and checked with fstat, never waited
// on), and never more than a limit, however large the file is or grows while being read.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <optional>
#include <string>

namespace trust::base {

enum class ReadProblem { kOpen, kStat, kDirectory, kNotRegular, kTooLarge, kRead };

// Why a read failed; callers word it for their users (Describe gives a default).
struct ReadFailure {
  ReadProblem problem = ReadProblem::kRead;
  int error_number = 0;  // errno, for kOpen, kStat and kRead
  size_t limit = 0;      // for kTooLarge
};

// "no such file or directory", "is a directory", "is not a regular file",
// "is larger than the limit of N bytes": a phrase to put after the file's name.
std::string Describe(const ReadFailure& failure);

enum class Links { kFollow, kRefuse };  // kRefuse: a symbolic link fails to open (ELOOP)

std::optional<std::string> ReadRegularFile(const std::string& path, size_t limit,
                                           ReadFailure* failure, Links links = Links::kFollow);
// The same, failing with Describe's phrase.
std::optional<std::string> ReadRegularFile(const std::string& path, size_t limit,
                                           std::string* reason, Links links = Links::kFollow);

// The rest of the file open on `fd` (opened by the caller, e.g. with openat on a directory it
// holds). `st`, when given, receives what fstat saw.
std::optional<std::string> ReadOpenRegularFile(int fd, size_t limit, ReadFailure* failure,
                                               struct stat* st = nullptr);

}  // namespace trust::base
