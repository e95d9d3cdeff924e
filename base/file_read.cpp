#include "base/file_read.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
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
  // Room for a byte more than fstat saw: a regular file gives less than asked for only at its
  // end, so a file that did not change is read, and known to have ended, in one call (a build
  // reads thousands of small files). One that changed meanwhile, or that says nothing of its
  // size (/proc), is read on until read(2) says it ended, and the limit holds for what is read,
  // not for what fstat said.
  auto announced = static_cast<size_t>(seen.st_size);
  std::string text(announced + 1, '\0');
  size_t have = 0;
  while (true) {
    if (have == text.size())
      text.resize(std::min(std::max(2 * text.size(), size_t{4096}), limit + 1));
    ssize_t n = ::read(fd, text.data() + have, text.size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Fail(failure, ReadProblem::kRead, errno);
    if (n == 0) break;
    have += static_cast<size_t>(n);
    if (have > limit) return Fail(failure, ReadProblem::kTooLarge, 0, limit);
    if (have == announced && have < text.size()) break;  // fewer than asked for: the end
  }
  text.resize(have);
  return text;
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
