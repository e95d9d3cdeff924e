// Loading a certificate file. The PEM scanner is our own rather than OpenSSL's reader because
// the language needs to see every block in the file (a private key next to a certificate must
// be refused, not skipped); OpenSSL then decodes the one CERTIFICATE block we picked.
#include "runtime/x509/certificate.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include "base/digest.h"

namespace trust::x509 {
namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

struct BignumDeleter {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
using BignumPtr = std::unique_ptr<BIGNUM, BignumDeleter>;

struct EvpPkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyDeleter>;

struct X509SigDeleter {
  void operator()(X509_SIG* sig) const { X509_SIG_free(sig); }
};
using X509SigPtr = std::unique_ptr<X509_SIG, X509SigDeleter>;

// For memory OpenSSL allocates for us (PEM names and data, BN_bn2dec text).
struct OpenSslFreeDeleter {
  void operator()(void* memory) const { OPENSSL_free(memory); }
};
using OpenSslCharsPtr = std::unique_ptr<char, OpenSslFreeDeleter>;
using OpenSslBytesPtr = std::unique_ptr<unsigned char, OpenSslFreeDeleter>;

// Real PEM labels are short; the cap keeps the END search linear on hostile input.
constexpr size_t kMaxPemLabel = 64;
constexpr std::string_view kPemBegin = "-----BEGIN ";
constexpr std::string_view kPemDashes = "-----";

LoadError Error(LoadErrorKind kind, std::string message) { return {kind, std::move(message)}; }

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

bool IsBlank(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

// ---------------------------------------------------------------------------------------------
// Facts

std::optional<int64_t> ToUnixSeconds(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    return std::nullopt;
  }
  using std::chrono::day;
  using std::chrono::month;
  using std::chrono::year;
  const std::chrono::year_month_day date{year{tm.tm_year + 1900},
                                         month{static_cast<unsigned>(tm.tm_mon + 1)},
                                         day{static_cast<unsigned>(tm.tm_mday)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  const int64_t days = std::chrono::sys_days{date}.time_since_epoch().count();
  return days * 86400 + int64_t{tm.tm_hour} * 3600 + int64_t{tm.tm_min} * 60 + tm.tm_sec;
}

std::string SerialDecimal(const ASN1_INTEGER* serial) {
  BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
  if (bn == nullptr) {
    return "";
  }
  OpenSslCharsPtr text(BN_bn2dec(bn.get()));
  return text == nullptr ? "" : std::string(text.get());
}

KeyType KeyTypeOf(const EVP_PKEY* key) {
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

// Lower-case digest name, "" when the algorithm has no separate digest (Ed25519, Ed448).
std::string SignatureHash(X509* x509) {
  int md_nid = NID_undef;
  if (X509_get_signature_info(x509, &md_nid, nullptr, nullptr, nullptr) != 1) {
    int pkey_nid = NID_undef;
    if (OBJ_find_sigid_algs(X509_get_signature_nid(x509), &md_nid, &pkey_nid) != 1) {
      md_nid = NID_undef;
    }
  }
  const char* name = md_nid == NID_undef ? nullptr : OBJ_nid2sn(md_nid);
  std::string out = name == nullptr ? "" : name;
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
  return out;
}

bool VerifiesWith(X509* x509, EVP_PKEY* key) {
  const bool ok = key != nullptr && X509_verify(x509, key) == 1;
  ERR_clear_error();
  return ok;
}

// The certificate decoded with the default providers: its public key usable. Facts are read
// from a keyless decode (DecodeDerCertificate); this is for the few checks that need the key.
X509Ptr DecodeWithKey(std::span<const uint8_t> der) {
  const unsigned char* in = der.data();
  X509Ptr x509(d2i_X509(nullptr, &in, static_cast<long>(der.size())));
  ERR_clear_error();
  return x509;
}

bool IsSelfSigned(X509* x509, std::span<const uint8_t> der) {
  if (X509_NAME_cmp(X509_get_subject_name(x509), X509_get_issuer_name(x509)) != 0) {
    return false;
  }
  X509Ptr with_key = DecodeWithKey(der);
  return with_key != nullptr && VerifiesWith(with_key.get(), X509_get0_pubkey(with_key.get()));
}

int BitLength(std::string_view unsigned_big_endian) {
  size_t i = 0;
  while (i < unsigned_big_endian.size() && unsigned_big_endian[i] == 0) ++i;
  if (i == unsigned_big_endian.size()) return 0;
  int bits = static_cast<int>(unsigned_big_endian.size() - i - 1) * 8;
  for (auto top = static_cast<unsigned char>(unsigned_big_endian[i]); top != 0; top >>= 1) ++bits;
  return bits;
}

// The value of the first INTEGER inside the SEQUENCE `der` (RSAPublicKey's modulus).
std::optional<std::string_view> FirstInteger(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  long length = 0;
  int tag = 0, cls = 0;
  if (ASN1_get_object(&p, &length, &tag, &cls, static_cast<long>(der.size())) & 0x80 ||
      tag != V_ASN1_SEQUENCE) {
    ERR_clear_error();
    return std::nullopt;
  }
  const auto* end = reinterpret_cast<const unsigned char*>(der.data()) + der.size();
  if (ASN1_get_object(&p, &length, &tag, &cls, end - p) & 0x80 || tag != V_ASN1_INTEGER) {
    ERR_clear_error();
    return std::nullopt;
  }
  return std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(length));
}

using EcGroupPtr = std::unique_ptr<EC_GROUP, decltype(&EC_GROUP_free)>;

// A named curve, made once per curve (a handful at most) and freed at exit (before OpenSSL's
// own cleanup, which was registered first); nullptr when OpenSSL does not know it. Groups are
// only read once made, so threads may share them.
const EC_GROUP* CurveGroup(int curve_nid) {
  static std::mutex mutex;
  static std::map<int, EcGroupPtr> groups;
  std::lock_guard lock(mutex);
  auto it = groups.find(curve_nid);
  if (it == groups.end()) {
    EcGroupPtr group(EC_GROUP_new_by_curve_name(curve_nid), EC_GROUP_free);
    ERR_clear_error();
    it = groups.emplace(curve_nid, std::move(group)).first;
  }
  return it->second.get();
}

// Bits of the EC public key `point` on `curve_nid` (the curve's order, as EVP_PKEY_get_bits
// reports), or 0 when OpenSSL would not decode it: an unknown curve, or a point that is not on
// the curve or not of the curve's length.
int EcKeyBits(int curve_nid, std::string_view point) {
  const EC_GROUP* group = CurveGroup(curve_nid);
  if (group == nullptr) return 0;
  std::unique_ptr<EC_POINT, decltype(&EC_POINT_free)> decoded(EC_POINT_new(group), EC_POINT_free);
  bool valid =
      decoded != nullptr &&
      EC_POINT_oct2point(group, decoded.get(), reinterpret_cast<const unsigned char*>(point.data()),
                         point.size(), nullptr) == 1;
  ERR_clear_error();
  return valid ? EC_GROUP_order_bits(group) : 0;
}

// Key type and size read from the SubjectPublicKeyInfo itself: decoding the key through the
// providers is what makes d2i_X509 cost 100-190 µs. False when the key is not one of ours or
// does not parse; the caller then asks OpenSSL.
bool KeyFactsFromSpki(X509* x509, CertFacts* facts) {
  const ASN1_OBJECT* algorithm = nullptr;
  const unsigned char* key = nullptr;
  int key_length = 0;
  X509_ALGOR* parameters = nullptr;
  if (X509_PUBKEY_get0_param(const_cast<ASN1_OBJECT**>(&algorithm), &key, &key_length, &parameters,
                             X509_get_X509_PUBKEY(x509)) != 1) {
    ERR_clear_error();
    return false;
  }
  std::string_view bits(reinterpret_cast<const char*>(key), static_cast<size_t>(key_length));
  const ASN1_OBJECT* curve = nullptr;
  int parameter_type = V_ASN1_UNDEF;
  const void* parameter = nullptr;
  if (parameters != nullptr) X509_ALGOR_get0(nullptr, &parameter_type, &parameter, parameters);
  switch (OBJ_obj2nid(algorithm)) {
    case NID_rsaEncryption:
    case NID_rsassaPss:
      if (auto modulus = FirstInteger(bits)) {
        facts->key_type = KeyType::kRsa;
        facts->key_bits = BitLength(*modulus);
        return facts->key_bits > 0;
      }
      return false;
    case NID_X9_62_id_ecPublicKey:
      if (parameter_type != V_ASN1_OBJECT) return false;  // explicit curve parameters
      curve = static_cast<const ASN1_OBJECT*>(parameter);
      // Uncompressed or compressed points only; hybrid ones (rare) go to OpenSSL.
      if (bits.empty() || (bits[0] != 4 && bits[0] != 2 && bits[0] != 3)) return false;
      facts->key_type = KeyType::kEc;
      facts->key_bits = EcKeyBits(OBJ_obj2nid(curve), bits);
      return facts->key_bits > 0;
    case NID_ED25519:
      facts->key_type = KeyType::kEd25519;
      facts->key_bits = 253;  // as EVP_PKEY_get_bits reports
      return key_length == 32;
    case NID_ED448:
      facts->key_type = KeyType::kEd448;
      facts->key_bits = 456;
      return key_length == 57;
    default:
      return false;
  }
}

void FillKeyFacts(X509* x509, std::span<const uint8_t> der, CertFacts* facts) {
  if (KeyFactsFromSpki(x509, facts)) return;
  facts->key_type = KeyType::kOther;
  facts->key_bits = 0;
  X509Ptr with_key = DecodeWithKey(der);
  const EVP_PKEY* key = with_key ? X509_get0_pubkey(with_key.get()) : nullptr;
  ERR_clear_error();
  if (key == nullptr) {
    return;  // an algorithm OpenSSL cannot decode: kOther, 0 bits
  }
  facts->key_type = KeyTypeOf(key);
  facts->key_bits = EVP_PKEY_get_bits(key);
}

// The text of a GENERAL_NAME that is a URI, else nullopt.
std::optional<std::string> UriText(const GENERAL_NAME* name) {
  if (name == nullptr || name->type != GEN_URI) return std::nullopt;
  const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                     static_cast<size_t>(ASN1_STRING_length(uri)));
}

std::vector<std::string> OcspUrls(X509* x509) {
  std::vector<std::string> urls;
  auto* info = static_cast<AUTHORITY_INFO_ACCESS*>(
      X509_get_ext_d2i(x509, NID_info_access, nullptr, nullptr));
  for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(info); ++i) {
    const ACCESS_DESCRIPTION* access = sk_ACCESS_DESCRIPTION_value(info, i);
    if (OBJ_obj2nid(access->method) != NID_ad_OCSP) continue;
    if (auto uri = UriText(access->location)) urls.push_back(std::move(*uri));
  }
  AUTHORITY_INFO_ACCESS_free(info);
  return urls;
}

std::vector<std::string> CrlUrls(X509* x509) {
  std::vector<std::string> urls;
  auto* points = static_cast<CRL_DIST_POINTS*>(
      X509_get_ext_d2i(x509, NID_crl_distribution_points, nullptr, nullptr));
  for (int i = 0; i < sk_DIST_POINT_num(points); ++i) {
    const DIST_POINT_NAME* name = sk_DIST_POINT_value(points, i)->distpoint;
    if (name == nullptr || name->type != 0) continue;  // 0: fullName
    for (int j = 0; j < sk_GENERAL_NAME_num(name->name.fullname); ++j) {
      if (auto uri = UriText(sk_GENERAL_NAME_value(name->name.fullname, j))) {
        urls.push_back(std::move(*uri));
      }
    }
  }
  CRL_DIST_POINTS_free(points);
  return urls;
}

std::variant<CertFacts, LoadError> ComputeFacts(X509* x509, std::span<const uint8_t> der) {
  const uint32_t flags = X509_get_extension_flags(x509);
  // OpenSSL refuses such certificates in every chain; facts read from them would be guesses.
  if ((flags & EXFLAG_INVALID) != 0) {
    return Error(LoadErrorKind::kNotCertificate,
                 "the certificate has invalid or duplicate extensions");
  }
  CertFacts facts;
  facts.SetNames(DnFromX509Name(X509_get_subject_name(x509)),
                 DnFromX509Name(X509_get_issuer_name(x509)));
  facts.serial_decimal = SerialDecimal(X509_get0_serialNumber(x509));
  const std::optional<int64_t> not_before = ToUnixSeconds(X509_get0_notBefore(x509));
  const std::optional<int64_t> not_after = ToUnixSeconds(X509_get0_notAfter(x509));
  if (!not_before || !not_after) {
    return Error(LoadErrorKind::kNotCertificate, "the certificate has an invalid validity time");
  }
  facts.not_before = *not_before;
  facts.not_after = *not_after;
  FillKeyFacts(x509, der, &facts);
  facts.signature_hash = SignatureHash(x509);
  facts.is_ca = (flags & EXFLAG_CA) != 0;
  facts.has_key_usage = (flags & EXFLAG_KUSAGE) != 0;
  facts.key_cert_sign = facts.has_key_usage && (X509_get_key_usage(x509) & KU_KEY_CERT_SIGN) != 0;
  facts.self_signed = IsSelfSigned(x509, der);
  facts.sha256 = base::Sha256Hex(der);
  facts.ocsp_urls = OcspUrls(x509);
  facts.crl_urls = CrlUrls(x509);
  return facts;
}

// The DER is re-encoded by OpenSSL, so the fingerprint is the one `openssl x509 -fingerprint`
// prints even for a file whose encoding was not canonical.
LoadResult MakeCertificate(X509Ptr x509) {
  const int length = i2d_X509(x509.get(), nullptr);
  if (length <= 0) {
    ERR_clear_error();
    return Error(LoadErrorKind::kNotCertificate, "the certificate cannot be re-encoded as DER");
  }
  std::vector<uint8_t> der(static_cast<size_t>(length));
  unsigned char* out = der.data();
  i2d_X509(x509.get(), &out);
  std::variant<CertFacts, LoadError> facts = ComputeFacts(x509.get(), der);
  ERR_clear_error();
  if (auto* error = std::get_if<LoadError>(&facts)) {
    return std::move(*error);
  }
  // Not x509 itself: it was decoded without its key (DecodeDerCertificate); the certificate
  // decodes itself again, with the key, only if a signature is to be checked.
  return std::make_shared<const Certificate>(std::move(der), std::move(std::get<CertFacts>(facts)));
}

// ---------------------------------------------------------------------------------------------
// DER

struct DerCertificate {
  X509Ptr x509;
  size_t consumed = 0;
};

// A library context with only the null provider: d2i_X509 in it parses everything but the
// public key (which it cannot decode there, and tolerates), a third of the default cost.
OSSL_LIB_CTX* KeylessContext() {
  static OSSL_LIB_CTX* context = [] {
    OSSL_LIB_CTX* made = OSSL_LIB_CTX_new();
    if (made != nullptr && OSSL_PROVIDER_load(made, "null") == nullptr) {
      OSSL_LIB_CTX_free(made);  // without it the default provider would load on first use
      made = nullptr;
    }
    ERR_clear_error();
    return made;
  }();
  return context;
}

// Decoded without the public key (KeylessContext): enough for every fact but the key's, which
// KeyFactsFromSpki reads. Falls back to the default context if the keyless one is missing.
DerCertificate DecodeDerCertificate(std::string_view bytes) {
  if (bytes.size() > static_cast<size_t>(LONG_MAX)) {
    return {};
  }
  const unsigned char* cursor = Bytes(bytes);
  X509* into = KeylessContext() != nullptr ? X509_new_ex(KeylessContext(), nullptr) : nullptr;
  X509* decoded =
      d2i_X509(into != nullptr ? &into : nullptr, &cursor, static_cast<long>(bytes.size()));
  if (decoded == nullptr) X509_free(into);  // null already when d2i freed it on failure
  X509Ptr x509(decoded);
  ERR_clear_error();
  if (x509 == nullptr) {
    return {};
  }
  return {std::move(x509), static_cast<size_t>(cursor - Bytes(bytes))};
}

bool IsDerPrivateKey(std::string_view bytes) {
  if (bytes.size() > static_cast<size_t>(LONG_MAX)) {
    return false;
  }
  const unsigned char* cursor = Bytes(bytes);
  EvpPkeyPtr key(d2i_AutoPrivateKey(nullptr, &cursor, static_cast<long>(bytes.size())));
  ERR_clear_error();
  if (key != nullptr) {
    return true;
  }
  cursor = Bytes(bytes);  // encrypted PKCS#8 is still a private key
  X509SigPtr encrypted(d2i_X509_SIG(nullptr, &cursor, static_cast<long>(bytes.size())));
  ERR_clear_error();
  return encrypted != nullptr && cursor == Bytes(bytes) + bytes.size();
}

// A file cut short: the outer SEQUENCE announces more bytes than the file holds.
std::optional<std::string> TruncationMessage(std::string_view bytes) {
  const unsigned char* cursor = Bytes(bytes);
  long length = 0;
  int tag = 0;
  int xclass = 0;
  const int result =
      ASN1_get_object(&cursor, &length, &tag, &xclass, static_cast<long>(bytes.size()));
  ERR_clear_error();
  if (result != (0x80 | V_ASN1_CONSTRUCTED) || tag != V_ASN1_SEQUENCE || length <= 0) {
    return std::nullopt;
  }
  const auto needed = static_cast<size_t>(cursor - Bytes(bytes)) + static_cast<size_t>(length);
  if (needed <= bytes.size()) {
    return std::nullopt;
  }
  return "truncated DER: the outer SEQUENCE needs " + std::to_string(needed) +
         " bytes but the file has " + std::to_string(bytes.size());
}

LoadResult ParseDer(std::string_view bytes) {
  DerCertificate decoded = DecodeDerCertificate(bytes);
  if (decoded.x509 != nullptr && decoded.consumed == bytes.size()) {
    return MakeCertificate(std::move(decoded.x509));
  }
  if (decoded.x509 != nullptr) {
    return Error(LoadErrorKind::kNotCertificate,
                 "a DER certificate followed by " +
                     std::to_string(bytes.size() - decoded.consumed) + " trailing bytes");
  }
  if (IsDerPrivateKey(bytes)) {
    return Error(LoadErrorKind::kPrivateKey,
                 "the file is a DER private key, which must never travel with certificates");
  }
  if (std::optional<std::string> truncated = TruncationMessage(bytes)) {
    return Error(LoadErrorKind::kNotCertificate, std::move(*truncated));
  }
  return Error(LoadErrorKind::kNotCertificate, "not a PEM or DER certificate");
}

// ---------------------------------------------------------------------------------------------
// PEM

struct PemBlock {
  std::string label;
  size_t begin = 0;         // offset of "-----BEGIN"
  size_t end = 0;           // one past the END line's closing dashes
  bool terminated = false;  // false: no END line, or the BEGIN line itself is malformed
  bool malformed = false;   // the BEGIN line lacks its closing dashes
};

bool IsPrivateKeyLabel(std::string_view label) {
  return label.find("PRIVATE KEY") != std::string_view::npos;
}

// Labels quoted in messages: printable ASCII only, so hostile bytes stay out of diagnostics.
std::string Printable(std::string_view label) {
  std::string out;
  for (char c : label) {
    out.push_back(c >= ' ' && c < 0x7F && c != '`' ? c : '?');
  }
  return out;
}

size_t LineOf(std::string_view text, size_t offset) {
  return 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

// The label after "-----BEGIN " at `begin`, looked for only in a short window so hostile input
// with thousands of markers stays linear. Malformed (no closing dashes on the line): nullopt,
// with whatever the line holds in *partial.
std::optional<std::string_view> LabelAt(std::string_view text, size_t begin,
                                        std::string_view* partial) {
  const size_t label_start = begin + kPemBegin.size();
  std::string_view window = text.substr(label_start, kMaxPemLabel + kPemDashes.size());
  window = window.substr(0, window.find_first_of("\r\n"));
  const size_t dashes = window.find(kPemDashes);
  if (dashes == std::string_view::npos) {
    *partial = window.substr(0, kMaxPemLabel);
    return std::nullopt;
  }
  return window.substr(0, dashes);
}

// One block starting at `begin`. Everything after an unterminated block belongs to it.
PemBlock ScanPemBlock(std::string_view text, size_t begin) {
  PemBlock block;
  block.begin = begin;
  std::string_view partial;
  const std::optional<std::string_view> label = LabelAt(text, begin, &partial);
  block.label = label.value_or(partial);
  block.malformed = !label;
  if (block.malformed) {
    return block;
  }
  const size_t body = begin + kPemBegin.size() + label->size() + kPemDashes.size();
  const std::string end_marker = "-----END " + block.label + "-----";
  const size_t end = text.find(end_marker, body);
  if (end == std::string_view::npos) {
    return block;
  }
  block.end = end + end_marker.size();
  block.terminated = true;
  return block;
}

std::vector<PemBlock> ScanPemBlocks(std::string_view text) {
  std::vector<PemBlock> blocks;
  size_t pos = 0;
  while ((pos = text.find(kPemBegin, pos)) != std::string_view::npos) {
    blocks.push_back(ScanPemBlock(text, pos));
    if (!blocks.back().terminated) {
      break;
    }
    pos = blocks.back().end;
  }
  return blocks;
}

// Every BEGIN marker, even inside or after a broken block: a key anywhere refuses the file.
std::optional<std::string> FindPrivateKeyLabel(std::string_view text) {
  size_t pos = 0;
  while ((pos = text.find(kPemBegin, pos)) != std::string_view::npos) {
    std::string_view partial;
    const std::string_view label = LabelAt(text, pos, &partial).value_or(partial);
    if (IsPrivateKeyLabel(label)) {
      return std::string(label);
    }
    pos += kPemBegin.size();
  }
  return std::nullopt;
}

// Why a non-certificate block is there, for the kinds people actually paste by mistake.
std::string DescribeOtherBlock(std::string_view label) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kKnown = {{
      {"CERTIFICATE REQUEST", "a certificate signing request"},
      {"NEW CERTIFICATE REQUEST", "a certificate signing request"},
      {"X509 CRL", "a certificate revocation list"},
      {"PUBLIC KEY", "a public key"},
      {"RSA PUBLIC KEY", "a public key"},
      {"PKCS7", "a PKCS#7 structure"},
      {"CMS", "a CMS structure"},
      {"TRUSTED CERTIFICATE", "a certificate with OpenSSL trust settings"},
      {"X509 CERTIFICATE", "an old-style certificate label"},
      {"EC PARAMETERS", "EC key parameters"},
  }};
  const std::string quoted = "found a `" + Printable(label) + "` block";
  for (const auto& [known, description] : kKnown) {
    if (label == known) {
      return quoted + ": " + std::string(description) + ", not a certificate";
    }
  }
  return quoted + ", expected exactly one `CERTIFICATE` block";
}

// The file-level rules, in order of importance: a key first, whatever else is there.
std::optional<LoadError> CheckPemBlocks(std::string_view text,
                                        const std::vector<PemBlock>& blocks) {
  if (std::optional<std::string> key = FindPrivateKeyLabel(text)) {
    return Error(LoadErrorKind::kPrivateKey,
                 "found a `" + Printable(*key) +
                     "` block: a private key must never travel with a certificate");
  }
  if (blocks.empty()) {
    return Error(LoadErrorKind::kNotCertificate, "not a PEM or DER certificate");
  }
  if (const PemBlock& last = blocks.back(); !last.terminated) {
    const std::string label = Printable(last.label);
    const std::string line = std::to_string(LineOf(text, last.begin));
    if (last.malformed) {
      return Error(LoadErrorKind::kNotCertificate,
                   "malformed PEM line `-----BEGIN " + label + "` at line " + line);
    }
    return Error(LoadErrorKind::kNotCertificate, "`-----BEGIN " + label + "-----` at line " + line +
                                                     " has no matching `-----END " + label +
                                                     "-----`");
  }
  const auto certificates = std::count_if(
      blocks.begin(), blocks.end(), [](const PemBlock& b) { return b.label == "CERTIFICATE"; });
  if (certificates > 1) {
    return Error(LoadErrorKind::kMultiple, "found " + std::to_string(certificates) +
                                               " `CERTIFICATE` blocks, expected exactly one");
  }
  for (const PemBlock& block : blocks) {
    if (block.label != "CERTIFICATE") {
      return Error(LoadErrorKind::kOtherPemBlock, DescribeOtherBlock(block.label));
    }
  }
  return std::nullopt;
}

// Base64 decoding by OpenSSL, on the block alone (its reader wants BEGIN at a line start).
std::optional<std::string> DecodePemBody(std::string_view text, const PemBlock& block) {
  std::string isolated(text.substr(block.begin, block.end - block.begin));
  isolated.push_back('\n');
  if (isolated.size() > static_cast<size_t>(INT_MAX)) {
    return std::nullopt;
  }
  BioPtr bio(BIO_new_mem_buf(isolated.data(), static_cast<int>(isolated.size())));
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long length = 0;
  const int ok = bio != nullptr && PEM_read_bio(bio.get(), &name, &header, &data, &length) == 1;
  const OpenSslCharsPtr owned_name(name);
  const OpenSslCharsPtr owned_header(header);
  const OpenSslBytesPtr owned_data(data);
  ERR_clear_error();
  if (!ok || length <= 0) {
    return std::nullopt;
  }
  return std::string(reinterpret_cast<const char*>(data), static_cast<size_t>(length));
}

LoadResult ParsePem(std::string_view text) {
  const std::vector<PemBlock> blocks = ScanPemBlocks(text);
  if (std::optional<LoadError> error = CheckPemBlocks(text, blocks)) {
    return std::move(*error);
  }
  const PemBlock& block = blocks.front();
  const std::string where =
      "the `CERTIFICATE` block at line " + std::to_string(LineOf(text, block.begin));
  const std::optional<std::string> der = DecodePemBody(text, block);
  if (!der) {
    return Error(LoadErrorKind::kNotCertificate, where + " is not valid PEM base64");
  }
  // The certificate first: OpenSSL 3 builds a decoder context per private-key attempt
  // (about 90% of loading a certificate). No DER is both a whole certificate and a key (a
  // certificate's SEQUENCE opens with a SEQUENCE, a key's with an INTEGER or an algorithm
  // followed by an OCTET STRING), so the order changes no verdict.
  DerCertificate decoded = DecodeDerCertificate(*der);
  if (decoded.x509 != nullptr && decoded.consumed == der->size()) {
    return MakeCertificate(std::move(decoded.x509));
  }
  if (IsDerPrivateKey(*der)) {
    return Error(LoadErrorKind::kPrivateKey,
                 where + " holds a private key, which must never travel with certificates");
  }
  return Error(LoadErrorKind::kNotCertificate, where + " does not hold a valid X.509 certificate");
}

LoadResult ParseAny(std::string_view bytes) {
  if (bytes.empty()) {
    return Error(LoadErrorKind::kEmpty, "the file is empty");
  }
  if (IsBlank(bytes)) {
    return Error(LoadErrorKind::kEmpty, "the file holds only white space");
  }
  // DER first: a binary certificate could contain the PEM marker inside one of its strings.
  DerCertificate decoded = DecodeDerCertificate(bytes);
  if (decoded.x509 != nullptr && decoded.consumed == bytes.size()) {
    return MakeCertificate(std::move(decoded.x509));
  }
  if (bytes.find(kPemBegin) != std::string_view::npos) {
    return ParsePem(bytes);
  }
  return ParseDer(bytes);
}

}  // namespace

void CertFacts::SetNames(const DistinguishedName& subject_dn, const DistinguishedName& issuer_dn) {
  // The text, and the structure too when the text would not give it back exactly.
  auto set = [](const DistinguishedName& dn, std::string* text,
                std::shared_ptr<const DistinguishedName>* kept) {
    *text = FormatDn(dn);
    std::string error;
    std::optional<DistinguishedName> parsed = ParseDn(*text, &error);
    *kept = parsed && *parsed == dn ? nullptr : std::make_shared<const DistinguishedName>(dn);
  };
  set(subject_dn, &subject, &subject_kept);
  set(issuer_dn, &issuer, &issuer_kept);
}

DistinguishedName CertFacts::NameFromText(const std::string& text,
                                          const std::shared_ptr<const DistinguishedName>& kept) {
  if (kept != nullptr) return *kept;
  std::string error;
  // Parses: SetNames kept the structure of any text that does not (and the facts cache
  // authenticates what it stores). An empty name, which matches no other, if it ever did not.
  return ParseDn(text, &error).value_or(DistinguishedName{});
}

Certificate::Certificate(X509Ptr x509, std::vector<uint8_t> der, CertFacts facts)
    : x509_(std::move(x509)), der_(std::move(der)), facts_(std::move(facts)) {}

Certificate::Certificate(std::vector<uint8_t> der, CertFacts facts)
    : der_(std::move(der)), facts_(std::move(facts)) {}

Certificate::Certificate(std::shared_ptr<const DerStore> store, uint64_t offset, uint32_t size,
                         CertFacts facts)
    : store_(std::move(store)), stored_at_(offset), stored_size_(size), facts_(std::move(facts)) {}

std::vector<uint8_t> Certificate::der() const {
  return store_ != nullptr ? store_->Read(stored_at_, stored_size_) : der_;
}

X509* Certificate::x509() const {
  std::call_once(decoded_, [this] {
    if (x509_ == nullptr) x509_ = DecodeWithKey(der());
  });
  return x509_.get();
}

bool Certificate::IsSignedBy(const Certificate& issuer) const {
  // Names first: they are in the facts, while the signature needs both keys decoded.
  if (!DnEqual(facts_.IssuerDn(), issuer.facts().SubjectDn())) return false;
  X509* issuer_x509 = issuer.x509();
  if (issuer_x509 == nullptr) return false;
  // The issuer stays decoded (a CA signs many of a program's certificates); this one is decoded
  // for the check only: it is usually a leaf, checked once, and keeping every leaf decoded held
  // a few hundred bytes to kilobytes per certificate until the end of a build.
  X509Ptr decoded = DecodeWithKey(der());
  return decoded != nullptr && VerifiesWith(decoded.get(), X509_get0_pubkey(issuer_x509));
}

namespace {

// Steps over DER headers. Each call reads one TLV header at `p_`; Enter() moves into a
// constructed value, Skip() past any value.
class DerCursor {
 public:
  explicit DerCursor(std::string_view der)
      : p_(reinterpret_cast<const unsigned char*>(der.data())), end_(p_ + der.size()) {}

