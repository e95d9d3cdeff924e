// The resolved program: what the lowering phases read and the golden tests dump. No syntax is
// left: names are resolved to typed ids, templates merged, params interpolated, certificates
// loaded. Every entity keeps the SourceRange of the declaration it came from.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/source/source.h"
#include "runtime/keystore/format.h"
#include "runtime/x509/certificate.h"

namespace trust::ir {

using source::SourceRange;

enum class Purpose {
#define TRUST_PURPOSE(e, word, property) k##e,
#include "compiler/ir/purpose.def"
};
inline constexpr size_t kPurposeCount = 5;
std::string_view PurposeWord(Purpose purpose);
std::string_view PurposeProperty(Purpose purpose);
std::optional<Purpose> PurposeFromWord(std::string_view word);
const std::array<Purpose, kPurposeCount>& AllPurposes();

struct CertId {
  uint32_t index = 0;
  bool operator==(const CertId&) const = default;
  auto operator<=>(const CertId&) const = default;
};

// The reason `trustc import` gives every waiver of its baseline (the findings of what was
// already on the gateway); `trustc check --no-baseline` ignores allows with exactly this reason.
inline constexpr std::string_view kBaselineReason =
    "imported: present on the gateway at import time";

struct Allow {
  std::string rule;
  std::string reason;
  SourceRange range;
};

struct Cert {
  std::string name;          // as written by a user of the program: `x` or `module.x`
  std::string display_name;  // `name` item, default: the declared identifier
  std::string file;          // relative to the project root, '/'-separated
  std::shared_ptr<const x509::Certificate> certificate;
  std::optional<std::string> pin;  // normalised: 64 lower-case hex digits
  std::string note;
  std::vector<Allow> allows;
  bool from_stdlib = false;
  SourceRange range;
};

// One check of a revocation checking policy (docs/bundles.md, "Revocation checking policy").
struct RevocationCheck {
  bool ocsp = false;              // OCSP, else CRL
  bool from_certificate = false;  // the certificate's own URL (AIA OCSP, CRL distribution point)
  // The URL to ask; for the "from certificate" kinds, a regular expression the certificate's
  // URL must match.
  std::string url;
  bool allow_issuer_signature = false;
  std::vector<CertId> signers;  // trusted certificates of the gateway allowed to sign responses
  std::vector<SourceRange> signer_ranges;  // where each signer is named
  SourceRange range;
  SourceRange url_range;  // the URL string, when written
};

struct RevocationPolicy {
  std::string id;            // declared identifier
  std::string display_name;  // entity name on the gateway
  bool default_policy = false;
  bool continue_on_unavailable = false;
  bool default_success = false;
  std::vector<RevocationCheck> checks;
  SourceRange range;
};
using RevocationPolicyIndex = size_t;  // into Gateway::revocation_policies

struct Trust {
  CertId cert;
  std::string entity_name;
  bool anchor = false;
  std::array<bool, kPurposeCount> purposes{};
  bool verify_hostname = true;
  bool revocation_checking = true;
  std::string revocation_reason;  // when revocation_checking is false
  // A specific policy of the gateway (`revocation policy NAME`); none: the gateway's default.
  std::optional<RevocationPolicyIndex> revocation_policy;
  std::vector<Allow> allows;
  SourceRange range;
  bool Has(Purpose p) const { return purposes[static_cast<size_t>(p)]; }
};

struct User {
  std::string login;  // empty for a login-less user (`user name "NAME"`)
  // The gateway's `name` property, which also identifies the user within its provider (GOID,
  // mapping, diff): the login, or a login-less user's declared name.
  std::string name;
  std::string dn;  // as written (after interpolation)
  std::optional<CertId> cert;
  bool cert_attached =
      false;  // `attach CERT`: written to the user on the gateway, not only checked
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string note;
  SourceRange range;     // the login (or name)
  SourceRange dn_range;  // the `dn` string, when given
  // The certificate written to the user on the gateway, if any.
  std::optional<CertId> AttachedCert() const { return cert_attached ? cert : std::nullopt; }
};

enum class Validation {
#define TRUST_VALIDATION(e, word, dump, diff, restman, graphman) k##e,
#include "compiler/ir/validation.def"
};
// The columns of validation.def.
std::string_view ValidationWord(Validation validation);  // "" for the gateway's default
std::string_view ValidationDumpName(Validation validation);
std::string_view ValidationDiffName(Validation validation);
std::string_view ValidationRestmanValue(Validation validation);
std::string_view ValidationGraphmanValue(Validation validation);
std::optional<Validation> ValidationFromWord(std::string_view word);
std::optional<Validation> ValidationFromRestman(std::string_view value);
std::optional<Validation> ValidationFromGraphman(std::string_view value);

struct IdentityProvider {
  std::string id;            // declared identifier
  std::string display_name;  // entity name on the gateway
  bool x509 = false;
  bool saml = false;
  Validation validation = Validation::kGatewayDefault;
  std::vector<CertId> trusted;
  std::vector<User> users;
  SourceRange range;
};

enum class Mapping { kByName, kById };

struct Gateway {
  std::string name;
  Mapping mapping = Mapping::kByName;
  std::vector<Trust> trusts;
  std::vector<IdentityProvider> providers;
  std::vector<RevocationPolicy> revocation_policies;
  SourceRange range;
};

using KeystoreFormat = keystore::StoreFormat;  // jks, pkcs12 or pem

struct Password {
  enum class Kind { kEnv, kFile, kNone };
  Kind kind = Kind::kNone;
  std::string value;  // variable name or file path (may hold ${env:...})
};

struct KeystoreEntry {
  CertId cert;
  std::string alias;  // lower-cased for jks and pkcs12
  bool replace = false;
  std::optional<std::string> require_endpoint;
  SourceRange range;
};

struct Keystore {
  std::string name;
  std::string host;
  KeystoreFormat format = KeystoreFormat::kJks;
  std::string path;
  Password password;
  bool create = false;
  std::vector<KeystoreEntry> entries;
  std::vector<std::string> remove;
  SourceRange range;
};

enum class RequirePin { kNone, kAnchors, kAll };
enum class RuleLevel { kOff, kNote, kWarning, kError };

struct Policy {
  int min_rsa_bits = 2048;
  int min_ec_bits = 256;
  std::vector<std::string> forbid_signature = {"md5", "sha1"};
  int64_t warn_within_days = 30;
  RequirePin require_pin = RequirePin::kNone;
  std::map<std::string, RuleLevel> rule_levels;  // lint rule id -> level
};

// The build times at which every date rule decides as it did at the program's `build_time`
// (both ends included): a build at any of them reports the same. `trustc build` keeps an
// up-to-date output directory only inside it (compiler/driver/up_to_date.h).
struct DateWindow {
  int64_t from = std::numeric_limits<int64_t>::min();
  int64_t until = std::numeric_limits<int64_t>::max();
};

// A certificate file as the program read it, for the up-to-date check; one per certificate, so
// kept small (a 100,000-certificate program holds 100,000 of them). A language-server session's
// files are not listed: such a program makes no build record.
struct CertFileRead {
  // The path the compiler resolved (a module's directory joined with the `file` text) relative
  // to the project root, lexically: "" when it is where it led, as it is unless a link or `..`
  // led elsewhere.
  std::string named;
  CertId cert;                       // the certificate read: its `file` is where the path led
  std::array<uint8_t, 32> sha256{};  // of the bytes read
  uint64_t size = 0;                 // how many bytes were read
};

struct Program {
  std::string root_source;  // the root file, relative to the project root
  int64_t build_time = 0;   // seconds since the epoch: --now, SOURCE_DATE_EPOCH or the clock
  DateWindow dates;
  std::vector<CertFileRead> cert_files;
  std::vector<Cert> certs;
  std::vector<Gateway> gateways;
  std::vector<Keystore> keystores;
  Policy policy;
  const Cert& cert(CertId id) const { return certs.at(id.index); }
};

// A stable text form for golden tests and debugging.
std::string Dump(const Program& program);

}  // namespace trust::ir
