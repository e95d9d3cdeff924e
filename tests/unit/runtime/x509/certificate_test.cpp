// Certificates are generated here with the OpenSSL API, with fixed validity dates far from
// today, so the tests never depend on checked-in files or on the clock.
#include "runtime/x509/certificate.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/digest.h"
#include "tests/support/paths.h"

namespace trust::x509 {
namespace {

struct EvpPkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyDeleter>;

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

struct X509ReqDeleter {
  void operator()(X509_REQ* req) const { X509_REQ_free(req); }
};
using X509ReqPtr = std::unique_ptr<X509_REQ, X509ReqDeleter>;

struct X509NameDeleter {
  void operator()(X509_NAME* name) const { X509_NAME_free(name); }
};
using X509NamePtr = std::unique_ptr<X509_NAME, X509NameDeleter>;

// Certificate order: least specific first, as X509_NAME stores it.
using NameSpec = std::vector<std::pair<std::string, std::string>>;

int64_t Utc(int year, unsigned month, unsigned day) {
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                                         std::chrono::day{day}};
  return std::chrono::sys_days{date}.time_since_epoch().count() * int64_t{86400};
}

// Key generation is slow (and ctest runs each test in its own process): every key is made on
// first use and shared.
enum class KeyKind { kRsa2048, kRsa2048Other, kRsa1024, kEc256, kEd25519 };

KeyPtr MakeKey(KeyKind kind) {
  switch (kind) {
    case KeyKind::kRsa2048:
    case KeyKind::kRsa2048Other:
      return KeyPtr(EVP_RSA_gen(2048));
    case KeyKind::kRsa1024:
      return KeyPtr(EVP_RSA_gen(1024));
    case KeyKind::kEc256:
      return KeyPtr(EVP_EC_gen("P-256"));
    case KeyKind::kEd25519:
      return KeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  }
  return nullptr;
}

EVP_PKEY* CachedKey(KeyKind kind) {
  static auto* cache = new std::map<KeyKind, KeyPtr>();
  KeyPtr& key = (*cache)[kind];
  if (key == nullptr) {
    key = MakeKey(kind);
  }
  return key.get();
}

struct Keys {
  static EVP_PKEY* Rsa2048() { return CachedKey(KeyKind::kRsa2048); }
  static EVP_PKEY* Rsa2048Other() { return CachedKey(KeyKind::kRsa2048Other); }
  static EVP_PKEY* Rsa1024() { return CachedKey(KeyKind::kRsa1024); }
  static EVP_PKEY* Ec256() { return CachedKey(KeyKind::kEc256); }
  static EVP_PKEY* Ed25519() { return CachedKey(KeyKind::kEd25519); }
};

struct CertSpec {
  NameSpec subject = {{"C", "US"}, {"O", "trustc tests"}, {"CN", "Test"}};
  const char* serial = "4660";
  int64_t not_before = Utc(2020, 1, 1);
  int64_t not_after = Utc(2090, 1, 1);
  std::string basic_constraints;    // "" for none, else e.g. "critical,CA:TRUE"
  std::string key_usage;            // "" for none, else e.g. "critical,keyCertSign,cRLSign"
  const EVP_MD* md = EVP_sha256();  // nullptr for Ed25519
};

X509NamePtr MakeName(const NameSpec& spec) {
  X509NamePtr name(X509_NAME_new());
  for (const auto& [type, value] : spec) {
    X509_NAME_add_entry_by_txt(name.get(), type.c_str(), MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0);
  }
  return name;
}

void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  if (value.empty()) {
    return;
  }
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  ASSERT_NE(extension, nullptr) << value;
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

// Self-signed when `issuer` is null; `signer` is the issuer's key (or the subject's own).
X509Ptr MakeX509(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* signer) {
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), X509_VERSION_3);
  BIGNUM* serial = nullptr;
  BN_dec2bn(&serial, spec.serial);
  BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get()));
  BN_free(serial);
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(spec.not_before));
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(spec.not_after));
  const X509NamePtr subject = MakeName(spec.subject);
  X509_set_subject_name(cert.get(), subject.get());
  X509_set_issuer_name(cert.get(),
                       issuer != nullptr ? X509_get_subject_name(issuer) : subject.get());
  X509_set_pubkey(cert.get(), key);
  X509* issuer_or_self = issuer != nullptr ? issuer : cert.get();
  AddExtension(cert.get(), issuer_or_self, NID_basic_constraints, spec.basic_constraints);
  AddExtension(cert.get(), issuer_or_self, NID_key_usage, spec.key_usage);
  EXPECT_GT(X509_sign(cert.get(), signer != nullptr ? signer : key, spec.md), 0);
  return cert;
}

