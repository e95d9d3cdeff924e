#include "base/digest.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <array>

namespace trust::base {

namespace {
constexpr std::string_view kHexDigits = "0123456789abcdef";
}  // namespace

std::string HexByte(unsigned char byte) { return {kHexDigits[byte >> 4], kHexDigits[byte & 0xF]}; }

std::string Hex(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t byte : bytes) {
    out.push_back(kHexDigits[byte >> 4]);
    out.push_back(kHexDigits[byte & 0xF]);
  }
  return out;
}

std::string Hex(std::string_view bytes) {
  return Hex(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

const EVP_MD* Sha256Algorithm() {
  // Fetched once and never freed: it lives as long as the process, as EVP_sha256()'s does.
  static const EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  return fetched != nullptr ? fetched : EVP_sha256();
}

std::string Sha256(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, Sha256Algorithm(), nullptr) !=
      1) {
    ERR_clear_error();
    return "";
  }
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

std::string Sha256Hex(std::string_view bytes) { return Hex(Sha256(bytes)); }

std::string Sha256Hex(std::span<const uint8_t> bytes) {
  return Sha256Hex(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string OpenSslErrorText(std::string_view fallback) {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return std::string(fallback);
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  return buffer;
}

}  // namespace trust::base
