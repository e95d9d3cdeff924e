// Federated identity providers and their users (docs/language.md, "Identity
// providers and users").
#include <algorithm>
#include <unordered_map>

#include "compiler/sema/context.h"
#include "runtime/x509/dn.h"

namespace trust::sema {
namespace {

using ast::ItemKind;

class ProviderBuilder {
 public:
  ProviderBuilder(Context& cx, size_t module, ir::Gateway& gateway, const TrustIndex& trusts)
      : cx_(cx), module_(module), gateway_(gateway), trusts_(trusts) {}

  ir::IdentityProvider Build(const ast::Item& item) {
    provider_.id = item.name ? item.name->name : "";
    provider_.display_name = provider_.id;
    provider_.range = item.name ? item.name->range : item.range;
    std::vector<ScopedItem> items =
        cx_.Flatten(item.from, ast::DeclKind::kIdentityProviderTemplate, item.children, module_);
    from_failed_ = cx_.last_from_failed;
    if (const ScopedItem* name = Last(items, {ItemKind::kName})) {
      provider_.display_name = Text(*name).value_or(provider_.display_name);
    }
    Credentials(items);
    if (const ScopedItem* v = Last(items, {ItemKind::kValidation}); v && v->item->value) {
      const std::string& word = v->item->value->name;
      // The grammar admits only the words of validation.def.
      provider_.validation = ir::ValidationFromWord(word).value_or(ir::Validation::kRevocation);
    }
    TrustedCerts(items);
    for (const ScopedItem& scoped : items) {
      if (scoped.item->kind == ItemKind::kUser) AddUser(scoped);
    }
    CheckClientCertificateSource();
    return std::move(provider_);
  }

 private:
  std::optional<std::string> Text(const ScopedItem& scoped) {
    return cx_.Interpolate(scoped.item->strings[0], scoped.module, EnvPolicy::kForbidden,
                           ControlsFor(scoped.item->kind));
  }

  void Credentials(const std::vector<ScopedItem>& items) {
    const ScopedItem* credentials = Last(items, {ItemKind::kCredentials});
    if (credentials == nullptr) {
      if (from_failed_) return;
      cx_.emitter.Emit(
          diag::Kind::missing_item, provider_.range,
          "identity provider " + diag::Quote(provider_.id) + " has no `credentials` (x509, saml)");
      return;
    }
    for (const ast::Ident& word : credentials->item->words) {
      (word.name == "x509" ? provider_.x509 : provider_.saml) = true;
    }
  }

  void TrustedCerts(const std::vector<ScopedItem>& items) {
    for (const ScopedItem& scoped : items) {
      if (scoped.item->kind != ItemKind::kTrust) continue;
      for (const ast::Ref& ref : scoped.item->refs) {
        std::optional<ir::CertId> id = cx_.CertFor(ref, scoped.module);
        if (!id) continue;
        if (trusts_.Find(*id) == nullptr) {
          cx_.emitter.Emit(diag::Kind::idp_cert_not_trusted, ref.range,
                           "identity provider " + diag::Quote(provider_.id) + " trusts " +
                               diag::Quote(ref.Text()) + ", which gateway " +
                               diag::Quote(gateway_.name) + " does not trust",
                           {{gateway_.range, "add `trust " + ref.Text() + " ...` to the gateway"}});
        }
        provider_.trusted.push_back(*id);
      }
    }
    client_signers_ = ClientSigners();
    if (!provider_.x509 || provider_.trusted.empty()) return;
    if (client_signers_.empty() && AllTrustedByGateway()) {
      cx_.emitter.Emit(diag::Kind::idp_no_client_signer, provider_.range,
                       "identity provider " + diag::Quote(provider_.id) +
                           " accepts x509 credentials, but none of its certificates is trusted "
                           "`for signing_client_certs`: no client certificate could authenticate");
    }
  }

  // An x509 provider needs something to check a client certificate against: certificates it
  // trusts to sign them, or else each user's own attached certificate.
  void CheckClientCertificateSource() {
    if (!provider_.x509 || !provider_.trusted.empty() || from_failed_) return;
    bool all_attached =
        !provider_.users.empty() && std::all_of(provider_.users.begin(), provider_.users.end(),
                                                [](const ir::User& u) { return u.cert_attached; });
    if (all_attached) return;
    cx_.emitter.Emit(
        diag::Kind::missing_item, provider_.range,
        "identity provider " + diag::Quote(provider_.id) +
            " accepts x509 credentials but trusts no certificate (`trust CERT`)",
        {{{}, "or attach every user's own certificate to it (`attach CERT` in each user)"}});
  }