X509Ptr MakeSelfSigned(const CertSpec& spec, EVP_PKEY* key) {
  return MakeX509(spec, key, nullptr, nullptr);
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return {data, static_cast<size_t>(length)};
}

std::string ToPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  return BioText(bio.get());
}

std::string ToDer(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  i2d_X509_bio(bio.get(), cert);
  return BioText(bio.get());
}

std::string KeyToPkcs8Pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return BioText(bio.get());
}

std::string KeyToTraditionalPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey_traditional(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return BioText(bio.get());
}

std::string KeyToEncryptedPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  std::string password = "secret";
  PEM_write_bio_PKCS8PrivateKey(bio.get(), key, EVP_aes_256_cbc(), password.data(),
                                static_cast<int>(password.size()), nullptr, nullptr);
  return BioText(bio.get());
}

std::string KeyToPkcs8Der(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  i2d_PKCS8PrivateKey_bio(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return BioText(bio.get());
}

std::string KeyToTraditionalDer(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int length = i2d_PrivateKey(key, &der);
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return out;
}

std::string PublicKeyPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key);
  return BioText(bio.get());
}

std::string CsrPem(EVP_PKEY* key) {
  X509ReqPtr req(X509_REQ_new());
  const X509NamePtr name = MakeName({{"CN", "request"}});
  X509_REQ_set_subject_name(req.get(), name.get());
  X509_REQ_set_pubkey(req.get(), key);
  X509_REQ_sign(req.get(), key, EVP_sha256());
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_REQ(bio.get(), req.get());
  return BioText(bio.get());
}

std::shared_ptr<const Certificate> Load(std::string_view bytes) {
  LoadResult result = ParseCertificate(bytes);
  if (const auto* error = std::get_if<LoadError>(&result)) {
    ADD_FAILURE() << "unexpected load error: " << error->message;
    return nullptr;
  }
  return std::get<std::shared_ptr<const Certificate>>(result);
}

LoadError LoadFailure(std::string_view bytes) {
  LoadResult result = ParseCertificate(bytes);
  if (const auto* error = std::get_if<LoadError>(&result)) {
    return *error;
  }
  ADD_FAILURE() << "expected a load error";
  return {LoadErrorKind::kEmpty, ""};
}

// Replaces every "\n" with "\r\n".
std::string WithCrlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') {
      out.push_back('\r');
    }
    out.push_back(c);
  }
  return out;
}

CertSpec CaSpec(NameSpec subject) {
  CertSpec spec;
  spec.subject = std::move(subject);
  spec.basic_constraints = "critical,CA:TRUE";
  spec.key_usage = "critical,keyCertSign,cRLSign";
  return spec;
}

// ---------------------------------------------------------------------------------------------
// Facts

TEST(PemCertificateTest, ReadsFactsFromPem) {
  CertSpec spec;
  spec.subject = {{"C", "US"}, {"O", "Example"}, {"OU", "Web"}, {"CN", "leaf.example.com"}};
  spec.serial = "123456789012345678901234567890";
  const X509Ptr x509 = MakeSelfSigned(spec, Keys::Rsa2048());
  const auto cert = Load(ToPem(x509.get()));
  ASSERT_NE(cert, nullptr);
  const CertFacts& facts = cert->facts();
  EXPECT_EQ(facts.subject, "CN=leaf.example.com,OU=Web,O=Example,C=US");
  EXPECT_EQ(facts.issuer, facts.subject);
  EXPECT_EQ(facts.SubjectDn().rdns.size(), 4U);
  EXPECT_EQ(facts.serial_decimal, "123456789012345678901234567890");
  EXPECT_EQ(facts.not_before, Utc(2020, 1, 1));
  EXPECT_EQ(facts.not_after, Utc(2090, 1, 1));  // GeneralizedTime: after 2049
  EXPECT_EQ(facts.key_type, KeyType::kRsa);
  EXPECT_EQ(facts.key_bits, 2048);
  EXPECT_EQ(facts.signature_hash, "sha256");
  EXPECT_FALSE(facts.is_ca);
  EXPECT_FALSE(facts.has_key_usage);
  EXPECT_TRUE(facts.self_signed);
  EXPECT_EQ(facts.sha256, base::Sha256Hex(ToDer(x509.get())));
  EXPECT_EQ(cert->der().size(), ToDer(x509.get()).size());
}

