#include "compiler/lsp/transport.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <string_view>

namespace trust::lsp {
namespace {

constexpr size_t kMaxHeaderBytes = 8192;

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// The Content-Length of a header block, or -1 when there is none.
long long ContentLength(std::string_view headers) {
  while (!headers.empty()) {
    size_t end = headers.find("\r\n");
    std::string_view line = headers.substr(0, end);
    headers = end == std::string_view::npos ? "" : headers.substr(end + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    if (!EqualsNoCase(line.substr(0, colon), "content-length")) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    long long length = -1;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (ec != std::errc() || length < 0) return -1;
    return length;
  }
  return -1;
}

}  // namespace

bool Reader::FillOnce(int timeout_ms) {
  pollfd pfd{fd_, POLLIN, 0};
  int ready = poll(&pfd, 1, timeout_ms);
  if (ready < 0 && errno == EINTR) return true;
  if (ready <= 0) return false;
  char chunk[65536];
  ssize_t n = ::read(fd_, chunk, sizeof chunk);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) {
    eof_ = true;
    return true;
  }
  size_t got = static_cast<size_t>(n);
  size_t dropped = std::min(skip_, got);
  skip_ -= dropped;
  buffer_.append(chunk + dropped, got - dropped);
  return true;
}

Reader::Status Reader::TakeFrame(std::string* body) {
  if (skip_ > 0) return Status::kTimeout;
  size_t end = buffer_.find("\r\n\r\n");
  if (end == std::string::npos) {
    if (buffer_.size() <= kMaxHeaderBytes) return Status::kTimeout;
    buffer_.clear();  // no header in sight: resynchronise on the next one
    return Status::kBadFrame;
  }
  long long length = ContentLength(std::string_view(buffer_).substr(0, end));
  if (length < 0) {
    buffer_.erase(0, end + 4);
    return Status::kBadFrame;
  }
  size_t size = static_cast<size_t>(length);
  if (size > kMaxMessageBytes) {
    size_t have = buffer_.size() - (end + 4);
    skip_ = size > have ? size - have : 0;
    buffer_.erase(0, std::min(buffer_.size(), end + 4 + size));
    return Status::kBadFrame;
  }
  if (buffer_.size() < end + 4 + size) return Status::kTimeout;
  *body = buffer_.substr(end + 4, size);
  buffer_.erase(0, end + 4 + size);
  return Status::kMessage;
}

Reader::Status Reader::Read(int timeout_ms, std::string* body) {
  using Clock = std::chrono::steady_clock;
  Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    Status status = TakeFrame(body);
    if (status != Status::kTimeout) return status;
    if (eof_) return Status::kEof;
    int wait = -1;
    if (timeout_ms >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      wait = static_cast<int>(std::max<long long>(0, left.count()));
    }
    if (!FillOnce(wait)) return Status::kTimeout;
  }
}

bool WriteMessage(int fd, const std::string& body) {
  std::string frame = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  size_t written = 0;
  while (written < frame.size()) {
    ssize_t n = ::write(fd, frame.data() + written, frame.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace trust::lsp