  bool AllTrustedByGateway() const {
    return std::all_of(provider_.trusted.begin(), provider_.trusted.end(),
                       [&](ir::CertId id) { return trusts_.Find(id) != nullptr; });
  }

  std::vector<ir::CertId> ClientSigners() const {
    std::vector<ir::CertId> signers;
    for (ir::CertId id : provider_.trusted) {
      const ir::Trust* trust = trusts_.Find(id);
      if (trust != nullptr && trust->Has(ir::Purpose::kSigningClientCerts)) signers.push_back(id);
    }
    return signers;
  }

  void AddUser(const ScopedItem& scoped);
  std::optional<x509::DistinguishedName> CheckUserDn(const ir::User& user);
  void ReadUserItems(const ScopedItem& scoped, ir::User& user, bool& dn_failed);
  const ast::Item* UserCertItem(const ast::Item& user_item);
  void CheckUserCert(const ir::User& user, const x509::DistinguishedName* dn, const ast::Ref& ref,
                     ir::CertId id);

  Context& cx_;
  size_t module_;
  ir::Gateway& gateway_;
  const TrustIndex& trusts_;
  ir::IdentityProvider provider_;
  std::vector<ir::CertId> client_signers_;  // the trusted certificates users' certs may chain to
  std::unordered_map<std::string, size_t> names_;  // login or name -> index into provider_.users
  bool from_failed_ = false;
};

void ProviderBuilder::AddUser(const ScopedItem& scoped) {
  const ast::Item& item = *scoped.item;
  bool loginless = item.value.has_value();  // `user name "NAME"`
  ir::User user;
  std::optional<std::string> key = Text(scoped);
  user.name = key.value_or("");
  if (!loginless) user.login = user.name;
  user.range = item.strings[0].range;
  if (key && user.name.empty()) {
    cx_.emitter.Emit(diag::Kind::invalid_value, user.range,
                     loginless ? "user name is empty" : "user login is empty");
  }
  // A login (or DN) that did not evaluate is reported already: comparing or parsing it would
  // only add noise.
  if (key) {
    // Logins and login-less names share one key space: both identify the user on the gateway.
    auto [other, fresh] = names_.emplace(user.name, provider_.users.size());
    if (!fresh) {
      cx_.emitter.Emit(diag::Kind::duplicate_user, user.range,
                       "identity provider " + diag::Quote(provider_.id) + " has two users " +
                           diag::Quote(user.name),
                       {{provider_.users[other->second].range, "the first one"}});
      return;
    }
  }
  bool dn_failed = false;
  ReadUserItems(scoped, user, dn_failed);
  if (!key) return;  // its strings are checked; the user itself cannot be
  std::optional<x509::DistinguishedName> dn = dn_failed ? std::nullopt : CheckUserDn(user);
  if (const ast::Item* cert_item = UserCertItem(item)) {
    user.cert = cx_.CertFor(cert_item->refs[0], scoped.module);
    user.cert_attached = cert_item->kind == ItemKind::kUserAttach;
    if (user.cert) CheckUserCert(user, dn ? &*dn : nullptr, cert_item->refs[0], *user.cert);
  }
  provider_.users.push_back(std::move(user));
}

void ProviderBuilder::ReadUserItems(const ScopedItem& scoped, ir::User& user, bool& dn_failed) {
  for (const ast::Item& child : scoped.item->children) {
    if (child.strings.empty()) continue;
    std::optional<std::string> evaluated = Text({&child, scoped.module});
    std::string text = evaluated.value_or("");
    if (child.kind == ItemKind::kDn) {
      dn_failed = !evaluated;
      user.dn = text;
      user.dn_range = child.strings[0].range;
    }
    if (child.kind == ItemKind::kEmail) user.email = text;
    if (child.kind == ItemKind::kFirstName) user.first_name = text;
    if (child.kind == ItemKind::kLastName) user.last_name = text;
    if (child.kind == ItemKind::kNote) user.note = text;
  }
}

// The user's `cert` (checked only) or `attach` (checked and written to the gateway): a user has
// one certificate, so naming it both ways is an error.
const ast::Item* ProviderBuilder::UserCertItem(const ast::Item& user_item) {
  const ast::Item* found = nullptr;
  for (const ast::Item& child : user_item.children) {
    if (child.kind != ItemKind::kUserCert && child.kind != ItemKind::kUserAttach) continue;
    if (found != nullptr && found->kind != child.kind) {
      cx_.emitter.Emit(diag::Kind::duplicate_item, child.keyword_range,
                       "a user has one certificate: `cert` checks it only, `attach` also writes "
                       "it to the gateway; keep one",
                       {{found->keyword_range, "first given here"}});
      continue;
    }
    found = &child;
  }
  return found;
}

std::optional<x509::DistinguishedName> ProviderBuilder::CheckUserDn(const ir::User& user) {
  if (!user.dn_range.valid()) {
    if (provider_.x509) {
      cx_.emitter.Emit(diag::Kind::missing_item, user.range,
                       "user " + diag::Quote(user.name) +
                           " needs a `dn`: its provider accepts x509 credentials");
    }
    return std::nullopt;
  }
  std::string error;
  std::optional<x509::DistinguishedName> dn = x509::ParseDn(user.dn, &error);
  if (!dn) {
    cx_.emitter.Emit(diag::Kind::dn_invalid, user.dn_range, "not a distinguished name: " + error);
  }
  return dn;
}

void ProviderBuilder::CheckUserCert(const ir::User& user, const x509::DistinguishedName* dn,
                                    const ast::Ref& ref, ir::CertId id) {
  if (!cx_.out.cert(id).certificate) return;
  const x509::Certificate& certificate = *cx_.out.cert(id).certificate;
  if (dn != nullptr && !x509::DnEqual(certificate.facts().SubjectDn(), *dn)) {
    cx_.emitter.Emit(
        diag::Kind::user_cert_subject_mismatch, ref.range,
        "the subject of " + diag::Quote(ref.Text()) + " differs from user " +
            diag::Quote(user.name) + "'s `dn`",
        {{{}, "dn:      " + user.dn}, {{}, "subject: " + certificate.facts().subject}});
  }
  // A provider that trusts nothing authenticates by the attached certificate itself: what signed
  // it matters only for path validation, which lint checks against the gateway's trusts.
  if (user.cert_attached && provider_.trusted.empty()) return;
  for (ir::CertId signer : client_signers_) {
    const auto& issuer = cx_.out.cert(signer).certificate;
    if (issuer && cx_.cert_cache.IsSignedBy(certificate, *issuer)) return;
  }
  cx_.emitter.Emit(diag::Kind::user_cert_untrusted, ref.range,
                   diag::Quote(ref.Text()) + " is not signed by any certificate that provider " +
                       diag::Quote(provider_.id) + " trusts `for signing_client_certs`",
                   {{{}, "issuer: " + certificate.facts().issuer}});
}

}  // namespace

void CheckDuplicateUserDns(Context& cx, const ir::Gateway& gateway) {
  std::unordered_map<std::string, const ir::User*> seen;  // DnKey -> first user
  for (const ir::IdentityProvider& provider : gateway.providers) {
    for (const ir::User& user : provider.users) {
      std::string error;
      std::optional<x509::DistinguishedName> dn = x509::ParseDn(user.dn, &error);
      if (!dn) continue;
      auto [same, fresh] = seen.emplace(x509::DnKey(*dn), &user);
      if (fresh) continue;
      cx.emitter.Emit(diag::Kind::duplicate_user_dn, user.dn_range,
                      "two users of gateway " + diag::Quote(gateway.name) + " have this DN",
                      {{same->second->dn_range, "the other user's DN"}});
    }
  }
}

void AddIdentityProvider(Context& cx, size_t module, const ast::Item& item, ir::Gateway& gateway,
                         const TrustIndex& trusts) {
  ir::IdentityProvider provider = ProviderBuilder(cx, module, gateway, trusts).Build(item);
  for (const ir::IdentityProvider& other : gateway.providers) {
    if (other.id == provider.id) {
      cx.emitter.Emit(diag::Kind::duplicate_decl, provider.range,
                      "gateway " + diag::Quote(gateway.name) + " declares identity provider " +
                          diag::Quote(provider.id) + " twice",
                      {{other.range, "first declared here"}});
      return;
    }
    if (other.display_name == provider.display_name) {
      cx.emitter.Emit(diag::Kind::duplicate_entity_name, provider.range,
                      "two identity providers of gateway " + diag::Quote(gateway.name) +
                          " are named " + diag::Quote(provider.display_name),
                      {{other.range, "the other one"}});
      return;
    }
  }
  gateway.providers.push_back(std::move(provider));
}

}  // namespace trust::sema
