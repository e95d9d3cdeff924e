// Small checks shared by the manifest reader and trust-apply, so that both accept the same
// names, paths and digests. (Aliases: runtime/keystore/alias.h; ASCII case: base/ascii.h.)
#pragma once

#include <string>
#include <string_view>

namespace trust::manifest {

// [A-Za-z_][A-Za-z0-9_]*
bool IsEnvName(std::string_view name);

// No byte below 0x20 and no 0x7f (NUL, escape sequences, line breaks) in a path or endpoint.
bool CheckNoControl(std::string_view text, std::string* message);

// 64 lower-case hex digits.
bool CheckSha256(std::string_view hex, std::string* message);

// "YYYY-MM-DDTHH:MM:SSZ" with plausible field ranges.
bool IsUtcTimestamp(std::string_view text);

}  // namespace trust::manifest
