// Hex, SHA-256 and OpenSSL's error text: every artifact checksum, certificate fingerprint and
// cache key in the project is one of these.
#pragma once

#include <openssl/types.h>

#include <cstdint>
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

// The text of OpenSSL's oldest queued error, or `fallback` when none is queued. Clears the
// queue either way, so that a later failure is not blamed on an earlier one.
std::string OpenSslErrorText(std::string_view fallback = "unknown OpenSSL error");

}  // namespace trust::base
