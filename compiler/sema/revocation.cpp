// Revocation checking policies of a gateway and the trusts that reference them
// (docs/language.md, "Revocation checking policies"): building them, resolving references and
// signers, and their lint rules.
#include <algorithm>

#include "compiler/sema/context.h"

namespace trust::sema {
namespace {

using ast::ItemKind;

// The regular expression written for a "from certificate" check without `matching`: the
// gateway requires one, and any URL the certificate carries is the usual intent.
constexpr std::string_view kAnyUrl = ".*";

class PolicyBuilder {
 public:
  PolicyBuilder(Context& cx, size_t module) : cx_(cx), module_(module) {}

  // Items come from the policy and its templates: each resolves names in its own module.

  ir::RevocationPolicy Build(const ast::Item& item) {
    policy_.id = item.name ? item.name->name : "";
    policy_.display_name = policy_.id;
    policy_.range = item.name ? item.name->range : item.range;
    std::vector<ScopedItem> items =
        cx_.Flatten(item.from, ast::DeclKind::kRevocationPolicyTemplate, item.children, module_);
    bool from_failed = cx_.last_from_failed;
    for (const ScopedItem& scoped : items) Apply(*scoped.item, scoped.module);
    if (policy_.checks.empty() && !from_failed) {
      cx_.emitter.Emit(diag::Kind::missing_item, policy_.range,
                       "revocation policy " + diag::Quote(policy_.id) +
                           " has no `check`; it would check nothing");
    }
    return std::move(policy_);
  }

 private:
  std::string Text(const ast::Str& str, size_t module) {
    return cx_.Interpolate(str, module, EnvPolicy::kForbidden).value_or("");
  }

  void Apply(const ast::Item& item, size_t module) {
    switch (item.kind) {
      case ItemKind::kName:
        policy_.display_name = Text(item.strings[0], module);
        break;
      case ItemKind::kDefaultPolicy:
        policy_.default_policy = true;
        break;
      case ItemKind::kContinueOnUnavailable:
        policy_.continue_on_unavailable = true;
        break;
      case ItemKind::kDefaultSuccess:
        policy_.default_success = true;
        break;
      case ItemKind::kCheckFromCertificate:
      case ItemKind::kCheckUrl:
        policy_.checks.push_back(Check(item, module));
        break;
      default:
        break;
    }
  }

  ir::RevocationCheck Check(const ast::Item& item, size_t module) {
    ir::RevocationCheck check;
    check.ocsp = item.value && item.value->name == "ocsp";
    check.from_certificate = item.kind == ItemKind::kCheckFromCertificate;
    check.range = item.range;
    check.url = check.from_certificate ? std::string(kAnyUrl) : "";
    if (!item.strings.empty()) {
      check.url = Text(item.strings[0], module);
      check.url_range = item.strings[0].range;
      if (check.url.empty()) {
        cx_.emitter.Emit(diag::Kind::invalid_value, check.url_range,
                         check.from_certificate ? "an empty `matching` expression"
                                                : "an empty revocation check URL");
      }
    }
    for (const ast::Item& child : item.children) {
      if (child.kind == ItemKind::kAllowIssuerSignature) check.allow_issuer_signature = true;
      if (child.kind != ItemKind::kSigner) continue;
      for (const ast::Ref& ref : child.refs) {
        if (auto id = cx_.CertFor(ref, module)) {
          check.signers.push_back(*id);
          check.signer_ranges.push_back(ref.range);
        }
      }
    }
    return check;
  }