TEST(PemCertificateTest, FingerprintMatchesOpenSsl) {
  const X509Ptr x509 = MakeSelfSigned(CertSpec(), Keys::Ec256());
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  ASSERT_EQ(X509_digest(x509.get(), EVP_sha256(), digest.data(), &length), 1);
  std::string expected;
  for (unsigned int i = 0; i < length; ++i) {
    std::array<char, 3> hex{};
    std::snprintf(hex.data(), hex.size(), "%02x", digest[i]);
    expected += hex.data();
  }
  const auto cert = Load(ToDer(x509.get()));
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(cert->facts().sha256, expected);
  EXPECT_EQ(cert->facts().sha256.size(), 64U);
}

TEST(PemCertificateTest, DerAndPemGiveTheSameCertificate) {
  const X509Ptr x509 = MakeSelfSigned(CertSpec(), Keys::Rsa2048());
  const auto from_pem = Load(ToPem(x509.get()));
  const auto from_der = Load(ToDer(x509.get()));
  ASSERT_NE(from_pem, nullptr);
  ASSERT_NE(from_der, nullptr);
  EXPECT_EQ(from_pem->der(), from_der->der());
  EXPECT_EQ(from_pem->facts().sha256, from_der->facts().sha256);
  EXPECT_EQ(from_pem->facts().subject, from_der->facts().subject);
}

TEST(PemCertificateTest, KeyTypesAndSizes) {
  const auto rsa1024 = Load(ToPem(MakeSelfSigned(CertSpec(), Keys::Rsa1024()).get()));
  const auto ec = Load(ToPem(MakeSelfSigned(CertSpec(), Keys::Ec256()).get()));
  ASSERT_NE(rsa1024, nullptr);
  ASSERT_NE(ec, nullptr);
  EXPECT_EQ(rsa1024->facts().key_type, KeyType::kRsa);
  EXPECT_EQ(rsa1024->facts().key_bits, 1024);
  EXPECT_EQ(ec->facts().key_type, KeyType::kEc);
  EXPECT_EQ(ec->facts().key_bits, 256);
  EXPECT_EQ(ec->facts().signature_hash, "sha256");
  EXPECT_TRUE(ec->facts().self_signed);
}

TEST(PemCertificateTest, Ed25519HasNoSeparateHash) {
  CertSpec spec;
  spec.md = nullptr;
  const auto cert = Load(ToPem(MakeSelfSigned(spec, Keys::Ed25519()).get()));
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(cert->facts().key_type, KeyType::kEd25519);
  EXPECT_EQ(cert->facts().signature_hash, "");
  EXPECT_TRUE(cert->facts().self_signed);
}

TEST(PemCertificateTest, SignatureHashNames) {
  const std::vector<std::pair<const EVP_MD*, std::string>> cases = {
      {EVP_sha1(), "sha1"}, {EVP_sha384(), "sha384"}, {EVP_sha512(), "sha512"}};
  for (const auto& [md, name] : cases) {
    CertSpec spec;
    spec.md = md;
    const auto cert = Load(ToPem(MakeSelfSigned(spec, Keys::Rsa2048()).get()));
    ASSERT_NE(cert, nullptr);
    EXPECT_EQ(cert->facts().signature_hash, name);
  }
}

