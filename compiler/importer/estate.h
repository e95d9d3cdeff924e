// What `trustc import` found, before it is written as source: certificates (each once, by
// SHA-256), gateways with their trusted certificates, federated providers and users, and
// keystores with their trusted entries. Names here are the entity names of the gateway;
// identifiers are chosen when writing.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/x509/certificate.h"

namespace trust::importer {

struct ImportedCert {
  std::shared_ptr<const x509::Certificate> certificate;
  std::string first_name;  // the first entity name or alias it was met under: a naming hint
};

struct ImportedTrust {
  size_t cert = 0;          // index into Estate::certs
  std::string entity_name;  // TrustedCertificate name on the gateway
  bool anchor = false;
  std::array<bool, ir::kPurposeCount> purposes{};
  bool verify_hostname = true;
  bool revocation_checking = true;
  // A specific revocation policy: an index into ImportedGateway::revocation_policies.
  std::optional<size_t> revocation_policy;
  // A trusted signer of one of the gateway's policies: trusted for that even without a purpose.
  bool revocation_signer = false;
};

struct ImportedRevocationCheck {
  bool ocsp = false;
  bool from_certificate = false;
  std::string url;  // the URL, or for the "from certificate" kinds a regular expression
  bool allow_issuer_signature = false;
  std::vector<size_t> signers;  // indexes into Estate::certs
};

struct ImportedRevocationPolicy {
  std::string name;  // the policy's name on the gateway
  bool default_policy = false;
  bool continue_on_unavailable = false;
  bool default_success = false;
  std::vector<ImportedRevocationCheck> checks;
};

struct ImportedUser {
  std::string login;  // empty: a login-less user, known by its name
  std::string name;   // the gateway's `name` property; the login when the user has one
  std::string dn;
  std::string email;
  std::string first_name;
  std::string last_name;
  // The certificate attached to the user on the gateway (written as `attach`): an index into
  // Estate::certs, set only when the compiler would accept it (see AttachUserCert).
  std::optional<size_t> cert;
};

struct ImportedProvider {
  std::string name;  // IdentityProvider name on the gateway
  bool x509 = false;
  bool saml = false;
  ir::Validation validation = ir::Validation::kGatewayDefault;
  std::vector<size_t> certs;  // indexes into Estate::certs, in reference order
  std::vector<ImportedUser> users;
};

struct ImportedGateway {
  std::string name;    // identifier, from the bundle file name
  std::string source;  // the bundle file, for the header comment
  ir::Mapping mapping = ir::Mapping::kByName;
  std::vector<ImportedTrust> trusts;
  std::vector<ImportedProvider> providers;
  std::vector<ImportedRevocationPolicy> revocation_policies;
};

struct ImportedEntry {
  size_t cert = 0;
  std::string alias;
};

struct ImportedKeystore {
  std::string name;  // identifier, from the keystore file name
  std::string path;  // as given: a placeholder for the path on the deploy host
  ir::KeystoreFormat format = ir::KeystoreFormat::kJks;
  std::string password_env;  // empty: `password none`
  std::vector<ImportedEntry> entries;
};

// Everything met, plus the notes and warnings for stderr (skipped kinds with counts,
// adjustments; a keystore read without checking its integrity).
struct Estate {
  std::vector<ImportedCert> certs;
  std::map<std::string, size_t> cert_by_sha256;
  std::vector<ImportedGateway> gateways;
  std::vector<ImportedKeystore> keystores;
  std::vector<std::string> notes;
  std::vector<std::string> warnings;
  std::vector<std::string> details;  // one line per entry a note summarises (--verbose)

  // The index of the certificate, adding it when it is new.
  size_t AddCert(std::shared_ptr<const x509::Certificate> certificate, const std::string& hint);
};

}  // namespace trust::importer
