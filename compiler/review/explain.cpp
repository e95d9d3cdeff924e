// `trustc explain FILE NAME`: answers "why is this certificate trusted" (or "how does this user
// log in") from the resolved program, with the reasons the program gives (notes, waivers,
// revocation reasons).
#include "compiler/review/explain.h"

#include <sstream>

#include "runtime/x509/certificate.h"

namespace trust::review {
namespace {

std::string Q(const std::string& name) { return diag::Quote(name); }

std::string Where(const source::SourceManager& sources, source::SourceRange range) {
  if (!range.valid() || static_cast<size_t>(range.file) >= sources.size()) return "";
  const source::SourceFile& file = sources.file(range.file);
  return file.display_path() + ":" + std::to_string(file.Locate(range.begin).line);
}

std::string KeyText(const x509::CertFacts& f) {
  static const char* kTypes[] = {"RSA", "DSA", "EC", "Ed25519", "Ed448", "other"};
  return std::string(kTypes[static_cast<int>(f.key_type)]) + " " + std::to_string(f.key_bits) +
         " bits, signed with " + (f.signature_hash.empty() ? "intrinsic hash" : f.signature_hash) +
         (f.is_ca ? ", CA" : ", not a CA") + (f.self_signed ? ", self-signed" : "");
}

std::string Purposes(const ir::Trust& t) {
  std::string text;
  for (ir::Purpose p : ir::AllPurposes()) {
    if (t.Has(p)) text += (text.empty() ? "" : ", ") + std::string(ir::PurposeWord(p));
  }
  return text;
}

void Allows(std::ostream& out, const std::vector<ir::Allow>& allows, const std::string& indent) {
  for (const ir::Allow& a : allows) {
    out << indent << "waiver: allow " << a.rule << " because \"" << a.reason << "\"\n";
  }
}

void Facts(std::ostream& out, const ir::Program& p, const source::SourceManager& sources,
           const ir::Cert& cert) {
  out << "certificate " << Q(cert.name) << " (" << Q(cert.display_name) << "), declared at "
      << Where(sources, cert.range) << (cert.from_stdlib ? " (standard library)" : "") << "\n";
  out << "  file      " << cert.file << "\n";
  if (cert.certificate) {
    const x509::CertFacts& f = cert.certificate->facts();
    out << "  subject   " << f.subject << "\n  issuer    " << f.issuer << "\n";
    out << "  serial    " << f.serial_decimal << "\n";
    out << "  validity  " << x509::FormatUtc(f.not_before) << " to " << x509::FormatUtc(f.not_after)
        << (f.not_after < p.build_time ? " (EXPIRED at build time)" : "") << "\n";
    out << "  sha256    " << f.sha256 << (cert.pin ? " (pinned in the source)" : " (not pinned)")
        << "\n";
    out << "  key       " << KeyText(f) << "\n";
  }
  if (!cert.note.empty()) out << "  note      " << cert.note << "\n";
  Allows(out, cert.allows, "  ");
}

bool SameCert(const ir::Program& p, ir::CertId a, ir::CertId b) {
  return a == b || (p.cert(a).certificate == p.cert(b).certificate && p.cert(a).certificate);
}

bool ClientSigner(const ir::Gateway& g, ir::CertId id) {
  for (const ir::Trust& t : g.trusts) {
    if (t.cert == id && t.Has(ir::Purpose::kSigningClientCerts)) return true;
  }
  return false;
}

void Gateways(std::ostream& out, const ir::Program& p, const source::SourceManager& sources,
              ir::CertId id) {
  out << "trusted by gateways:\n";
  bool any = false;
  for (const ir::Gateway& g : p.gateways) {
    for (const ir::Trust& t : g.trusts) {
      if (!SameCert(p, t.cert, id)) continue;
      any = true;
      std::string purposes = Purposes(t);
      out << "  gateway " << Q(g.name) << " as " << Q(t.entity_name)
          << (purposes.empty() ? "" : " for " + purposes) << (t.anchor ? ", trust anchor" : "")
          << ", hostname verification " << (t.verify_hostname ? "on" : "off") << ", revocation "
          << (!t.revocation_checking ? "off because \"" + t.revocation_reason + "\""
              : t.revocation_policy
                  ? "policy " + Q(g.revocation_policies[*t.revocation_policy].display_name)
                  : std::string("default"))
          << " (" << Where(sources, t.range) << ")\n";
      Allows(out, t.allows, "    ");
    }
  }
  if (!any) out << "  (none)\n";
}

void Providers(std::ostream& out, const ir::Program& p, ir::CertId id) {
  out << "referenced by identity providers:\n";
  bool any = false;
  for (const ir::Gateway& g : p.gateways) {
    for (const ir::IdentityProvider& idp : g.providers) {
      bool trusts = false;
      for (ir::CertId t : idp.trusted) trusts = trusts || SameCert(p, t, id);
      bool signer = trusts && ClientSigner(g, id);
      for (const ir::User& u : idp.users) {
        bool own = u.cert && SameCert(p, *u.cert, id);
        if (!trusts && !own) continue;
        any = true;
        out << "  gateway " << Q(g.name) << " provider " << Q(idp.display_name) << " user "
            << Q(u.name) << " (" << u.dn << "): ";
        if (own) {
          out << (u.cert_attached ? "this is the user's own client certificate, attached to the "
                                    "user on the gateway\n"
                                  : "this is the user's own client certificate\n");
        } else if (u.cert && p.cert(id).certificate && p.cert(*u.cert).certificate &&
                   p.cert(*u.cert).certificate->IsSignedBy(*p.cert(id).certificate)) {
          out << "its client certificate " << Q(p.cert(*u.cert).name) << " is signed by this one\n";
        } else {
          out << (signer ? "can authenticate with a client certificate this one signed\n"
                         : "referenced, but not trusted for signing_client_certs\n");
        }
      }
      if (trusts && idp.users.empty()) {
        any = true;
        out << "  gateway " << Q(g.name) << " provider " << Q(idp.display_name) << " (no users)\n";
      }
    }
  }
  if (!any) out << "  (none)\n";
}

void Keystores(std::ostream& out, const ir::Program& p, ir::CertId id) {
  out << "held by keystores:\n";
  bool any = false;
  for (const ir::Keystore& k : p.keystores) {
    for (const ir::KeystoreEntry& e : k.entries) {
      if (!SameCert(p, e.cert, id)) continue;
      any = true;
      out << "  keystore " << Q(k.name) << " (" << keystore::StoreFormatName(k.format) << ", "
          << k.path << (k.host.empty() ? "" : ", on " + k.host) << ") as alias " << Q(e.alias)
          << (e.replace ? ", may replace a different certificate" : "")
          << (e.require_endpoint ? ", only once " + *e.require_endpoint + " presents it" : "")
          << "\n";
    }
  }
  if (!any) out << "  (none)\n";
}

void Issuers(std::ostream& out, const ir::Program& p, ir::CertId id) {
  const auto& me = p.cert(id).certificate;
  if (!me) return;
  std::string issued_by, signs;
  for (uint32_t i = 0; i < p.certs.size(); ++i) {
    const auto& other = p.certs[i].certificate;
    if (i == id.index || !other || other == me) continue;
    if (!me->facts().self_signed && me->IsSignedBy(*other)) issued_by += " " + Q(p.certs[i].name);
    if (!other->facts().self_signed && other->IsSignedBy(*me)) signs += " " + Q(p.certs[i].name);
  }
  if (!issued_by.empty()) out << "signed by:" << issued_by << "\n";
  if (!signs.empty()) out << "signs:" << signs << "\n";
}

std::optional<ir::CertId> FindCert(const ir::Program& p, const std::string& name) {
  for (uint32_t i = 0; i < p.certs.size(); ++i) {
    if (p.certs[i].name == name) return ir::CertId{i};
  }
  for (uint32_t i = 0; i < p.certs.size(); ++i) {
    if (p.certs[i].display_name == name) return ir::CertId{i};
  }
  return std::nullopt;
}

std::optional<std::string> ExplainUser(const ir::Program& p, const source::SourceManager& sources,
                                       const std::string& name) {
  size_t dot1 = name.find('.'), dot2 = name.rfind('.');
  if (dot1 == std::string::npos || dot1 == dot2) return std::nullopt;
  std::string gw = name.substr(0, dot1), provider = name.substr(dot1 + 1, dot2 - dot1 - 1);
  std::string login = name.substr(dot2 + 1);
  for (const ir::Gateway& g : p.gateways) {
    if (g.name != gw) continue;
    for (const ir::IdentityProvider& idp : g.providers) {
      if (idp.id != provider && idp.display_name != provider) continue;
      for (const ir::User& u : idp.users) {
        if (u.name != login) continue;
        std::ostringstream out;
        out << "user " << Q(u.name) << " of identity provider " << Q(idp.display_name)
            << " on gateway " << Q(g.name) << ", declared at " << Where(sources, u.range) << "\n";
        out << "  login     " << (u.login.empty() ? "(none: known by its name and DN)" : u.login)
            << "\n";
        out << "  dn        " << u.dn << "\n";
        if (!u.email.empty()) out << "  email     " << u.email << "\n";
        if (!u.first_name.empty() || !u.last_name.empty()) {
          out << "  name      " << u.first_name << " " << u.last_name << "\n";
        }
        if (!u.note.empty()) out << "  note      " << u.note << "\n";
        out << "  credentials " << (idp.x509 ? "x509 " : "") << (idp.saml ? "saml" : "") << "\n";
        if (u.cert) {
          const ir::Cert& c = p.cert(*u.cert);
          out << "  own certificate " << Q(c.name) << " (sha256 "
              << (c.certificate ? c.certificate->facts().sha256 : "") << ")"
              << (u.cert_attached ? ", attached to the user on the gateway"
                                  : ", checked at compile time only")
              << "\n";
        }
        if (idp.trusted.empty() && u.cert_attached) {
          out << "the provider trusts no certificate: the gateway accepts exactly the attached "
                 "certificate\n";
          bool path = idp.validation == ir::Validation::kPath ||
                      idp.validation == ir::Validation::kRevocation;
          if (path) {
            out << "and builds its path from the certificates the gateway trusts for "
                   "signing_client_certs\n";
          }
          return out.str();
        }
        out << "client certificates are accepted when signed by:\n";
        bool any = false;
        for (ir::CertId id : idp.trusted) {
          if (!ClientSigner(g, id)) continue;
          any = true;
          out << "  " << Q(p.cert(id).name) << " ("
              << (p.cert(id).certificate ? p.cert(id).certificate->facts().subject : "") << ")\n";
        }
        if (!any) out << "  (none)\n";
        return out.str();
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> Explain(const ir::Program& program, const source::SourceManager& sources,
                                   const std::string& name, std::string* error) {
  if (auto user = ExplainUser(program, sources, name)) return user;
  std::optional<ir::CertId> id = FindCert(program, name);
  if (!id) {
    std::string known;
    for (const ir::Cert& c : program.certs) {
      if (!c.from_stdlib) known += " " + c.name;
    }
    *error = Q(name) + " names no certificate and no gateway.provider.user; certificates:" + known;
    return std::nullopt;
  }
  std::ostringstream out;
  Facts(out, program, sources, program.cert(*id));
  Issuers(out, program, *id);
  Gateways(out, program, sources, *id);
  Providers(out, program, *id);
  Keystores(out, program, *id);
  return out.str();
}

}  // namespace trust::review
