#include "base/digest.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

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

HmacSha256::HmacSha256(std::string_view key) {
  EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (hmac == nullptr) {
    ERR_clear_error();
    return;
  }
  keyed_ = EVP_MAC_CTX_new(hmac);
  EVP_MAC_free(hmac);  // the context holds its own reference
  char digest[] = "SHA2-256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  if (keyed_ != nullptr && EVP_MAC_init(keyed_, reinterpret_cast<const unsigned char*>(key.data()),
                                        key.size(), params) != 1) {
    EVP_MAC_CTX_free(keyed_);
    keyed_ = nullptr;
  }
  ERR_clear_error();
}

HmacSha256::~HmacSha256() { EVP_MAC_CTX_free(keyed_); }

std::string HmacSha256::Mac(std::initializer_list<std::string_view> parts) const {
  if (keyed_ == nullptr) return "";
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(keyed_);
  bool made = ctx != nullptr;
  for (std::string_view part : parts) {
    made = made && EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(part.data()),
                                  part.size()) == 1;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  size_t length = 0;
  made = made && EVP_MAC_final(ctx, mac.data(), &length, mac.size()) == 1;
  EVP_MAC_CTX_free(ctx);
  if (!made) {
    ERR_clear_error();
    return "";
  }
  return std::string(reinterpret_cast<const char*>(mac.data()), length);
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