TEST(PemCertificateTest, CaAndKeyUsageFlags) {
  const auto ca = Load(ToPem(MakeSelfSigned(CaSpec({{"CN", "CA"}}), Keys::Ec256()).get()));
  ASSERT_NE(ca, nullptr);
  EXPECT_TRUE(ca->facts().is_ca);
  EXPECT_TRUE(ca->facts().has_key_usage);
  EXPECT_TRUE(ca->facts().key_cert_sign);

  CertSpec no_sign = CaSpec({{"CN", "CA"}});
  no_sign.key_usage = "critical,digitalSignature";
  const auto ca_no_sign = Load(ToPem(MakeSelfSigned(no_sign, Keys::Ec256()).get()));
  ASSERT_NE(ca_no_sign, nullptr);
  EXPECT_TRUE(ca_no_sign->facts().is_ca);
  EXPECT_TRUE(ca_no_sign->facts().has_key_usage);
  EXPECT_FALSE(ca_no_sign->facts().key_cert_sign);
}

TEST(PemCertificateTest, OnlyExplicitCaTrueCounts) {
  CertSpec ca_false;
  ca_false.basic_constraints = "critical,CA:FALSE";
  const auto explicit_false = Load(ToPem(MakeSelfSigned(ca_false, Keys::Ec256()).get()));
  ASSERT_NE(explicit_false, nullptr);
  EXPECT_FALSE(explicit_false->facts().is_ca);

  CertSpec key_usage_only;  // keyCertSign without basicConstraints is not a CA
  key_usage_only.key_usage = "keyCertSign";
  const auto no_bc = Load(ToPem(MakeSelfSigned(key_usage_only, Keys::Ec256()).get()));
  ASSERT_NE(no_bc, nullptr);
  EXPECT_FALSE(no_bc->facts().is_ca);
  EXPECT_TRUE(no_bc->facts().key_cert_sign);
}

TEST(PemCertificateTest, RootSignsLeaf) {
  const X509Ptr root_x509 = MakeSelfSigned(CaSpec({{"C", "US"}, {"CN", "Root"}}), Keys::Rsa2048());
  const X509Ptr other_x509 =
      MakeSelfSigned(CaSpec({{"C", "US"}, {"CN", "Other"}}), Keys::Rsa2048Other());
  CertSpec leaf_spec;
  leaf_spec.subject = {{"C", "US"}, {"CN", "leaf"}};
  const X509Ptr leaf_x509 = MakeX509(leaf_spec, Keys::Ec256(), root_x509.get(), Keys::Rsa2048());
  const auto root = Load(ToPem(root_x509.get()));
  const auto other = Load(ToPem(other_x509.get()));
  const auto leaf = Load(ToPem(leaf_x509.get()));
  ASSERT_NE(root, nullptr);
  ASSERT_NE(other, nullptr);
  ASSERT_NE(leaf, nullptr);
  EXPECT_TRUE(leaf->IsSignedBy(*root));
  EXPECT_FALSE(leaf->IsSignedBy(*other));
  EXPECT_FALSE(leaf->IsSignedBy(*leaf));
  EXPECT_TRUE(root->IsSignedBy(*root));
  EXPECT_TRUE(root->facts().self_signed);
  EXPECT_FALSE(leaf->facts().self_signed);
  EXPECT_EQ(leaf->facts().issuer, "CN=Root,C=US");
  EXPECT_TRUE(DnEqual(leaf->facts().IssuerDn(), root->facts().SubjectDn()));
  EXPECT_EQ(ERR_peek_error(), 0UL);
}

TEST(PemCertificateTest, SameNamesButForeignSignatureIsNotSelfSigned) {
  const X509Ptr real = MakeSelfSigned(CaSpec({{"CN", "Twin"}}), Keys::Rsa2048());
  const X509Ptr forged =
      MakeX509(CaSpec({{"CN", "Twin"}}), Keys::Rsa2048Other(), real.get(), Keys::Rsa2048());
  const auto cert = Load(ToPem(forged.get()));
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(cert->facts().subject, cert->facts().issuer);
  EXPECT_FALSE(cert->facts().self_signed);
}

