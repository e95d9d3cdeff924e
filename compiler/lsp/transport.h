// JSON-RPC framing of the Language Server Protocol: `Content-Length: N\r\n\r\n` then N bytes
// of JSON. The reader polls its descriptor with a timeout so that the server's single thread
// can debounce diagnostics without a second thread.
#pragma once

#include <cstddef>
#include <string>

namespace trust::lsp {

// A message larger than this is read and dropped: a client cannot make the server hold an
// unbounded buffer (the compiler's own limit on a source file is 4 MiB).
inline constexpr size_t kMaxMessageBytes = 64 * 1024 * 1024;

class Reader {
 public:
  explicit Reader(int fd) : fd_(fd) {}
  enum class Status { kMessage, kTimeout, kEof, kBadFrame };
  // Waits at most `timeout_ms` (negative: forever) for a whole message.
  Status Read(int timeout_ms, std::string* body);

 private:
  bool FillOnce(int timeout_ms);  // false on timeout; sets eof_ at end of input
  Status TakeFrame(std::string* body);

  int fd_;
  std::string buffer_;
  bool eof_ = false;
  size_t skip_ = 0;  // bytes of an oversized body still to drop
};

// Writes one framed message; false if the peer is gone.
bool WriteMessage(int fd, const std::string& body);

}  // namespace trust::lsp
