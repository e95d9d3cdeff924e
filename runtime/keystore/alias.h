// What an alias may be, in every keystore trust-apply writes and every manifest it reads.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace trust::keystore {

inline constexpr size_t kMaxAliasLength = 255;

// Non-empty printable ASCII (0x20-0x7e), at most kMaxAliasLength. Printable ASCII sidesteps
// JKS's modified UTF-8 and Java's locale-dependent lower-casing. A new entry's alias must not
// start with "debian:" (Debian's update-ca-certificates prunes those).
bool CheckAlias(std::string_view alias, bool new_entry, std::string* message);

}  // namespace trust::keystore
