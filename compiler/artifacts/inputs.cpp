#include "compiler/artifacts/inputs.h"

#include <cstdint>

#include "base/build_id.h"
#include "base/version.h"
#include "compiler/artifacts/sha256.h"

namespace trust::artifacts {
namespace {

// A field added to one of these types must be added to its Add() below, or a rebuild would
// reuse an artifact the new field changes. The sizes (x86-64) make the compiler say so.
static_assert(sizeof(ir::Gateway) == 128, "update Add(ir::Gateway) for the new field");
static_assert(sizeof(ir::Trust) == 136, "update Add(ir::Trust) for the new field");
static_assert(sizeof(ir::IdentityProvider) == 136, "update Add(ir::IdentityProvider)");
static_assert(sizeof(ir::User) == 264, "update Add(ir::User) for the new field");
static_assert(sizeof(ir::Keystore) == 216, "update Add(ir::Keystore) for the new field");
static_assert(sizeof(ir::KeystoreEntry) == 104, "update Add(ir::KeystoreEntry)");
static_assert(sizeof(ir::Password) == 40, "update Add(ir::Password) for the new field");
static_assert(sizeof(ir::Allow) == 80, "update Add(ir::Allow) for the new field");
static_assert(sizeof(ir::RevocationPolicy) == 112, "update Add(ir::RevocationPolicy)");
static_assert(sizeof(ir::RevocationCheck) == 120, "update Add(ir::RevocationCheck)");

// SHA-256 over a sequence of fields, each length-prefixed so that no two different sequences
// hash the same bytes. Source ranges are left out: moving a declaration changes no artifact.
class Hasher {
 public:
  explicit Hasher(const ir::Program& program) : program_(program) {
    // This trustc: its version, and its build ID, which tells two builds under one version
    // apart (a development build, a patched package).
    Text("trustc " TRUST_VERSION);
    Text(base::ExecutableBuildId());
    Text(program.root_source);  // bundles name it in their comment
  }

  // Distinct names for the scalar kinds: an Add(bool) overload would take a string literal.
  void Text(std::string_view text) {
    uint64_t size = text.size();
    sha256_.Update(&size, sizeof size);
    sha256_.Update(text);
  }
  void Flag(bool value) { Text(value ? "1" : "0"); }
  void Number(int64_t value) { Text(std::to_string(value)); }

  // A certificate by what lowering reads of it: its bytes (facts derive from them), so its
  // SHA-256, and the names the program gives it.
  void Add(ir::CertId id) {
    const ir::Cert& cert = program_.cert(id);
    Text(cert.name);
    Text(cert.display_name);
    Text(cert.certificate ? std::string_view(cert.certificate->facts().sha256) : "no certificate");
  }

  void Add(const std::string& text) { Text(text); }

  void Add(const ir::Allow& allow) {
    Text(allow.rule);
    Text(allow.reason);
  }

  void Add(const ir::Trust& trust) {
    Add(trust.cert);
    Text(trust.entity_name);
    Flag(trust.anchor);
    for (bool purpose : trust.purposes) Flag(purpose);
    Flag(trust.verify_hostname);
    Flag(trust.revocation_checking);
    Text(trust.revocation_reason);
    Flag(trust.revocation_policy.has_value());
    if (trust.revocation_policy) Number(static_cast<int64_t>(*trust.revocation_policy));
    AddAll(trust.allows);
  }

  void Add(const ir::RevocationCheck& check) {
    Flag(check.ocsp);
    Flag(check.from_certificate);
    Text(check.url);
    Flag(check.allow_issuer_signature);
    AddAll(check.signers);
  }

  void Add(const ir::RevocationPolicy& policy) {
    Text(policy.id);
    Text(policy.display_name);
    Flag(policy.default_policy);
    Flag(policy.continue_on_unavailable);
    Flag(policy.default_success);
    AddAll(policy.checks);
  }

  void Add(const ir::User& user) {
    Text(user.login);
    Text(user.name);
    Text(user.dn);
    Flag(user.cert.has_value());
    if (user.cert) Add(*user.cert);
    Flag(user.cert_attached);
    Text(user.email);
    Text(user.first_name);
    Text(user.last_name);
    Text(user.note);
  }

  void Add(const ir::IdentityProvider& provider) {
    Text(provider.id);
    Text(provider.display_name);
    Flag(provider.x509);
    Flag(provider.saml);
    Number(static_cast<int64_t>(provider.validation));
    AddAll(provider.trusted);
    AddAll(provider.users);
  }

  void Add(const ir::Gateway& gateway) {
    Text(gateway.name);
    Number(static_cast<int64_t>(gateway.mapping));
    AddAll(gateway.trusts);
    AddAll(gateway.providers);
    AddAll(gateway.revocation_policies);
  }

  void Add(const ir::KeystoreEntry& entry) {
    Add(entry.cert);
    Text(entry.alias);
    Flag(entry.replace);
    Flag(entry.require_endpoint.has_value());
    if (entry.require_endpoint) Text(*entry.require_endpoint);
  }

  void Add(const ir::Keystore& keystore) {
    Text(keystore.name);
    Text(keystore.host);
    Number(static_cast<int64_t>(keystore.format));
    Text(keystore.path);
    Number(static_cast<int64_t>(keystore.password.kind));
    Text(keystore.password.value);
    Flag(keystore.create);
    AddAll(keystore.entries);
    AddAll(keystore.remove);
  }

  template <typename T>
  void AddAll(const std::vector<T>& items) {
    Number(static_cast<int64_t>(items.size()));
    for (const T& item : items) Add(item);
  }

  std::string Hex() { return sha256_.HexDigest(); }

 private:
  const ir::Program& program_;
  Sha256 sha256_;
};

}  // namespace

std::string GatewayInputKey(const ir::Program& program, const ir::Gateway& gateway) {
  Hasher hasher(program);
  hasher.Text("gateway");
  hasher.Add(gateway);
  return hasher.Hex();
}

std::string KeystoreInputKey(const ir::Program& program, const ir::Keystore& keystore,
                             std::string_view generator) {
  Hasher hasher(program);
  hasher.Text("keystore");
  hasher.Text(generator);
  hasher.Add(keystore);
  return hasher.Hex();
}

}  // namespace trust::artifacts
