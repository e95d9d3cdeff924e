// Small checks shared by the manifest reader, the keystores and trust-apply, so that all of
// them accept the same aliases and digests.
#pragma once

#include <string>
#include <string_view>

namespace trust::manifest {

// [A-Za-z_][A-Za-z0-9_]*
bool IsEnvName(std::string_view name);

// Non-empty printable ASCII (0x20-0x7e), at most kMaxAliasLength. Printable ASCII sidesteps
// JKS's modified UTF-8 and Java's locale-dependent lower-casing. A new entry's alias must not
// start with "debian:" (Debian's update-ca-certificates prunes those).
bool CheckAlias(std::string_view alias, bool new_entry, std::string* message);

// No byte below 0x20 and no 0x7f (NUL, escape sequences, line breaks) in a path or endpoint.
bool CheckNoControl(std::string_view text, std::string* message);

// 64 lower-case hex digits.
bool CheckSha256(std::string_view hex, std::string* message);

// "YYYY-MM-DDTHH:MM:SSZ" with plausible field ranges.
bool IsUtcTimestamp(std::string_view text);

std::string AsciiLower(std::string_view text);
// AsciiLower(a) == AsciiLower(b), without allocating (alias lookups in large stores).
bool AsciiEqualIgnoreCase(std::string_view a, std::string_view b);

}  // namespace trust::manifest
