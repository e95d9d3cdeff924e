#include "runtime/keystore/alias.h"

#include "base/ascii.h"

namespace trust::keystore {

bool CheckAlias(std::string_view alias, bool new_entry, std::string* message) {
  if (alias.empty()) {
    *message = "expected a non-empty alias";
    return false;
  }
  if (alias.size() > kMaxAliasLength) {
    *message = "alias longer than " + std::to_string(kMaxAliasLength) + " characters";
    return false;
  }
  for (char c : alias) {
    if (c < 0x20 || c > 0x7e) {
      *message = "expected an alias of printable ASCII characters";
      return false;
    }
  }
  if (new_entry && base::AsciiLower(alias).starts_with("debian:")) {
    *message = "an alias must not start with `debian:` (update-ca-certificates prunes those)";
    return false;
  }
  return true;
}

}  // namespace trust::keystore