TEST(CertFactsTest, NamesAreKeptAsTextAndGivenBackExactly) {
  std::string error;
  const std::optional<DistinguishedName> subject = ParseDn("CN=a\\,b+OU=x,O=y,C=US", &error);
  const std::optional<DistinguishedName> issuer = ParseDn("CN=Root,C=US", &error);
  ASSERT_TRUE(subject && issuer) << error;
  CertFacts facts;
  facts.SetNames(*subject, *issuer);
  EXPECT_EQ(facts.subject, "CN=a\\,b+OU=x,O=y,C=US");
  EXPECT_EQ(facts.issuer, "CN=Root,C=US");
  EXPECT_EQ(facts.subject_kept, nullptr);  // the text gives it back: only the text is held
  EXPECT_EQ(facts.issuer_kept, nullptr);
  EXPECT_EQ(facts.SubjectDn(), *subject);
  EXPECT_EQ(facts.IssuerDn(), *issuer);
}

TEST(CertFactsTest, ANameItsTextWouldChangeIsKeptAsDecoded) {
  // A type spelled otherwise than the parser's canonical spelling parses back as "CN": equal
  // to the language, but not the exact name, so the structure is kept.
  DistinguishedName odd{{{DnAttribute{"cn", "x"}}}};
  DistinguishedName plain{{{DnAttribute{"CN", "x"}}}};
  CertFacts facts;
  facts.SetNames(odd, plain);
  ASSERT_NE(facts.subject_kept, nullptr);
  EXPECT_EQ(facts.issuer_kept, nullptr);
  EXPECT_EQ(facts.SubjectDn(), odd);
  EXPECT_EQ(facts.IssuerDn(), plain);
}

TEST(PemCertificateTest, ExpiredValidityDates) {
  CertSpec spec;
  spec.not_before = Utc(2000, 1, 1);
  spec.not_after = Utc(2001, 1, 1);
  const auto cert = Load(ToDer(MakeSelfSigned(spec, Keys::Ec256()).get()));
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(cert->facts().not_before, 946684800);
  EXPECT_EQ(cert->facts().not_after, 978307200);
}

TEST(PemCertificateTest, FormatUtc) {
  EXPECT_EQ(FormatUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatUtc(946684800), "2000-01-01T00:00:00Z");
  EXPECT_EQ(FormatUtc(1930824000), "2031-03-09T12:00:00Z");
  EXPECT_EQ(FormatUtc(Utc(2090, 1, 1) + 59), "2090-01-01T00:00:59Z");
  EXPECT_EQ(FormatUtc(-1), "1969-12-31T23:59:59Z");
}

// ---------------------------------------------------------------------------------------------
// PEM variants that load

TEST(PemCertificateTest, TextAroundTheBlockIsIgnored) {
  const X509Ptr x509 = MakeSelfSigned(CertSpec(), Keys::Ec256());
  const std::string text = "Certificate:\n    Subject: CN=Test\nBag Attributes\n" +
                           ToPem(x509.get()) + "trailing notes\n";
  const auto cert = Load(text);
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(cert->facts().sha256, base::Sha256Hex(ToDer(x509.get())));
}

TEST(PemCertificateTest, CrlfLineEndings) {
  const X509Ptr x509 = MakeSelfSigned(CertSpec(), Keys::Ec256());
  const auto cert = Load(WithCrlf(ToPem(x509.get())));
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(cert->facts().sha256, base::Sha256Hex(ToDer(x509.get())));
}

TEST(PemCertificateTest, NoFinalNewline) {
  std::string pem = ToPem(MakeSelfSigned(CertSpec(), Keys::Ec256()).get());
  pem.pop_back();
  EXPECT_NE(Load(pem), nullptr);
}

// ---------------------------------------------------------------------------------------------
// Load errors

TEST(PemCertificateTest, EmptyAndWhiteSpace) {
  EXPECT_EQ(LoadFailure("").kind, LoadErrorKind::kEmpty);
  EXPECT_EQ(LoadFailure("").message, "the file is empty");
  EXPECT_EQ(LoadFailure(" \r\n\t\n").kind, LoadErrorKind::kEmpty);
}

