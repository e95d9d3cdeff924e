// Test certificates made in-process with the OpenSSL API, with fixed validity far from today
// so that no test depends on the clock.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <string>

#include "runtime/x509/certificate.h"

namespace trust::testing {

inline constexpr int64_t kNotBefore = 1262304000;  // 2010-01-01T00:00:00Z
inline constexpr int64_t kNotAfter = 3786912000;   // 2090-01-01T00:00:00Z

struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;

struct TestCert {
  std::shared_ptr<const x509::Certificate> cert;
  KeyPtr key;
  std::string der;
  std::string pem;
};

// A self-signed EC P-256 certificate with subject "CN=<cn>".
TestCert MakeCert(const std::string& cn, int64_t not_before = kNotBefore,
                  int64_t not_after = kNotAfter);

// Writes `bytes` to `path` (creating or truncating).
void WriteFile(const std::string& path, const std::string& bytes);
std::string ReadFile(const std::string& path);

// A fresh empty directory under the test's temp dir.
std::string MakeTempDir(const std::string& name);

}  // namespace trust::testing
