// The JKS/JCEKS file layout (see docs/keystores.md), as plain data. Parsing keeps
// every byte of every entry (aliases as stored, timestamps, protected keys, chains) so that a
// rewrite reproduces the entries it was not asked to change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/keystore/secret.h"

namespace trust::keystore::jks {

inline constexpr uint32_t kJksMagic = 0xFEEDFEED;
inline constexpr uint32_t kJceksMagic = 0xCECECECE;
inline constexpr uint32_t kTagPrivateKey = 1;
inline constexpr uint32_t kTagTrustedCert = 2;
inline constexpr uint32_t kTagSecretKey = 3;  // JCEKS only: a serialized Java object

struct JksCert {
  std::string type;  // "X.509"
  std::string der;
};

struct JksEntry {
  uint32_t tag = kTagTrustedCert;
  std::string alias;  // modified UTF-8, as stored
  int64_t timestamp_ms = 0;
  std::string protected_key;   // tag 1: EncryptedPrivateKeyInfo DER
  std::vector<JksCert> chain;  // tag 1: leaf first; tag 2: exactly one certificate
};

struct JksFile {
  bool jceks = false;
  std::vector<JksEntry> entries;
};

// `password` null: the integrity check is skipped, as Java does when loading without one.
std::optional<JksFile> ParseJks(std::string_view bytes, const Secret* password, std::string* error);

// Always version 2, with the SHA-1 integrity trailer for `password`.
std::optional<std::string> SerializeJks(const JksFile& file, const Secret& password,
                                        std::string* error);

}  // namespace trust::keystore::jks