  Context& cx_;
  size_t module_;
  ir::RevocationPolicy policy_;
};

const ast::Item* ItemOfPolicy(const ast::Decl& decl, const ir::RevocationPolicy& policy) {
  for (const ast::Item& item : decl.items) {
    if (item.kind == ItemKind::kRevocationPolicy && item.name && item.name->name == policy.id) {
      return &item;
    }
  }
  return nullptr;
}

void CheckOneDefault(Context& cx, const ir::Gateway& gateway) {
  const ir::RevocationPolicy* first = nullptr;
  for (const ir::RevocationPolicy& policy : gateway.revocation_policies) {
    if (!policy.default_policy) continue;
    if (first == nullptr) {
      first = &policy;
      continue;
    }
    cx.emitter.Emit(diag::Kind::invalid_value, policy.range,
                    "gateway " + diag::Quote(gateway.name) +
                        " has two `default_policy` revocation policies; it has one default",
                    {{first->range, "the other one"}});
  }
}

bool IsHttpUrl(std::string_view url) {
  std::string lower(url.substr(0, 8));
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.starts_with("http://") || lower.starts_with("https://");
}

std::string UrlList(const std::vector<std::string>& urls) {
  std::string out;
  for (const std::string& url : urls) out += (out.empty() ? "" : ", ") + url;
  return out.empty() ? "none" : out;
}

// The certificate that issued a leaf, when the program declares it.
const ir::Cert* IssuerOf(const Context& cx, const x509::CertFacts& leaf) {
  for (const ir::Cert& cert : cx.out.certs) {
    if (cert.certificate && cert.certificate->facts().subject == leaf.issuer &&
        cert.certificate->facts().is_ca) {
      return &cert;
    }
  }
  return nullptr;
}

// A "from certificate" check needs the URL in the certificate; for a leaf, the issuer's
// counts too (the gateway checks the chain, and CAs often publish for their whole branch).
void LintCertificateUrls(Context& cx, const ir::Gateway& gateway, const ir::Trust& trust) {
  const ir::Cert& cert = cx.out.cert(trust.cert);
  if (!cert.certificate) return;
  const x509::CertFacts& facts = cert.certificate->facts();
  const ir::Cert* issuer = facts.is_ca ? nullptr : IssuerOf(cx, facts);
  const ir::RevocationPolicy& policy = gateway.revocation_policies[*trust.revocation_policy];
  for (const ir::RevocationCheck& check : policy.checks) {
    if (!check.from_certificate) continue;
    auto urls = [&](const x509::CertFacts& f) { return check.ocsp ? f.ocsp_urls : f.crl_urls; };
    if (!urls(facts).empty() || (issuer && !urls(issuer->certificate->facts()).empty())) continue;
    std::string kind =
        check.ocsp ? "OCSP responder URL (Authority Information Access)" : "CRL distribution point";
    std::vector<diag::Note> notes = {
        {cert.range, diag::Quote(cert.name) + " carries OCSP: " + UrlList(facts.ocsp_urls) +
                         "; CRL distribution points: " + UrlList(facts.crl_urls)}};
    if (issuer) {
      notes.push_back(
          {issuer->range, "its issuer " + diag::Quote(issuer->name) + " carries none either"});
    }
    ReportLint(cx, diag::Kind::revocation_url_missing, trust.range,
               diag::Quote(cert.name) + " is checked with revocation policy " +
                   diag::Quote(policy.id) + " from its certificate, but carries no " + kind,
               {&cert.allows, &trust.allows}, std::move(notes));
  }
}

}  // namespace

void AddRevocationPolicies(Context& cx, size_t module, const ast::Decl& decl,
                           ir::Gateway& gateway) {
  for (const ast::Item& item : decl.items) {
    if (item.kind != ItemKind::kRevocationPolicy) continue;
    ir::RevocationPolicy policy = PolicyBuilder(cx, module).Build(item);
    auto same = [&](const ir::RevocationPolicy& p) {
      return p.id == policy.id || p.display_name == policy.display_name;
    };
    auto previous =
        std::find_if(gateway.revocation_policies.begin(), gateway.revocation_policies.end(), same);
    if (previous != gateway.revocation_policies.end()) {
      cx.emitter.Emit(diag::Kind::duplicate_entity_name, policy.range,
                      "two revocation policies of gateway " + diag::Quote(gateway.name) +
                          " are named " + diag::Quote(policy.id) + " or " +
                          diag::Quote(policy.display_name),
                      {{previous->range, "the other one"}});
      continue;
    }
    gateway.revocation_policies.push_back(std::move(policy));
  }
  CheckOneDefault(cx, gateway);
}

std::optional<ir::RevocationPolicyIndex> FindRevocationPolicy(Context& cx,
                                                              const ir::Gateway& gateway,
                                                              const ast::Ref& ref) {
  const auto& policies = gateway.revocation_policies;
  for (size_t i = 0; i < policies.size() && !ref.module; ++i) {
    if (policies[i].id == ref.name.name) return i;
  }
  std::string known;
  for (const ir::RevocationPolicy& p : policies) known += (known.empty() ? "" : ", ") + p.id;
  cx.emitter.Emit(diag::Kind::unknown_name, ref.range,
                  "gateway " + diag::Quote(gateway.name) + " has no revocation_policy " +
                      diag::Quote(ref.Text()) +
                      (known.empty() ? "" : "; its policies are " + known));
  return std::nullopt;
}

void CheckRevocationSigners(Context& cx, const ast::Decl& decl, const ir::Gateway& gateway,
                            const TrustIndex& trusts) {
  for (const ir::RevocationPolicy& policy : gateway.revocation_policies) {
    const ast::Item* item = ItemOfPolicy(decl, policy);
    for (const ir::RevocationCheck& check : policy.checks) {
      for (size_t i = 0; i < check.signers.size(); ++i) {
        if (trusts.Find(check.signers[i]) != nullptr) continue;
        const std::string& name = cx.out.cert(check.signers[i]).name;
        cx.emitter.Emit(
            diag::Kind::revocation_signer_not_trusted, check.signer_ranges[i],
            "revocation policy " + diag::Quote(policy.id) + " lets " + diag::Quote(name) +
                " sign responses, but gateway " + diag::Quote(gateway.name) + " does not trust it",
            {{item ? item->range : gateway.range, "add `trust " + name + "` to the gateway"}});
      }
    }
  }
}

bool IsRevocationSigner(const Context& cx, const ir::Gateway& gateway, ir::CertId cert) {
  std::string key = CertKey(cx, cert);
  for (const ir::RevocationPolicy& policy : gateway.revocation_policies) {
    for (const ir::RevocationCheck& check : policy.checks) {
      for (ir::CertId signer : check.signers) {
        if (CertKey(cx, signer) == key) return true;
      }
    }
  }
  return false;
}

void LintRevocationPolicies(Context& cx, const ir::Gateway& gateway) {
  std::vector<bool> used(gateway.revocation_policies.size());
  for (const ir::Trust& trust : gateway.trusts) {
    if (!trust.revocation_policy) continue;
    used[*trust.revocation_policy] = true;
    LintCertificateUrls(cx, gateway, trust);
  }
  for (size_t i = 0; i < used.size(); ++i) {
    const ir::RevocationPolicy& policy = gateway.revocation_policies[i];
    for (const ir::RevocationCheck& check : policy.checks) {
      if (check.from_certificate || check.url.empty() || IsHttpUrl(check.url)) continue;
      ReportLint(cx, diag::Kind::revocation_url_not_http, check.url_range,
                 "revocation policy " + diag::Quote(policy.id) + " asks " + diag::Quote(check.url) +
                     ", which is not an http(s) URL",
                 {});
    }
    if (used[i] || policy.default_policy) continue;
    ReportLint(cx, diag::Kind::unused_revocation_policy, policy.range,
               "revocation policy " + diag::Quote(policy.id) + " of gateway " +
                   diag::Quote(gateway.name) +
                   " is referenced by no trust and is not the `default_policy`",
               {});
  }
}

}  // namespace trust::sema
