#include "runtime/keystore/keystore.h"

#include <variant>

#include "base/ascii.h"
#include "base/digest.h"
#include "runtime/keystore/alias.h"
#include "runtime/keystore/internal.h"

namespace trust::keystore {

std::string_view StoreFormatName(StoreFormat format) {
  switch (format) {
    case StoreFormat::kJks:
      return "jks";
    case StoreFormat::kJceks:
      return "jceks";
    case StoreFormat::kPkcs12:
      return "pkcs12";
    case StoreFormat::kPem:
      return "pem";
  }
  return "jks";
}

std::optional<StoreFormat> ParseWritableFormat(std::string_view name) {
  for (StoreFormat format : {StoreFormat::kJks, StoreFormat::kPkcs12, StoreFormat::kPem}) {
    if (StoreFormatName(format) == name) {
      return format;
    }
  }
  return std::nullopt;
}

std::string_view EntryKindName(EntryKind kind) {
  switch (kind) {
    case EntryKind::kTrustedCert:
      return "trusted";
    case EntryKind::kPrivateKey:
      return "private-key";
    case EntryKind::kSecretKey:
      return "secret-key";
  }
  return "trusted";
}

StoreFormat DetectFormat(std::string_view bytes) {
  if (bytes.starts_with("\xFE\xED\xFE\xED")) {
    return StoreFormat::kJks;
  }
  if (bytes.starts_with("\xCE\xCE\xCE\xCE")) {
    return StoreFormat::kJceks;
  }
  if (bytes.starts_with("\x30")) {
    return StoreFormat::kPkcs12;
  }
  return StoreFormat::kPem;
}

std::unique_ptr<Keystore> OpenKeystore(std::string_view bytes, StoreFormat format,
                                       const Secret* password, std::string* error) {
  if (bytes.size() > kMaxKeystoreBytes) {
    *error = "keystore is larger than " + std::to_string(kMaxKeystoreBytes >> 20) + " MiB";
    return nullptr;
  }
  switch (format) {
    case StoreFormat::kJks:
    case StoreFormat::kJceks:
      return OpenJks(bytes, password, error);
    case StoreFormat::kPkcs12:
      return OpenPkcs12(bytes, password, error);
    case StoreFormat::kPem:
      return OpenPemBundle(bytes, error);
  }
  return nullptr;
}

std::unique_ptr<Keystore> NewKeystore(StoreFormat format, const Secret* password,
                                      std::string* error) {
  switch (format) {
    case StoreFormat::kJks:
      return NewJks(password);
    case StoreFormat::kPkcs12:
      return NewPkcs12(password, error);
    case StoreFormat::kPem:
      return NewPemBundle();
    case StoreFormat::kJceks:
      break;
  }
  *error = "jceks keystores are read-only";
  return nullptr;
}

const EntryInfo* FindAlias(const std::vector<EntryInfo>& entries, std::string_view alias,
                           bool case_insensitive) {
  for (const EntryInfo& entry : entries) {
    if (case_insensitive ? base::AsciiEqualIgnoreCase(entry.alias, alias) : entry.alias == alias) {
      return &entry;
    }
  }
  return nullptr;
}

AliasIndex::AliasIndex(const std::vector<EntryInfo>& entries, bool case_insensitive)
    : case_insensitive_(case_insensitive) {
  for (const EntryInfo& entry : entries) by_alias_[Key(entry.alias)].push_back(&entry);
}

std::vector<const EntryInfo*> AliasIndex::FindAll(std::string_view alias) const {
  auto it = by_alias_.find(Key(alias));
  return it == by_alias_.end() ? std::vector<const EntryInfo*>{} : it->second;
}

std::string AliasIndex::Key(std::string_view alias) const {
  return case_insensitive_ ? base::AsciiLower(alias) : std::string(alias);
}

// Stored entries are summarised, not fully decoded: plan decisions need only the digest, and
// decoding every public key of a large store would dominate the run (see SummarizeCertificate).
bool DescribeCertificate(std::string_view der, EntryInfo* info, std::string* error) {
  std::optional<x509::CertSummary> summary = x509::SummarizeCertificate(der);
  if (!summary) {
    *error = "certificate of `" + info->alias + "` is unreadable: not a DER X.509 certificate";
    return false;
  }
  // The digest is of the stored bytes, which is what a keytool fingerprint shows.
  info->sha256 = base::Sha256Hex(der);
  info->subject = std::move(summary->subject);
  info->not_after = x509::FormatUtc(summary->not_after);
  return true;
}

bool CheckNewAlias(std::string_view alias, std::string* error) {
  std::string message;
  if (!CheckAlias(alias, /*new_entry=*/true, &message)) {
    *error = "alias `" + std::string(alias) + "`: " + message;
    return false;
  }
  return true;
}

}  // namespace trust::keystore
