#include "compiler/facts/der_spill.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace trust::facts {

std::shared_ptr<DerSpill> DerSpill::Open(int dir_fd) {
  // O_EXCL: the file can never be given a name (linkat) later.
  int fd = ::openat(dir_fd, ".", O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return nullptr;
  return std::make_shared<DerSpill>(fd);
}

DerSpill::~DerSpill() { ::close(fd_); }

bool DerSpill::WriteBuffer() {
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::pwrite(fd_, buffer_.data() + done, buffer_.size() - done,
                         static_cast<off_t>(written_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  written_ += buffer_.size();
  buffer_.clear();
  return true;
}

std::optional<uint64_t> DerSpill::Append(std::string_view der) {
  std::lock_guard lock(mutex_);
  if (buffer_.size() + der.size() > kBufferBytes && !buffer_.empty() && !WriteBuffer()) {
    return std::nullopt;
  }
  uint64_t at = written_ + buffer_.size();
  buffer_.append(der);
  return at;
}

std::vector<uint8_t> DerSpill::Read(uint64_t offset, uint32_t size) const {
  std::vector<uint8_t> bytes(size);
  {
    std::lock_guard lock(mutex_);
    if (offset >= written_) {  // still in the buffer
      uint64_t in_buffer = offset - written_;
      if (in_buffer + size > buffer_.size()) {
        throw x509::DerUnavailable("a certificate's DER was never stored at this offset");
      }
      std::memcpy(bytes.data(), buffer_.data() + in_buffer, size);
      return bytes;
    }
  }
  // What is below `written_` is in the file and never written again: read without the lock, so
  // that the threads lowering bundles (each reads thousands of certificates back) do not wait
  // for each other's reads.
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd_, bytes.data() + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw x509::DerUnavailable(std::string("cannot read back a certificate's DER from the "
                                             "facts cache's temporary file: ") +
                                 (n < 0 ? std::strerror(errno) : "it is shorter than written"));
    }
    done += static_cast<size_t>(n);
  }
  return bytes;
}

}  // namespace trust::facts
