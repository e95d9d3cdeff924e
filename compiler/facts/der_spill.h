// Certificate DER kept in a file rather than in memory. A build checks its certificates by their
// facts and reads most of their DER only when it writes bundles; at 100,000 certificates holding
// it all was 70 MB of the peak. The file is made unnamed (O_TMPFILE) in the facts cache's
// directory (ours, 0700): no other process can open it by name, nothing is left behind, and
// the file system, not this process's memory, holds the bytes until they are read back. It
// goes when the last certificate referring to it does; it is never synced (an unlinked file's
// dirty pages are dropped, not written, when it goes).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/x509/certificate.h"

namespace trust::facts {

class DerSpill : public x509::DerStore {
 public:
  // A spill in the directory `dir_fd`; nullptr when its file system cannot make an unnamed file
  // (then the caller keeps the DER in memory).
  static std::shared_ptr<DerSpill> Open(int dir_fd);
  explicit DerSpill(int fd) : fd_(fd) {}
  ~DerSpill() override;
  DerSpill(const DerSpill&) = delete;
  DerSpill& operator=(const DerSpill&) = delete;

  // Stores `der`; where, or nullopt when it could not be written (a full disk: the caller
  // keeps it in memory).
  std::optional<uint64_t> Append(std::string_view der);
  // Throws x509::DerUnavailable when the bytes cannot be read back whole.
  std::vector<uint8_t> Read(uint64_t offset, uint32_t size) const override;

 private:
  // Appends are gathered here and written a buffer at a time: one write per certificate was
  // 100,000 system calls in a large build.
  static constexpr size_t kBufferBytes = size_t{1} << 20;
  bool WriteBuffer();

  int fd_;
  mutable std::mutex mutex_;  // guards what follows: a store may be read from any thread
  uint64_t written_ = 0;      // bytes in the file; the buffer continues from there
  std::string buffer_;
};

}  // namespace trust::facts
