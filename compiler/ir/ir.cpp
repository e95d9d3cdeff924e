#include "compiler/ir/ir.h"

#include <array>
#include <sstream>

namespace trust::ir {
namespace {

struct PurposeInfo {
  Purpose purpose;
  std::string_view word;
  std::string_view property;
};

constexpr std::array<PurposeInfo, kPurposeCount> kPurposes = {{
#define TRUST_PURPOSE(e, word, property) {Purpose::k##e, word, property},
#include "compiler/ir/purpose.def"
}};

const char* Bool(bool b) { return b ? "true" : "false"; }

struct ValidationInfo {
  std::string_view word, dump, diff, restman, graphman;
};

constexpr ValidationInfo kValidations[] = {
#define TRUST_VALIDATION(e, word, dump, diff, restman, graphman) \
  {word, dump, diff, restman, graphman},
#include "compiler/ir/validation.def"
};

const ValidationInfo& Info(Validation validation) {
  return kValidations[static_cast<size_t>(validation)];
}

// The validation whose `column` is `text`; an empty column names nothing.
std::optional<Validation> FindValidation(std::string_view ValidationInfo::*column,
                                         std::string_view text) {
  for (size_t i = 0; i < std::size(kValidations); ++i) {
    std::string_view value = kValidations[i].*column;
    if (!value.empty() && value == text) return static_cast<Validation>(i);
  }
  return std::nullopt;
}

void DumpCert(std::ostringstream& out, const Cert& cert) {
  out << "cert " << cert.name << "\n  name: " << cert.display_name << "\n  file: " << cert.file
      << "\n";
  if (cert.certificate) {
    const x509::CertFacts& f = cert.certificate->facts();
    out << "  sha256: " << f.sha256 << "\n  subject: " << f.subject << "\n  issuer: " << f.issuer
        << "\n  validity: " << x509::FormatUtc(f.not_before) << " .. "
        << x509::FormatUtc(f.not_after) << "\n  ca: " << Bool(f.is_ca) << "\n";
  }
  if (cert.pin) out << "  pin: " << *cert.pin << "\n";
  if (!cert.note.empty()) out << "  note: " << cert.note << "\n";
  for (const Allow& a : cert.allows) out << "  allow " << a.rule << ": " << a.reason << "\n";
}

void DumpRevocationPolicy(std::ostringstream& out, const Program& program,
                          const RevocationPolicy& p) {
  out << "  revocation_policy " << p.id << " \"" << p.display_name
      << "\"\n    default_policy: " << Bool(p.default_policy)
      << "\n    continue_on_unavailable: " << Bool(p.continue_on_unavailable)
      << "\n    default_success: " << Bool(p.default_success) << "\n";
  for (const RevocationCheck& c : p.checks) {
    out << "    check " << (c.ocsp ? "ocsp" : "crl")
        << (c.from_certificate ? " from certificate matching " : " url ") << c.url
        << "\n      allow_issuer_signature: " << Bool(c.allow_issuer_signature)
        << "\n      signers:";
    for (CertId id : c.signers) out << " " << program.cert(id).name;
    out << "\n";
  }
}

void DumpGateway(std::ostringstream& out, const Program& program, const Gateway& gateway) {
  out << "gateway " << gateway.name
      << "\n  mapping: " << (gateway.mapping == Mapping::kById ? "by_id" : "by_name") << "\n";
  for (const Trust& t : gateway.trusts) {
    out << "  trust " << program.cert(t.cert).name << " as \"" << t.entity_name << "\"\n"
        << "    anchor: " << Bool(t.anchor) << "\n    for:";
    for (const PurposeInfo& p : kPurposes) {
      if (t.Has(p.purpose)) out << " " << p.word;
    }
    out << "\n    verify_hostname: " << Bool(t.verify_hostname) << "\n    revocation: "
        << (t.revocation_checking ? "default" : "off: " + t.revocation_reason) << "\n";
    if (t.revocation_policy) {
      out << "    revocation_policy: " << gateway.revocation_policies[*t.revocation_policy].id
          << "\n";
    }
    for (const Allow& a : t.allows) out << "    allow " << a.rule << ": " << a.reason << "\n";
  }
  for (const IdentityProvider& p : gateway.providers) {
    out << "  identity_provider " << p.id << " \"" << p.display_name
        << "\"\n    x509: " << Bool(p.x509) << "\n    saml: " << Bool(p.saml)
        << "\n    validation: " << ValidationDumpName(p.validation) << "\n    trust:";
    for (CertId id : p.trusted) out << " " << program.cert(id).name;
    out << "\n";
    for (const User& u : p.users) {
      if (u.login.empty()) {
        out << "    user name \"" << u.name << "\"\n      dn: " << u.dn << "\n";
      } else {
        out << "    user \"" << u.login << "\"\n      dn: " << u.dn << "\n";
      }
      if (u.cert) {
        out << (u.cert_attached ? "      attach: " : "      cert: ") << program.cert(*u.cert).name
            << "\n";
      }
      if (!u.email.empty()) out << "      email: " << u.email << "\n";
      if (!u.first_name.empty()) out << "      first_name: " << u.first_name << "\n";
      if (!u.last_name.empty()) out << "      last_name: " << u.last_name << "\n";
    }
  }
  for (const RevocationPolicy& p : gateway.revocation_policies) {
    DumpRevocationPolicy(out, program, p);
  }
}

void DumpKeystore(std::ostringstream& out, const Program& program, const Keystore& ks) {
  static constexpr std::array kPasswordKinds = {"env", "file", "none"};
  out << "keystore " << ks.name << "\n  format: " << keystore::StoreFormatName(ks.format)
      << "\n  path: " << ks.path
      << "\n  password: " << kPasswordKinds.at(static_cast<size_t>(ks.password.kind)) << " "
      << ks.password.value << "\n  create: " << Bool(ks.create) << "\n";
  if (!ks.host.empty()) out << "  host: " << ks.host << "\n";
  for (const KeystoreEntry& e : ks.entries) {
    out << "  entry \"" << e.alias << "\" = " << program.cert(e.cert).name
        << "\n    replace: " << Bool(e.replace) << "\n";
    if (e.require_endpoint) out << "    require_endpoint: " << *e.require_endpoint << "\n";
  }
  for (const std::string& alias : ks.remove) out << "  remove \"" << alias << "\"\n";
}

}  // namespace

std::string_view ValidationWord(Validation validation) { return Info(validation).word; }
std::string_view ValidationDumpName(Validation validation) { return Info(validation).dump; }
std::string_view ValidationDiffName(Validation validation) { return Info(validation).diff; }
std::string_view ValidationRestmanValue(Validation validation) { return Info(validation).restman; }
std::string_view ValidationGraphmanValue(Validation validation) {
  return Info(validation).graphman;
}

std::optional<Validation> ValidationFromWord(std::string_view word) {
  return FindValidation(&ValidationInfo::word, word);
}
std::optional<Validation> ValidationFromRestman(std::string_view value) {
  return FindValidation(&ValidationInfo::restman, value);
}
std::optional<Validation> ValidationFromGraphman(std::string_view value) {
  return FindValidation(&ValidationInfo::graphman, value);
}

std::string_view PurposeWord(Purpose purpose) {
  return kPurposes.at(static_cast<size_t>(purpose)).word;
}

std::string_view PurposeProperty(Purpose purpose) {
  return kPurposes.at(static_cast<size_t>(purpose)).property;
}

std::optional<Purpose> PurposeFromWord(std::string_view word) {
  for (const PurposeInfo& p : kPurposes) {
    if (p.word == word) return p.purpose;
  }
  return std::nullopt;
}

const std::array<Purpose, kPurposeCount>& AllPurposes() {
  static const std::array<Purpose, kPurposeCount> all = [] {
    std::array<Purpose, kPurposeCount> a{};
    for (size_t i = 0; i < kPurposeCount; ++i) a[i] = kPurposes[i].purpose;
    return a;
  }();
  return all;
}

std::string Dump(const Program& program) {
  std::ostringstream out;
  out << "program " << program.root_source << "\n";
  for (const Cert& cert : program.certs) DumpCert(out, cert);
  for (const Gateway& gateway : program.gateways) DumpGateway(out, program, gateway);
  for (const Keystore& ks : program.keystores) DumpKeystore(out, program, ks);
  const Policy& p = program.policy;
  out << "policy\n  min_rsa_bits: " << p.min_rsa_bits << "\n  min_ec_bits: " << p.min_ec_bits
      << "\n  warn_within: " << p.warn_within_days << "d\n";
  return out.str();
}

}  // namespace trust::ir
