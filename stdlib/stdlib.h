// The standard library, embedded in the binary at build time (stdlib/CMakeLists.txt).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace trust::stdlib {

// The text of `std/NAME` (NAME without ".trust"), if the library has it.
std::optional<std::string_view> Find(std::string_view name);
std::vector<std::string_view> Names();

}  // namespace trust::stdlib
