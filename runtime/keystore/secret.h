// A password in memory: never copied, wiped (OPENSSL_cleanse) when it goes away.
#pragma once

#include <openssl/crypto.h>

#include <string_view>
#include <vector>

namespace trust::keystore {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string_view text) : bytes_(text.begin(), text.end()) {}
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  Secret(Secret&& other) noexcept = default;
  Secret& operator=(Secret&& other) noexcept {
    Wipe();
    bytes_ = std::move(other.bytes_);
    return *this;
  }
  ~Secret() { Wipe(); }

  std::string_view view() const { return {bytes_.data(), bytes_.size()}; }
  const char* data() const { return bytes_.data(); }
  size_t size() const { return bytes_.size(); }

 private:
  void Wipe() {
    if (!bytes_.empty()) {
      OPENSSL_cleanse(bytes_.data(), bytes_.size());
    }
  }
  std::vector<char> bytes_;
};

}  // namespace trust::keystore
