// One interface over the keystore formats trust-apply manages: JKS (and JCEKS, read-only),
// PKCS#12 and PEM bundles.
//
// Invariants every implementation keeps:
//   - entries the caller does not name are preserved: same alias, same bytes for key
//     material and certificate chains, same attributes;
//   - readers never trust a length: every read is bounds-checked and the entry count and
//     input size are limited (kMaxKeystoreBytes, kMaxKeystoreEntries), so garbage gives an
//     error, never a crash;
//   - a wrong password (integrity check or MAC mismatch) gives kWrongPassword;
//   - new trusted entries get lower-case aliases where the format is case-insensitive.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/keystore/format.h"
#include "runtime/keystore/secret.h"
#include "runtime/x509/certificate.h"

namespace trust::keystore {

inline constexpr size_t kMaxKeystoreBytes = 256u << 20;  // 256 MiB
inline constexpr size_t kMaxKeystoreEntries = 1000000;
inline constexpr std::string_view kWrongPassword = "wrong password or corrupt keystore";

enum class EntryKind { kTrustedCert, kPrivateKey, kSecretKey };
std::string_view EntryKindName(EntryKind kind);  // "trusted", "private-key", "secret-key"

struct EntryInfo {
  std::string alias;
  EntryKind kind = EntryKind::kTrustedCert;
  std::string sha256;     // of the (leaf) certificate's DER; empty when there is none
  std::string subject;    // RFC 4514; empty when there is no certificate
  std::string not_after;  // "2031-03-01T12:00:00Z"; empty when there is no certificate
};

class Keystore {
 public:
  virtual ~Keystore() = default;
  virtual StoreFormat format() const = 0;
  // jks and pkcs12 compare aliases case-insensitively (as Java does); pem exactly.
  virtual bool CaseInsensitiveAliases() const = 0;
  // Entries in file order.
  virtual std::vector<EntryInfo> List() const = 0;
  // Adds a trusted certificate entry; the alias must be free.
  virtual bool AddTrusted(std::string_view alias, const x509::Certificate& cert,
                          std::string* error) = 0;
  // Puts another certificate under an existing trusted entry's alias. When the alias matches
  // several entries (see AliasIndex), all must be trusted ones; they become one entry.
  virtual bool ReplaceTrusted(std::string_view alias, const x509::Certificate& cert,
                              std::string* error) = 0;
  // Removes every entry the alias matches. Key entries are never removed: an alias that
  // matches one is an error and nothing is removed.
  virtual bool Remove(std::string_view alias, std::string* error) = 0;
  // The new file contents.
  virtual std::optional<std::string> Serialize(std::string* error) const = 0;
};

// By the first bytes: FEEDFEED jks, CECECECE jceks, 0x30 pkcs12, anything else pem text.
StoreFormat DetectFormat(std::string_view bytes);

// Opens existing bytes. `password` may be null ("none"): jks then skips its integrity check
// (as Java does) and cannot be written; pkcs12 then reads only unencrypted containers.
std::unique_ptr<Keystore> OpenKeystore(std::string_view bytes, StoreFormat format,
                                       const Secret* password, std::string* error);

// An empty keystore of `format` (not jceks), as created by `create: true`.
std::unique_ptr<Keystore> NewKeystore(StoreFormat format, const Secret* password,
                                      std::string* error);

// The entry under `alias`, or null.
const EntryInfo* FindAlias(const std::vector<EntryInfo>& entries, std::string_view alias,
                           bool case_insensitive);

// Every entry under an alias, for many lookups in one listing (a store has tens of thousands
// of entries); the listing must outlive the index. A store written by other tools can hold
// several entries under one alias (exact repeats, or spellings that differ only in case where
// aliases are case-insensitive): all of them are returned, in file order.
class AliasIndex {
 public:
  AliasIndex(const std::vector<EntryInfo>& entries, bool case_insensitive);
  std::vector<const EntryInfo*> FindAll(std::string_view alias) const;

 private:
  std::string Key(std::string_view alias) const;
  bool case_insensitive_;
  std::unordered_map<std::string, std::vector<const EntryInfo*>> by_alias_;
};

}  // namespace trust::keystore
