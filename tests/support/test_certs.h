// Test certificates made in-process with the OpenSSL API, with fixed validity far from today
// so that no test depends on the clock.
#pragma once

#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <string>

#include "runtime/x509/certificate.h"
#include "tests/support/temp_tree.h"

namespace trust::test {

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

// The DER encoding of `x509`.
std::string ToDer(X509* x509);
// A new X509 of `cert`, which the caller frees: for building keystores with the OpenSSL API.
X509* NewX509(const TestCert& cert);
// The DER encoding of `p12`, which it frees.
std::string Pkcs12DerAndFree(PKCS12* p12);

// The key in PEM: the private key unencrypted (for `openssl s_server -key`), the public key
// as SubjectPublicKeyInfo (for `trust-apply --verify-key`).
std::string PrivateKeyPem(EVP_PKEY* key);
std::string PublicKeyPem(EVP_PKEY* key);

}  // namespace trust::test
