// Hex, SHA-256 and OpenSSL's error text: every artifact checksum, certificate fingerprint and
// cache key in the project is one of these.
#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace trust::base {

// Lower-case hex, two digits a byte.
std::string Hex(std::string_view bytes);
std::string Hex(std::span<const uint8_t> bytes);
// The two lower-case hex digits of one byte ("0a"): for escapes like "\x0a".
std::string HexByte(unsigned char byte);

// SHA-256, looked up once. OpenSSL 3 looks up EVP_sha256() by name at each use (a lock and a
// search of its algorithm table): for a certificate of a few hundred bytes, as long as hashing
// it, and a build hashes every certificate file.
const EVP_MD* Sha256Algorithm();

// The 32 raw bytes of SHA-256(bytes).
std::string Sha256(std::string_view bytes);
// SHA-256 as 64 lower-case hex digits; "" only if OpenSSL itself fails (out of memory).
std::string Sha256Hex(std::string_view bytes);
std::string Sha256Hex(std::span<const uint8_t> bytes);

// HMAC-SHA256 under one key, keyed once. OpenSSL's one-shot HMAC() looks the MAC up by name
// and sets the key up again at every call: for the facts cache's records of a few hundred bytes
// that was twice the cost of the MAC itself, paid for every certificate of every build. Each
// call works on a copy of the keyed context, so one object may be used from several threads.
class HmacSha256 {
 public:
  explicit HmacSha256(std::string_view key);
  ~HmacSha256();
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;

  // Whether OpenSSL accepted the key; a MAC from an object that is not ok() is "".
  bool ok() const { return keyed_ != nullptr; }
  // The 32 raw bytes of HMAC(key, the parts one after the other); "" on OpenSSL's failure.
  std::string Mac(std::initializer_list<std::string_view> parts) const;

 private:
  EVP_MAC_CTX* keyed_ = nullptr;
};

// The text of OpenSSL's oldest queued error, or `fallback` when none is queued. Clears the
// queue either way, so that a later failure is not blamed on an earlier one.
std::string OpenSslErrorText(std::string_view fallback = "unknown OpenSSL error");

}  // namespace trust::base
