// The compiler's limits on untrusted input, in one place (documented in docs/limits.md).
// Each is enforced with a `limit_exceeded` diagnostic that names the limit.
#pragma once

#include <cstddef>

namespace trust::limits {

inline constexpr size_t kMaxSourceBytes = 4 * 1024 * 1024;  // one .trust file
inline constexpr size_t kMaxSyntaxErrors = 25;              // per file, then give up
inline constexpr size_t kMaxIdentifierBytes = 256;
inline constexpr size_t kMaxStringBytes = 64 * 1024;
inline constexpr size_t kMaxImportDepth = 64;                // length of an import chain
inline constexpr size_t kMaxModules = 4096;                  // files in one program
inline constexpr size_t kMaxTemplateDepth = 64;              // `from` chain length
inline constexpr size_t kMaxCertificateBytes = 1024 * 1024;  // one certificate file
inline constexpr size_t kMaxBundleBytes = 64 * 1024 * 1024;  // one bundle given to `import`

}  // namespace trust::limits
