// The running program's GNU build ID: a hash the linker computes over the binary's contents,
// so that two builds of trustc from different sources differ even under one version number.
#pragma once

#include <string>

namespace trust::base {

// Lower-case hex of the main executable's NT_GNU_BUILD_ID note; "" when it has none.
std::string ExecutableBuildId();

}  // namespace trust::base
