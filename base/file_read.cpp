#include "base/file_read.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "base/ascii.h"

namespace trust::base {

namespace {

std::optional<std::string> Fail(ReadFailure* failure, ReadProblem problem, int error_number = 0,
                                size_t limit = 0) {
  *failure = ReadFailure{problem, error_number, limit};
  return std::nullopt;
}

}  // namespace

std::string Describe(const ReadFailure& failure) {
  switch (failure.problem) {
    case ReadProblem::kDirectory:
      return "is a directory";
    case ReadProblem::kNotRegular:
      return "is not a regular file";
    case ReadProblem::kTooLarge:
      return "is larger than the limit of " + std::to_string(failure.limit) + " bytes";
    case ReadProblem::kOpen:
    case ReadProblem::kStat:
    case ReadProblem::kRead:
      break;
  }
  // Lower case: the phrase follows a file name ("x.pem: no such file or directory").
  return AsciiLower(std::error_code(failure.error_number, std::generic_category()).message());
}

std::optional<std::string> ReadOpenRegularFile(int fd, size_t limit, ReadFailure* failure,
                                               struct stat* st) {
  struct stat seen {};
  if (::fstat(fd, &seen) != 0) return Fail(failure, ReadProblem::kStat, errno);
  if (st != nullptr) *st = seen;
  if (S_ISDIR(seen.st_mode)) return Fail(failure, ReadProblem::kDirectory);
  if (!S_ISREG(seen.st_mode)) return Fail(failure, ReadProblem::kNotRegular);
  if (static_cast<size_t>(seen.st_size) > limit) {
    return Fail(failure, ReadProblem::kTooLarge, 0, limit);
  }
  // Read to the end rather than st_size bytes: the file may grow meanwhile, and the limit
  // must hold for what is read, not for what fstat said.
  std::string text;
  text.reserve(static_cast<size_t>(seen.st_size));
  char buffer[65536];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Fail(failure, ReadProblem::kRead, errno);
    if (n == 0) return text;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > limit) return Fail(failure, ReadProblem::kTooLarge, 0, limit);
  }
}

std::optional<std::string> ReadRegularFile(const std::string& path, size_t limit,
                                           ReadFailure* failure, Links links) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer (forever); fstat then refuses it.
  int flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
  if (links == Links::kRefuse) flags |= O_NOFOLLOW;
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) return Fail(failure, ReadProblem::kOpen, errno);
  std::optional<std::string> text = ReadOpenRegularFile(fd, limit, failure);
  ::close(fd);
  return text;
}

std::optional<std::string> ReadRegularFile(const std::string& path, size_t limit,
                                           std::string* reason, Links links) {
  ReadFailure failure;
  std::optional<std::string> text = ReadRegularFile(path, limit, &failure, links);
  if (!text) *reason = Describe(failure);
  return text;
}

}  // namespace trust::base
