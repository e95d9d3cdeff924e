// ParseCertificate reads the key's type and size from the SubjectPublicKeyInfo and decodes the
// key only for self-signature checks (certificate.cpp, KeyFactsFromSpki). Here every
// certificate the tests and the fuzz corpus hold is decoded the ordinary way, and what OpenSSL
// says of its key and self-signature must be what the facts say.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "runtime/x509/certificate.h"
#include "tests/support/paths.h"

namespace trust::x509 {
namespace {

namespace fs = std::filesystem;

KeyType ExpectedType(const EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
      return KeyType::kRsa;
    case EVP_PKEY_DSA:
      return KeyType::kDsa;
    case EVP_PKEY_EC:
      return KeyType::kEc;
    case EVP_PKEY_ED25519:
      return KeyType::kEd25519;
    case EVP_PKEY_ED448:
      return KeyType::kEd448;
    default:
      return KeyType::kOther;
  }
}

TEST(KeyFactsTest, MatchWhatOpenSslDecodes) {
  size_t compared = 0;
  for (const char* dir : {"tests/golden/certs", "tests/fuzz/corpus/fuzz_cert",
                          "tests/fuzz/regressions/fuzz_cert", "examples"}) {
    for (const auto& entry :
         fs::recursive_directory_iterator(fs::path(test_support::SourceDir()) / dir)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      LoadResult result = ParseCertificate(bytes);
      const auto* loaded = std::get_if<std::shared_ptr<const Certificate>>(&result);
      if (loaded == nullptr) continue;
      const Certificate& cert = **loaded;
      std::vector<uint8_t> bytes_der = cert.der();
      const unsigned char* der = bytes_der.data();
      X509Ptr x509(d2i_X509(nullptr, &der, static_cast<long>(bytes_der.size())));
      ASSERT_NE(x509, nullptr) << entry.path();
      const EVP_PKEY* key = X509_get0_pubkey(x509.get());
      KeyType type = key ? ExpectedType(key) : KeyType::kOther;
      int bits = key ? EVP_PKEY_get_bits(key) : 0;
      EXPECT_EQ(cert.facts().key_type, type) << entry.path();
      EXPECT_EQ(cert.facts().key_bits, bits) << entry.path();
      bool self_signed =
          X509_NAME_cmp(X509_get_subject_name(x509.get()), X509_get_issuer_name(x509.get())) == 0 &&
          key != nullptr && X509_verify(x509.get(), const_cast<EVP_PKEY*>(key)) == 1;
      EXPECT_EQ(cert.facts().self_signed, self_signed) << entry.path();
      ERR_clear_error();
      ++compared;
    }
  }
  EXPECT_GT(compared, 30u);
}

}  // namespace
}  // namespace trust::x509
