// ASCII case, independent of the locale: aliases and DNs compare the way Java's keystores and
// OpenSSL do, whatever LC_CTYPE says.
#pragma once

#include <string>
#include <string_view>

namespace trust::base {

char AsciiLower(char c);
std::string AsciiLower(std::string_view text);

// AsciiLower(a) == AsciiLower(b), without allocating (alias lookups in large stores).
bool AsciiEqualIgnoreCase(std::string_view a, std::string_view b);

}  // namespace trust::base
