// Certificates as both the compiler and the runtime see them: one parser, one set of facts,
// one fingerprint, so the two sides always agree on what a certificate is.
#pragma once

#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "runtime/x509/dn.h"

namespace trust::x509 {

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

enum class KeyType { kRsa, kDsa, kEc, kEd25519, kEd448, kOther };

// Everything the lint rules and the artifacts need, computed once at load time.
struct CertFacts {
  std::string subject;  // RFC 4514 text, most specific RDN first: "CN=x,O=y,C=US"
  std::string issuer;   // same form
  // The names as structures, parsed again from the text above when asked for: held for every
  // certificate, they were an eighth of a 100,000-certificate build's memory, and few checks
  // look at them. SetNames sets both forms.
  DistinguishedName SubjectDn() const { return NameFromText(subject, subject_kept); }
  DistinguishedName IssuerDn() const { return NameFromText(issuer, issuer_kept); }
  void SetNames(const DistinguishedName& subject_dn, const DistinguishedName& issuer_dn);
  // Set only for a name whose text does not parse back to exactly the certificate's name, so
  // that no name is ever changed. The only ones known are empty names (ParseDn refuses empty
  // text): 2 of the 1,010 names of the certificate corpus that dn_vectors_test reads.
  std::shared_ptr<const DistinguishedName> subject_kept;
  std::shared_ptr<const DistinguishedName> issuer_kept;
  std::string serial_decimal;
  int64_t not_before = 0;  // seconds since the Unix epoch, UTC
  int64_t not_after = 0;
  KeyType key_type = KeyType::kOther;
  int key_bits = 0;
  std::string signature_hash;  // lower case: "sha256", "sha1", "md5"; "" when intrinsic (Ed25519)
  bool is_ca = false;          // basicConstraints CA:TRUE
  bool has_key_usage = false;
  bool key_cert_sign = false;  // keyUsage keyCertSign (meaningful only with has_key_usage)
  bool self_signed = false;    // subject == issuer and the signature verifies with its own key
  std::string sha256;          // lower-case hex of the DER, no separators
  // Where the certificate says its revocation status is published: the URIs of its Authority
  // Information Access OCSP entries and of its CRL distribution points (full names), in
  // certificate order. Other name forms (directory names, relative names) are left out.
  std::vector<std::string> ocsp_urls;
  std::vector<std::string> crl_urls;

 private:
  static DistinguishedName NameFromText(const std::string& text,
                                        const std::shared_ptr<const DistinguishedName>& kept);
};

// Where certificates that do not hold their DER keep it: a large build checks its certificates
// by their facts and needs the DER of most of them only when it writes bundles, so the compiler
// spills it to a file (compiler/facts/der_spill.h) instead of holding 70 MB at 100,000
// certificates.
class DerStore {
 public:
  virtual ~DerStore() = default;
  // The `size` bytes stored at `offset`; throws DerUnavailable when they cannot be read back.
  virtual std::vector<uint8_t> Read(uint64_t offset, uint32_t size) const = 0;
};

// A stored DER that cannot be read back (an I/O error on the store's file): the command stops
// with this message rather than go on without the certificate's bytes.
class DerUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Certificate {
 public:
  Certificate(X509Ptr x509, std::vector<uint8_t> der, CertFacts facts);
  // From facts computed earlier (FactsCache): the X509 object is decoded only if asked for,
  // because decoding (its public key above all) is what loading a certificate costs.
  Certificate(std::vector<uint8_t> der, CertFacts facts);
  // The same with the DER kept in `store` (`size` bytes at `offset`), read back when asked for.
  Certificate(std::shared_ptr<const DerStore> store, uint64_t offset, uint32_t size,
              CertFacts facts);
  const CertFacts& facts() const { return facts_; }
  // The DER, held or read back from its store (which may throw DerUnavailable).
  std::vector<uint8_t> der() const;
  bool der_stored() const { return store_ != nullptr; }  // in a DerStore rather than held
  X509* x509() const;
  // True if this certificate names `issuer` as its issuer and `issuer`'s public key verifies
  // its signature.
  bool IsSignedBy(const Certificate& issuer) const;

 private:
  mutable std::once_flag decoded_;
  mutable X509Ptr x509_;
  std::vector<uint8_t> der_;               // empty when the store keeps it
  std::shared_ptr<const DerStore> store_;  // set when it does
  uint64_t stored_at_ = 0;
  uint32_t stored_size_ = 0;
  CertFacts facts_;
};

enum class LoadErrorKind {
  kEmpty,           // zero bytes or only white space
  kNotCertificate,  // neither a PEM CERTIFICATE block nor DER X.509 (garbage, truncated)
  kPrivateKey,      // a private key in the file: it must never travel
  kMultiple,        // more than one certificate
  kOtherPemBlock,   // a CSR, a CRL, a public key, PKCS#7, ... anything but one CERTIFICATE
};

struct LoadError {
  LoadErrorKind kind;
  std::string message;  // lower case, no final period, says what was found
};

using LoadResult = std::variant<std::shared_ptr<const Certificate>, LoadError>;

// Parses the bytes of a certificate file: PEM with exactly one CERTIFICATE block, or DER.
LoadResult ParseCertificate(std::string_view bytes);

// What a keystore listing shows of a stored certificate, read straight from the DER without
// decoding the public key (the expensive part of d2i_X509): a 10,000-entry store is listed in
// milliseconds, not seconds. Nothing is validated beyond the fields read.
struct CertSummary {
  std::string subject;  // RFC 4514, as in CertFacts
  int64_t not_after = 0;
};
std::optional<CertSummary> SummarizeCertificate(std::string_view der);

// "2031-03-01T12:00:00Z"
std::string FormatUtc(int64_t seconds_since_epoch);

}  // namespace trust::x509
