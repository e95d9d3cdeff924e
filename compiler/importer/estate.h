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
};

struct ImportedUser {
  std::string login;
  std::string dn;
  std::string email;
  std::string first_name;
  std::string last_name;
  // The user's own certificate (Graphman bundles carry it; RESTMAN bundles cannot): an index
  // into Estate::certs, set only when its subject is the DN and a certificate the provider
  // trusts for signing client certificates signed it, as the compiler requires.
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

  // The index of the certificate, adding it when it is new.
  size_t AddCert(std::shared_ptr<const x509::Certificate> certificate, const std::string& hint);
};

}  // namespace trust::importer