TEST(PemCertificateTest, Garbage) {
  std::string garbage;
  uint32_t state = 12345;
  for (int i = 0; i < 256; ++i) {
    state = state * 1103515245U + 12345U;
    garbage.push_back(static_cast<char>(state >> 24));
  }
  const LoadError error = LoadFailure(garbage);
  EXPECT_EQ(error.kind, LoadErrorKind::kNotCertificate);
  EXPECT_EQ(error.message, "not a PEM or DER certificate");
  EXPECT_EQ(LoadFailure("hello, world\n").kind, LoadErrorKind::kNotCertificate);
}

TEST(PemCertificateTest, TruncatedDer) {
  const std::string der = ToDer(MakeSelfSigned(CertSpec(), Keys::Rsa2048()).get());
  const LoadError error = LoadFailure(std::string_view(der).substr(0, 200));
  EXPECT_EQ(error.kind, LoadErrorKind::kNotCertificate);
  EXPECT_NE(error.message.find("truncated DER"), std::string::npos) << error.message;
}

TEST(PemCertificateTest, DerWithTrailingBytes) {
  const std::string der = ToDer(MakeSelfSigned(CertSpec(), Keys::Ec256()).get());
  const LoadError error = LoadFailure(der + "xyz");
  EXPECT_EQ(error.kind, LoadErrorKind::kNotCertificate);
  EXPECT_EQ(error.message, "a DER certificate followed by 3 trailing bytes");
}

TEST(PemCertificateTest, PrivateKeyNextToCertificate) {
  const std::string cert = ToPem(MakeSelfSigned(CertSpec(), Keys::Rsa2048()).get());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {KeyToPkcs8Pem(Keys::Rsa2048()) + cert, "PRIVATE KEY"},
      {cert + KeyToTraditionalPem(Keys::Rsa2048()), "RSA PRIVATE KEY"},
      {KeyToTraditionalPem(Keys::Ec256()) + cert, "EC PRIVATE KEY"},
      {cert + KeyToEncryptedPem(Keys::Ec256()), "ENCRYPTED PRIVATE KEY"},
      {KeyToPkcs8Pem(Keys::Ed25519()), "PRIVATE KEY"},
  };
  for (const auto& [text, label] : cases) {
    const LoadError error = LoadFailure(text);
    EXPECT_EQ(error.kind, LoadErrorKind::kPrivateKey) << label;
    EXPECT_EQ(error.message,
              "found a `" + label + "` block: a private key must never travel with a certificate");
  }
}

TEST(PemCertificateTest, PrivateKeyAfterAnUnterminatedBlock) {
  const std::string text = "-----BEGIN CERTIFICATE-----\nMIIB\n" + KeyToPkcs8Pem(Keys::Ec256());
  EXPECT_EQ(LoadFailure(text).kind, LoadErrorKind::kPrivateKey);
}

TEST(PemCertificateTest, DerPrivateKeys) {
  for (const std::string& der :
       {KeyToPkcs8Der(Keys::Rsa2048()), KeyToTraditionalDer(Keys::Rsa2048()),
        KeyToPkcs8Der(Keys::Ec256()), KeyToTraditionalDer(Keys::Ec256()),
        KeyToPkcs8Der(Keys::Ed25519())}) {
    const LoadError error = LoadFailure(der);
    EXPECT_EQ(error.kind, LoadErrorKind::kPrivateKey) << error.message;
  }
}

TEST(PemCertificateTest, KeyInsideACertificateLabel) {
  const std::string der = KeyToPkcs8Der(Keys::Ec256());
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio(bio.get(), "CERTIFICATE", "", reinterpret_cast<const unsigned char*>(der.data()),
                static_cast<long>(der.size()));
  EXPECT_EQ(LoadFailure(BioText(bio.get())).kind, LoadErrorKind::kPrivateKey);
}

TEST(PemCertificateTest, TwoCertificates) {
  const std::string text = ToPem(MakeSelfSigned(CertSpec(), Keys::Rsa2048()).get()) +
                           ToPem(MakeSelfSigned(CertSpec(), Keys::Ec256()).get());
  const LoadError error = LoadFailure(text);
  EXPECT_EQ(error.kind, LoadErrorKind::kMultiple);
  EXPECT_EQ(error.message, "found 2 `CERTIFICATE` blocks, expected exactly one");
}