  bool Enter(int tag) { return Header(tag, -1); }
  bool Skip() {
    if (!Header(-1, -1)) return false;
    p_ += length_;
    return true;
  }
  // Skips an optional context-specific [n] value (the certificate version).
  void SkipOptionalContext(int n) {
    const unsigned char* start = p_;
    if (Header(n, V_ASN1_CONTEXT_SPECIFIC)) {
      p_ += length_;
    } else {
      p_ = start;
    }
  }
  const unsigned char** position() { return &p_; }
  long remaining() const { return static_cast<long>(end_ - p_); }

 private:
  bool Header(int tag, int cls) {
    if (p_ >= end_) return false;
    int got_tag = 0;
    int got_class = 0;
    const int flags = ASN1_get_object(&p_, &length_, &got_tag, &got_class, remaining());
    ERR_clear_error();
    if ((flags & 0x80) != 0 || (flags & 0x01) != 0) return false;  // error or indefinite length
    if (tag >= 0 && got_tag != tag) return false;
    return cls < 0 || got_class == cls;
  }

  const unsigned char* p_;
  const unsigned char* end_;
  long length_ = 0;
};

struct Asn1TimeDeleter {
  void operator()(ASN1_TIME* t) const { ASN1_TIME_free(t); }
};
struct X509NameDeleter {
  void operator()(X509_NAME* n) const { X509_NAME_free(n); }
};

}  // namespace

// Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber,
//   signature, issuer, validity SEQUENCE { notBefore, notAfter }, subject, ... }, ... }
std::optional<CertSummary> SummarizeCertificate(std::string_view der) {
  DerCursor cursor(der);
  if (!cursor.Enter(V_ASN1_SEQUENCE) || !cursor.Enter(V_ASN1_SEQUENCE)) return std::nullopt;
  cursor.SkipOptionalContext(0);
  if (!cursor.Skip() || !cursor.Skip() || !cursor.Skip() || !cursor.Enter(V_ASN1_SEQUENCE)) {
    return std::nullopt;  // serial, signature algorithm, issuer, then into validity
  }
  std::unique_ptr<ASN1_TIME, Asn1TimeDeleter> not_before(
      d2i_ASN1_TIME(nullptr, cursor.position(), cursor.remaining()));
  std::unique_ptr<ASN1_TIME, Asn1TimeDeleter> not_after(
      d2i_ASN1_TIME(nullptr, cursor.position(), cursor.remaining()));
  std::unique_ptr<X509_NAME, X509NameDeleter> subject(
      not_after ? d2i_X509_NAME(nullptr, cursor.position(), cursor.remaining()) : nullptr);
  ERR_clear_error();
  if (!not_before || !subject) return std::nullopt;
  std::optional<int64_t> seconds = ToUnixSeconds(not_after.get());
  if (!seconds) return std::nullopt;
  return CertSummary{FormatDn(DnFromX509Name(subject.get())), *seconds};
}

LoadResult ParseCertificate(std::string_view bytes) {
  ERR_clear_error();  // errors left by a caller must not be blamed on this file
  LoadResult result = ParseAny(bytes);
  ERR_clear_error();
  return result;
}

std::string FormatUtc(int64_t seconds_since_epoch) {
  using std::chrono::days;
  using std::chrono::seconds;
  const std::chrono::sys_seconds time{seconds{seconds_since_epoch}};
  const auto day_start = std::chrono::floor<days>(time);
  const std::chrono::year_month_day date{day_start};
  const int64_t in_day = (time - day_start).count();
  std::array<char, 64> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d-%02u-%02uT%02d:%02d:%02dZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(in_day / 3600),
                static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60));
  return buffer.data();
}

}  // namespace trust::x509
