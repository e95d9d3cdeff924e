#include "compiler/lower/bundle/goid.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <new>
#include <string>

#include "base/digest.h"

namespace trust::lower::bundle {
namespace {

constexpr std::string_view kGoidPrefix = "trustc-goid-v1\n";
// Ids with high 64 bits in 0..kMaxReservedHigh belong to built-in gateway entities.
constexpr uint64_t kMaxReservedHigh = 65535;

}  // namespace

std::string GoidFromDigest(std::array<uint8_t, 16> digest) {
  uint64_t high = 0;
  for (size_t i = 0; i < 8; ++i) {
    high = (high << 8) | digest[i];
  }
  if (high <= kMaxReservedHigh) {
    digest[0] |= 0x80;
  }
  return base::Hex(std::span<const uint8_t>(digest));
}

std::string Goid(std::string_view gateway, std::string_view type, std::string_view key) {
  std::string input;
  input.append(kGoidPrefix).append(gateway).append("\n").append(type).append("\n").append(key);
  std::string digest = base::Sha256(input);
  if (digest.size() < 16) throw std::bad_alloc();  // OpenSSL fails here only out of memory
  std::array<uint8_t, 16> prefix{};
  std::copy_n(reinterpret_cast<const uint8_t*>(digest.data()), prefix.size(), prefix.begin());
  return GoidFromDigest(prefix);
}

}  // namespace trust::lower::bundle
