#include "runtime/manifest/validate.h"

#include <cctype>

#include "base/digest.h"
#include "runtime/manifest/manifest.h"

namespace trust::manifest {
namespace {

bool IsDigits(std::string_view text, size_t pos, size_t count) {
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
  }
  return true;
}

int Number(std::string_view text, size_t pos, size_t count) {
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

bool IsEnvName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

bool CheckNoControl(std::string_view text, std::string* message) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      *message =
          "contains the control character 0x" + base::HexByte(c) + " at byte " + std::to_string(i);
      return false;
    }
  }
  return true;
}

bool CheckSha256(std::string_view hex, std::string* message) {
  if (hex.size() != 64) {
    *message = "expected 64 hex digits";
    return false;
  }
  for (char c : hex) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      *message = "expected 64 hex digits";
      return false;
    }
    if (c >= 'A' && c <= 'F') {
      *message = "expected lower-case hex digits";
      return false;
    }
  }
  return true;
}

bool IsUtcTimestamp(std::string_view t) {
  // 2031-03-01T12:00:00Z
  if (t.size() != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' ||
      t[16] != ':' || t[19] != 'Z') {
    return false;
  }
  if (!IsDigits(t, 0, 4) || !IsDigits(t, 5, 2) || !IsDigits(t, 8, 2) || !IsDigits(t, 11, 2) ||
      !IsDigits(t, 14, 2) || !IsDigits(t, 17, 2)) {
    return false;
  }
  int month = Number(t, 5, 2);
  int day = Number(t, 8, 2);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && Number(t, 11, 2) <= 23 &&
         Number(t, 14, 2) <= 59 && Number(t, 17, 2) <= 60;
}

}  // namespace trust::manifest
