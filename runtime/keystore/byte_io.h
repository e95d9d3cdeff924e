// Big-endian readers and writers for the binary keystore formats. The reader checks every
// length against what is left, so a corrupt or hostile file can only produce an error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace trust::keystore {

class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : data_(data) {}

  bool U2(uint32_t* out) { return Unsigned(2, out); }
  bool U4(uint32_t* out) { return Unsigned(4, out); }
  bool S8(int64_t* out) {
    uint32_t hi = 0;
    uint32_t lo = 0;
    if (!U4(&hi) || !U4(&lo)) {
      return false;
    }
    *out = static_cast<int64_t>((static_cast<uint64_t>(hi) << 32) | lo);
    return true;
  }
  bool Bytes(size_t count, std::string_view* out) {
    if (count > remaining()) {
      return false;
    }
    *out = data_.substr(pos_, count);
    pos_ += count;
    return true;
  }
  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }

 private:
  bool Unsigned(size_t width, uint32_t* out) {
    if (width > remaining()) {
      return false;
    }
    uint32_t value = 0;
    for (size_t i = 0; i < width; ++i) {
      value = (value << 8) | static_cast<unsigned char>(data_[pos_ + i]);
    }
    pos_ += width;
    *out = value;
    return true;
  }

  std::string_view data_;
  size_t pos_ = 0;
};

class ByteWriter {
 public:
  void U2(uint32_t v) { Unsigned(2, v); }
  void U4(uint32_t v) { Unsigned(4, v); }
  void S8(int64_t v) {
    auto u = static_cast<uint64_t>(v);
    U4(static_cast<uint32_t>(u >> 32));
    U4(static_cast<uint32_t>(u));
  }
  void Bytes(std::string_view bytes) { out_.append(bytes); }
  const std::string& data() const { return out_; }
  std::string& mutable_data() { return out_; }

 private:
  void Unsigned(size_t width, uint32_t v) {
    for (size_t i = width; i > 0; --i) {
      out_.push_back(static_cast<char>((v >> (8 * (i - 1))) & 0xff));
    }
  }
  std::string out_;
};

}  // namespace trust::keystore
