// Incremental SHA-256 (OpenSSL's EVP), for hashing what does not fit in one string: a file read
// in blocks, or the fields of a gateway.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/digest.h"

namespace trust::artifacts {

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    EVP_DigestInit_ex(ctx_.get(), base::Sha256Algorithm(), nullptr);
  }

  void Update(const void* data, size_t size) { EVP_DigestUpdate(ctx_.get(), data, size); }
  void Update(std::string_view bytes) { Update(bytes.data(), bytes.size()); }

  // 64 lower-case hex digits. Call once.
  std::string HexDigest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx_.get(), digest, &size);
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < size; ++i) {
      hex.push_back(kDigits[digest[i] >> 4]);
      hex.push_back(kDigits[digest[i] & 15]);
    }
    return hex;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

}  // namespace trust::artifacts
