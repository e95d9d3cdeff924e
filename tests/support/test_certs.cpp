#include "tests/support/test_certs.h"

#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <atomic>
#include <stdexcept>

namespace trust::test {
namespace {

KeyPtr MakeKey() { return KeyPtr(EVP_EC_gen("P-256")); }

// The bytes written to a memory BIO, which it frees.
std::string BioText(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  std::string text(data, static_cast<size_t>(length));
  BIO_free(bio);
  return text;
}

std::string ToPem(X509* x509) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, x509);
  return BioText(bio);
}

}  // namespace

TestCert MakeCert(const std::string& cn, int64_t not_before, int64_t not_after) {
  static std::atomic<long> serial{1000};
  KeyPtr key = MakeKey();
  x509::X509Ptr x509(X509_new());
  X509_set_version(x509.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x509.get()), serial++);
  ASN1_TIME_set(X509_getm_notBefore(x509.get()), static_cast<time_t>(not_before));
  ASN1_TIME_set(X509_getm_notAfter(x509.get()), static_cast<time_t>(not_after));
  X509_NAME* name = X509_get_subject_name(x509.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(x509.get(), name);
  X509_set_pubkey(x509.get(), key.get());
  X509_sign(x509.get(), key.get(), EVP_sha256());
  TestCert out;
  out.der = ToDer(x509.get());
  out.pem = ToPem(x509.get());
  x509::LoadResult result = x509::ParseCertificate(out.der);
  if (!std::holds_alternative<std::shared_ptr<const x509::Certificate>>(result)) {
    throw std::runtime_error("test certificate does not parse: " +
                             std::get<x509::LoadError>(result).message);
  }
  out.cert = std::get<std::shared_ptr<const x509::Certificate>>(result);
  out.key = std::move(key);
  return out;
}

std::string ToDer(X509* x509) {
  unsigned char* der = nullptr;
  int length = i2d_X509(x509, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return out;
}

X509* NewX509(const TestCert& cert) {
  const auto* p = reinterpret_cast<const unsigned char*>(cert.der.data());
  return d2i_X509(nullptr, &p, static_cast<long>(cert.der.size()));
}

std::string Pkcs12DerAndFree(PKCS12* p12) {
  unsigned char* der = nullptr;
  int length = i2d_PKCS12(p12, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  PKCS12_free(p12);
  return out;
}

std::string PrivateKeyPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  return BioText(bio);
}

std::string PublicKeyPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key);
  return BioText(bio);
}

}  // namespace trust::test