TEST(PemCertificateTest, CertificateSigningRequest) {
  const LoadError error = LoadFailure(CsrPem(Keys::Ec256()));
  EXPECT_EQ(error.kind, LoadErrorKind::kOtherPemBlock);
  EXPECT_EQ(
      error.message,
      "found a `CERTIFICATE REQUEST` block: a certificate signing request, not a certificate");
}

TEST(PemCertificateTest, OtherBlocksNextToACertificate) {
  const std::string cert = ToPem(MakeSelfSigned(CertSpec(), Keys::Ec256()).get());
  const LoadError public_key = LoadFailure(cert + PublicKeyPem(Keys::Ec256()));
  EXPECT_EQ(public_key.kind, LoadErrorKind::kOtherPemBlock);
  EXPECT_EQ(public_key.message, "found a `PUBLIC KEY` block: a public key, not a certificate");
  const LoadError unknown = LoadFailure("-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n" + cert);
  EXPECT_EQ(unknown.kind, LoadErrorKind::kOtherPemBlock);
  EXPECT_EQ(unknown.message, "found a `FOO` block, expected exactly one `CERTIFICATE` block");
}

TEST(PemCertificateTest, TrustedCertificateLabelIsNotAccepted) {
  std::string pem = ToPem(MakeSelfSigned(CertSpec(), Keys::Ec256()).get());
  for (const std::string marker : {"BEGIN ", "END "}) {
    const size_t at = pem.find(marker + "CERTIFICATE");
    pem.insert(at + marker.size(), "TRUSTED ");
  }
  EXPECT_EQ(LoadFailure(pem).kind, LoadErrorKind::kOtherPemBlock);
}

TEST(PemCertificateTest, BeginWithoutEnd) {
  std::string pem = ToPem(MakeSelfSigned(CertSpec(), Keys::Ec256()).get());
  pem.resize(pem.find("-----END"));
  const LoadError error = LoadFailure("notes\n" + pem);
  EXPECT_EQ(error.kind, LoadErrorKind::kNotCertificate);
  EXPECT_EQ(error.message,
            "`-----BEGIN CERTIFICATE-----` at line 2 has no matching `-----END CERTIFICATE-----`");
  EXPECT_EQ(LoadFailure("-----BEGIN CERTIFICATE\nAAAA\n").kind, LoadErrorKind::kNotCertificate);
}

TEST(PemCertificateTest, CorruptBase64) {
  std::string pem = ToPem(MakeSelfSigned(CertSpec(), Keys::Ec256()).get());
  pem[pem.find('\n') + 5] = '*';
  const LoadError error = LoadFailure(pem);
  EXPECT_EQ(error.kind, LoadErrorKind::kNotCertificate);
  EXPECT_EQ(error.message.rfind("the `CERTIFICATE` block at line 1", 0), 0U) << error.message;
}

TEST(PemCertificateTest, DuplicateExtensionsAreRefused) {
  X509Ptr x509 = MakeSelfSigned(CaSpec({{"CN", "Twice"}}), Keys::Ec256());
  AddExtension(x509.get(), x509.get(), NID_basic_constraints, "critical,CA:FALSE");
  X509_sign(x509.get(), Keys::Ec256(), EVP_sha256());
  const LoadError error = LoadFailure(ToDer(x509.get()));
  EXPECT_EQ(error.kind, LoadErrorKind::kNotCertificate);
  EXPECT_EQ(error.message, "the certificate has invalid or duplicate extensions");
}

