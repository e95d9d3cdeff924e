// The lint rules of docs/language.md, run on the resolved program. A finding is reported at
// the policy's level for its rule, unless an `allow` on the certificate (everywhere) or on the
// trust (there only) waives it; allows that waive nothing draw `unused_allow`.
#include <algorithm>
#include <cctype>
#include <limits>

#include "compiler/sema/context.h"
#include "runtime/x509/dn.h"

namespace trust::sema {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

std::optional<diag::Severity> LevelFor(const Context& cx, diag::Kind rule) {
  auto it = cx.out.policy.rule_levels.find(std::string(diag::Info(rule).id));
  if (it == cx.out.policy.rule_levels.end()) return diag::Info(rule).default_severity;
  switch (it->second) {
    case ir::RuleLevel::kOff:
      return std::nullopt;
    case ir::RuleLevel::kNote:
      return diag::Severity::Note;
    case ir::RuleLevel::kWarning:
      return diag::Severity::Warning;
    case ir::RuleLevel::kError:
      return diag::Severity::Error;
  }
  return std::nullopt;
}

std::string CertLabel(const ir::Cert& cert) { return "certificate " + diag::Quote(cert.name); }

// a - b, held at the ends of int64_t (dates from a hostile certificate may be anything).
int64_t SaturatingSub(int64_t a, int64_t b) {
  int64_t out = 0;
  if (!__builtin_sub_overflow(a, b, &out)) return out;
  return b > 0 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
}

// now > t. Every date rule decides through this, which narrows the program's window of build
// times that decide alike to the side of `t` that `now` is on.
bool IsAfter(ir::DateWindow& window, int64_t now, int64_t t) {
  if (now > t) {
    window.from = std::max(window.from, t + 1);  // t < now, so t + 1 does not overflow
    return true;
  }
  window.until = std::min(window.until, t);
  return false;
}

void LintValidity(Context& cx, const ir::Cert& cert) {
  const x509::CertFacts& facts = cert.certificate->facts();
  int64_t now = cx.out.build_time;
  ir::DateWindow& window = cx.out.dates;
  std::string build = " (build time " + x509::FormatUtc(now) + ")";
  if (IsAfter(window, now, facts.not_after)) {
    ReportLint(cx, diag::Kind::expired, cert.range,
               CertLabel(cert) + " expired on " + x509::FormatUtc(facts.not_after) + build,
               {&cert.allows});
  } else if (!IsAfter(window, now, SaturatingSub(facts.not_before, 1))) {  // now < not_before
    ReportLint(
        cx, diag::Kind::not_yet_valid, cert.range,
        CertLabel(cert) + " is not valid before " + x509::FormatUtc(facts.not_before) + build,
        {&cert.allows});
  } else if (IsAfter(
                 window, now,
                 SaturatingSub(facts.not_after, cx.out.policy.warn_within_days * kSecondsPerDay))) {
    ReportLint(cx, diag::Kind::expires_soon, cert.range,
               CertLabel(cert) + " expires on " + x509::FormatUtc(facts.not_after) + ", within " +
                   std::to_string(cx.out.policy.warn_within_days) + " days" + build,
               {&cert.allows});
  }
}

void LintStrength(Context& cx, const ir::Cert& cert) {
  const x509::CertFacts& facts = cert.certificate->facts();
  const ir::Policy& policy = cx.out.policy;
  bool ec = facts.key_type == x509::KeyType::kEc;
  bool rsa_like = facts.key_type == x509::KeyType::kRsa || facts.key_type == x509::KeyType::kDsa;
  int minimum = ec ? policy.min_ec_bits : policy.min_rsa_bits;
  if ((ec || rsa_like) && facts.key_bits < minimum) {
    ReportLint(cx, diag::Kind::weak_key, cert.range,
               CertLabel(cert) + " has a " + std::to_string(facts.key_bits) + "-bit " +
                   (ec                                      ? "EC"
                    : facts.key_type == x509::KeyType::kRsa ? "RSA"
                                                            : "DSA") +
                   " key; the policy requires at least " + std::to_string(minimum) + " bits",
               {&cert.allows});
  }
  const auto& forbidden = policy.forbid_signature;
  bool weak =
      std::find(forbidden.begin(), forbidden.end(), facts.signature_hash) != forbidden.end();
  if (weak && !facts.self_signed) {
    ReportLint(
        cx, diag::Kind::weak_signature, cert.range,
        CertLabel(cert) + " is signed with " + facts.signature_hash + ", which the policy forbids",
        {&cert.allows});
  }
}

// By declaration, as `require_pin anchors` reads it.
std::vector<bool> TrustedAsAnchor(const Context& cx) {
  std::vector<bool> anchors(cx.out.certs.size());
  for (const ir::Gateway& gateway : cx.out.gateways) {
    for (const ir::Trust& trust : gateway.trusts) {
      if (trust.anchor) anchors[trust.cert.index] = true;
    }
  }
  return anchors;
}

void LintCert(Context& cx, ir::CertId id, const std::vector<bool>& anchors) {
  const ir::Cert& cert = cx.out.cert(id);
  if (!cx.cert_used[id.index] && !cert.from_stdlib) {
    ReportLint(cx, diag::Kind::unused_cert, cert.range,
               CertLabel(cert) + " is used by no gateway, identity provider, user or keystore",
               {&cert.allows});
  }
  ir::RequirePin require = cx.out.policy.require_pin;
  if (!cert.pin && (require == ir::RequirePin::kAll ||
                    (require == ir::RequirePin::kAnchors && anchors[id.index]))) {
    ReportLint(
        cx, diag::Kind::missing_pin, cert.range,
        CertLabel(cert) + " has no `sha256` pin, which the policy requires" +
            (cert.certificate ? "; its pin is \"" + cert.certificate->facts().sha256 + "\"" : ""),
        {&cert.allows});
  }
  if (!cert.certificate) return;
  LintValidity(cx, cert);
  LintStrength(cx, cert);
}

void LintTrust(Context& cx, const ir::Gateway& gateway, const ir::Trust& trust) {
  const ir::Cert& cert = cx.out.cert(trust.cert);
  std::string where = " on gateway " + diag::Quote(gateway.name);
  if (!trust.revocation_checking) {
    ReportLint(cx, diag::Kind::revocation_off, trust.range,
               "revocation checking is off for " + diag::Quote(cert.name) + where + ": " +
                   trust.revocation_reason,
               {&cert.allows, &trust.allows});
  }
  if (!cert.certificate) return;
  const x509::CertFacts& facts = cert.certificate->facts();
  bool signs = trust.anchor || trust.Has(ir::Purpose::kSigningClientCerts) ||
               trust.Has(ir::Purpose::kSigningServerCerts);
  bool can_sign = facts.is_ca && (!facts.has_key_usage || facts.key_cert_sign);
  if (signs && !can_sign) {
    ReportLint(cx, diag::Kind::anchor_not_ca, trust.range,
               diag::Quote(cert.name) + " is trusted as an anchor or signer" + where +
                   (facts.is_ca ? ", but its keyUsage lacks keyCertSign"
                                : ", but it is not a CA (no basicConstraints CA:TRUE)"),
               {&cert.allows, &trust.allows});
  }
  if (trust.Has(ir::Purpose::kSsl) && facts.is_ca && !trust.anchor) {
    ReportLint(cx, diag::Kind::ssl_on_ca, trust.range,
               diag::Quote(cert.name) + " is a CA trusted `for ssl` without `anchor`" + where +
                   "; did you mean to trust it as an anchor?",
               {&cert.allows, &trust.allows});
  }
}

bool SameText(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

void LintUser(Context& cx, const ir::User& user) {
  if (user.login.empty()) return;  // a login-less user has no login for its CN to equal
  std::string error;
  std::optional<x509::DistinguishedName> dn = x509::ParseDn(user.dn, &error);
  if (!dn) return;
  std::optional<std::string> cn = x509::CommonName(*dn);
  if (cn && SameText(*cn, user.login)) return;
  ReportLint(cx, diag::Kind::user_cn_mismatch, user.dn_range,
             "the CN of user " + diag::Quote(user.login) + "'s DN is " +
                 (cn ? diag::Quote(*cn) : std::string("missing")) +
                 "; gateways that attach a certificate to a user require it to equal the login",
             {});
}

bool SignsClientCert(Context& cx, const ir::Gateway& gateway, const x509::Certificate& leaf) {
  for (const ir::Trust& trust : gateway.trusts) {
    const auto& signer = cx.out.cert(trust.cert).certificate;
    if (!trust.Has(ir::Purpose::kSigningClientCerts) || !signer) continue;
    if (signer->facts().sha256 == leaf.facts().sha256 || cx.cert_cache.IsSignedBy(leaf, *signer)) {
      return true;
    }
  }
  return false;
}

// A provider that trusts no certificate and asks for path validation (or revocation checking,
// which includes it) makes the gateway build each presented certificate's path from the
// certificates the gateway itself trusts for signing client certificates.
void LintAttachedPath(Context& cx, const ir::Gateway& gateway,
                      const ir::IdentityProvider& provider) {
  bool validates_path = provider.validation == ir::Validation::kPath ||
                        provider.validation == ir::Validation::kRevocation;
  if (!provider.x509 || !provider.trusted.empty() || !validates_path) return;
  for (const ir::User& user : provider.users) {
    std::optional<ir::CertId> id = user.AttachedCert();
    if (!id || !cx.out.cert(*id).certificate) continue;
    const ir::Cert& cert = cx.out.cert(*id);
    if (SignsClientCert(cx, gateway, *cert.certificate)) continue;
    ReportLint(cx, diag::Kind::idp_path_unanchored, user.range,
               "identity provider " + diag::Quote(provider.id) +
                   " validates certificate paths, but no certificate that gateway " +
                   diag::Quote(gateway.name) + " trusts `for signing_client_certs` signed user " +
                   diag::Quote(user.name) + "'s attached certificate " + diag::Quote(cert.name) +
                   ": the gateway will reject it",
               {&cert.allows}, {{{}, "issuer: " + cert.certificate->facts().issuer}});
  }
}

void ReportUnusedAllows(Context& cx, const std::vector<ir::Allow>& allows,
                        std::set<std::pair<source::FileId, uint32_t>>& reported) {
  for (const ir::Allow& allow : allows) {
    std::pair key{allow.range.file, allow.range.begin};
    if (cx.used_allows.contains(key) || !reported.insert(key).second) continue;
    ReportLint(cx, diag::Kind::unused_allow, allow.range,
               "`allow " + allow.rule + "` waives nothing here", {});
  }
}

}  // namespace

std::optional<ir::Allow> MakeAllow(Context& cx, const ScopedItem& scoped) {
  const ast::Item& item = *scoped.item;
  if (!item.name) return std::nullopt;
  std::optional<diag::Kind> kind = diag::KindFromId(item.name->name);
  if (!kind || !diag::Info(*kind).is_lint) {
    cx.emitter.Emit(diag::Kind::unknown_rule, item.name->range,
                    diag::Quote(item.name->name) + " is not a lint rule that `allow` can waive");
    return std::nullopt;
  }
  std::optional<std::string> text =
      cx.Interpolate(item.strings[0], scoped.module, EnvPolicy::kForbidden);
  std::string reason = text.value_or("");
  if (text && reason.empty()) {
    cx.emitter.Emit(diag::Kind::invalid_value, item.strings[0].range,
                    "an `allow` needs a reason that a reviewer can judge");
  }
  // Dropped rather than kept unused: --no-baseline must not turn them into `unused_allow`.
  if (cx.options.no_baseline && reason == ir::kBaselineReason) return std::nullopt;
  return ir::Allow{item.name->name, reason, item.range};
}

void ReportLint(Context& cx, diag::Kind rule, source::SourceRange range, std::string message,
                std::initializer_list<const std::vector<ir::Allow>*> waivers,
                std::vector<diag::Note> notes) {
  std::string_view id = diag::Info(rule).id;
  for (const std::vector<ir::Allow>* allows : waivers) {
    for (const ir::Allow& allow : *allows) {
      if (allow.rule != id) continue;
      cx.used_allows.insert({allow.range.file, allow.range.begin});
      return;
    }
  }
  std::optional<diag::Severity> severity = LevelFor(cx, rule);
  if (!severity) return;
  cx.emitter.Emit({rule, *severity, range, std::move(message), std::move(notes)});
}

void RunLint(Context& cx) {
  std::vector<bool> anchors = TrustedAsAnchor(cx);
  for (uint32_t i = 0; i < cx.out.certs.size(); ++i) LintCert(cx, ir::CertId{i}, anchors);
  for (const ir::Gateway& gateway : cx.out.gateways) {
    for (const ir::Trust& trust : gateway.trusts) LintTrust(cx, gateway, trust);
    LintRevocationPolicies(cx, gateway);
    for (const ir::IdentityProvider& provider : gateway.providers) {
      for (const ir::User& user : provider.users) LintUser(cx, user);
      LintAttachedPath(cx, gateway, provider);
    }
  }
  std::set<std::pair<source::FileId, uint32_t>> reported;
  for (const ir::Cert& cert : cx.out.certs) ReportUnusedAllows(cx, cert.allows, reported);
  for (const ir::Gateway& gateway : cx.out.gateways) {
    for (const ir::Trust& trust : gateway.trusts) ReportUnusedAllows(cx, trust.allows, reported);
  }
}

}  // namespace trust::sema