// The checked-in corpus of the golden tests (tests/golden/certs) loads as its README says.
TEST(PemCertificateTest, GoldenCorpus) {
  const std::string dir = std::string(test_support::SourceDir()) + "/tests/golden/certs/";
  const auto read = [&dir](const std::string& name) {
    std::ifstream in(dir + name, std::ios::binary);
    EXPECT_TRUE(in.good()) << name;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  for (const char* name :
       {"root-ca.pem", "client-ca.pem", "server-ca.pem", "leaf.pem", "user-alice.pem",
        "user-bob-other-ca.pem", "ca.der", "expired.pem", "not-yet-valid.pem", "expires-2027.pem",
        "rsa1024.pem", "ec-p192.pem", "sha1.pem", "sha1-root.pem", "ca-no-keycertsign.pem",
        "ec256.pem", "revocation-root.pem", "revocation-ca.pem", "ocsp-signer.pem"}) {
    EXPECT_NE(Load(read(name)), nullptr) << name;
  }
  const std::vector<std::pair<std::string, LoadErrorKind>> bad = {
      {"key-and-cert.pem", LoadErrorKind::kPrivateKey},
      {"two-certs.pem", LoadErrorKind::kMultiple},
      {"csr.pem", LoadErrorKind::kOtherPemBlock},
      {"empty.pem", LoadErrorKind::kEmpty},
      {"garbage.bin", LoadErrorKind::kNotCertificate},
      {"truncated.der", LoadErrorKind::kNotCertificate},
      {"unterminated.pem", LoadErrorKind::kNotCertificate},
  };
  for (const auto& [name, kind] : bad) {
    EXPECT_EQ(LoadFailure(read(name)).kind, kind) << name;
  }
}

// Revocation checks "from certificate" need these URLs: AIA OCSP and CRL distribution points
// (full-name URIs), in certificate order; a certificate without the extensions has none.
TEST(PemCertificateTest, RevocationUrlsAreFacts) {
  const std::string dir = std::string(test_support::SourceDir()) + "/tests/golden/certs/";
  auto facts = [&dir](const std::string& name) {
    std::ifstream in(dir + name, std::ios::binary);
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto certificate = Load(bytes);
    EXPECT_NE(certificate, nullptr) << name;
    return certificate ? certificate->facts() : CertFacts{};
  };
  CertFacts with = facts("revocation-ca.pem");
  EXPECT_EQ(with.ocsp_urls, std::vector<std::string>{"http://ocsp.example.test/root"});
  EXPECT_EQ(with.crl_urls, std::vector<std::string>{"http://crl.example.test/root.crl"});
  CertFacts without = facts("revocation-root.pem");
  EXPECT_TRUE(without.ocsp_urls.empty());
  EXPECT_TRUE(without.crl_urls.empty());
}

// ---------------------------------------------------------------------------------------------
// Robustness: the loader is fuzzed; these are the cheap deterministic cousins.

TEST(PemCertificateTest, ErrorQueueIsLeftEmpty) {
  ERR_raise(ERR_LIB_X509, ERR_R_MALLOC_FAILURE);
  EXPECT_NE(Load(ToPem(MakeSelfSigned(CertSpec(), Keys::Ec256()).get())), nullptr);
  EXPECT_EQ(ERR_peek_error(), 0UL);
  LoadFailure("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
  EXPECT_EQ(ERR_peek_error(), 0UL);
  LoadFailure(std::string("\x30\x82\x10\x00", 4));
  EXPECT_EQ(ERR_peek_error(), 0UL);
}

TEST(PemCertificateTest, EveryPrefixAndByteFlipIsHandled) {
  const std::string der = ToDer(MakeSelfSigned(CaSpec({{"CN", "x"}}), Keys::Ec256()).get());
  for (size_t length = 0; length < der.size(); ++length) {
    EXPECT_TRUE(std::holds_alternative<LoadError>(ParseCertificate(der.substr(0, length))));
  }
  for (size_t i = 0; i < der.size(); ++i) {
    std::string mutated = der;
    mutated[i] = static_cast<char>(mutated[i] ^ 0x5A);
    ParseCertificate(mutated);  // either outcome is fine; it must not crash or leak
  }
  EXPECT_EQ(ERR_peek_error(), 0UL);
}

TEST(PemCertificateTest, ManyMarkersStayFast) {
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += "-----BEGIN A" + std::to_string(i) + "-----\n";
  }
  EXPECT_EQ(LoadFailure(text).kind, LoadErrorKind::kNotCertificate);
  std::string no_dashes;
  for (int i = 0; i < 20000; ++i) {
    no_dashes += "-----BEGIN ";
  }
  EXPECT_EQ(LoadFailure(no_dashes).kind, LoadErrorKind::kNotCertificate);
}

}  // namespace
}  // namespace trust::x509
