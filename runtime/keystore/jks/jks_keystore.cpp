// Keystore over a JksFile. New entries: lower-case alias (Java lower-cases on store and
// lookup, not on load), timestamp = the certificate's notBefore so that the same manifest
// gives the same bytes on every host and every run.
#include <optional>

#include "base/ascii.h"
#include "runtime/keystore/internal.h"
#include "runtime/keystore/jks/jks_file.h"

namespace trust::keystore {
namespace {

using jks::JksEntry;
using jks::JksFile;

class JksKeystore : public Keystore {
 public:
  JksKeystore(JksFile file, std::vector<EntryInfo> infos, const Secret* password)
      : file_(std::move(file)), infos_(std::move(infos)) {
    if (password != nullptr) {
      password_.emplace(password->view());
    }
  }

  StoreFormat format() const override {
    return file_.jceks ? StoreFormat::kJceks : StoreFormat::kJks;
  }
  bool CaseInsensitiveAliases() const override { return true; }
  std::vector<EntryInfo> List() const override { return infos_; }

  bool AddTrusted(std::string_view alias, const x509::Certificate& cert,
                  std::string* error) override {
    if (!CheckNewAlias(alias, error)) {
      return false;
    }
    if (Find(alias) != kNotFound) {
      *error = "alias `" + std::string(alias) + "` already exists";
      return false;
    }
    JksEntry entry = MakeTrusted(base::AsciiLower(alias), cert);
    EntryInfo info{entry.alias, EntryKind::kTrustedCert, {}, {}, {}};
    if (!DescribeCertificate(entry.chain[0].der, &info, error)) {
      return false;
    }
    file_.entries.push_back(std::move(entry));
    infos_.push_back(std::move(info));
    return true;
  }

  bool ReplaceTrusted(std::string_view alias, const x509::Certificate& cert,
                      std::string* error) override {
    std::vector<size_t> matches = FindAllTrusted(alias, error);
    if (matches.empty()) {
      return false;
    }
    // Keeps the first entry's stored alias spelling and position; only the certificate and
    // its timestamp change. Further entries under the alias go, so that Java (which keeps the
    // last of them) sees the new certificate.
    size_t index = matches.front();
    JksEntry entry = MakeTrusted(file_.entries[index].alias, cert);
    EntryInfo info{entry.alias, EntryKind::kTrustedCert, {}, {}, {}};
    if (!DescribeCertificate(entry.chain[0].der, &info, error)) {
      return false;
    }
    file_.entries[index] = std::move(entry);
    infos_[index] = std::move(info);
    matches.erase(matches.begin());
    EraseAll(matches);
    return true;
  }

  bool Remove(std::string_view alias, std::string* error) override {
    std::vector<size_t> matches = FindAllTrusted(alias, error);
    EraseAll(matches);
    return !matches.empty();
  }

  std::optional<std::string> Serialize(std::string* error) const override {
    if (!password_) {
      // Writing needs the password for the integrity trailer; an empty one would make the
      // store fail to open with its real password.
      *error = "a jks keystore cannot be written without its password (password: none)";
      return std::nullopt;
    }
    return jks::SerializeJks(file_, *password_, error);
  }

 private:
  static constexpr size_t kNotFound = static_cast<size_t>(-1);

  static JksEntry MakeTrusted(std::string alias, const x509::Certificate& cert) {
    JksEntry entry;
    entry.tag = jks::kTagTrustedCert;
    entry.alias = std::move(alias);
    entry.timestamp_ms = cert.facts().not_before * 1000;
    std::vector<uint8_t> der = cert.der();
    entry.chain.push_back({"X.509", std::string(der.begin(), der.end())});
    return entry;
  }

  size_t Find(std::string_view alias) const {
    for (size_t i = 0; i < file_.entries.size(); ++i) {
      if (base::AsciiEqualIgnoreCase(file_.entries[i].alias, alias)) {
        return i;
      }
    }
    return kNotFound;
  }

  // Every entry under `alias`, in file order; empty (with *error) when there is none or one
  // of them is a key entry.
  std::vector<size_t> FindAllTrusted(std::string_view alias, std::string* error) const {
    std::vector<size_t> matches;
    for (size_t i = 0; i < file_.entries.size(); ++i) {
      if (!base::AsciiEqualIgnoreCase(file_.entries[i].alias, alias)) {
        continue;
      }
      if (file_.entries[i].tag != jks::kTagTrustedCert) {
        *error = "alias `" + std::string(alias) + "` holds a key entry, which is never changed";
        return {};
      }
      matches.push_back(i);
    }
    if (matches.empty()) {
      *error = "alias `" + std::string(alias) + "` does not exist";
    }
    return matches;
  }

  // `indexes` ascending.
  void EraseAll(const std::vector<size_t>& indexes) {
    for (auto it = indexes.rbegin(); it != indexes.rend(); ++it) {
      file_.entries.erase(file_.entries.begin() + static_cast<ptrdiff_t>(*it));
      infos_.erase(infos_.begin() + static_cast<ptrdiff_t>(*it));
    }
  }

  JksFile file_;
  std::vector<EntryInfo> infos_;  // parallel to file_.entries
  std::optional<Secret> password_;
};

bool DescribeEntry(const JksEntry& entry, EntryInfo* info, std::string* error) {
  info->alias = entry.alias;
  info->kind = entry.tag == jks::kTagPrivateKey ? EntryKind::kPrivateKey : EntryKind::kTrustedCert;
  if (entry.chain.empty()) {
    return true;  // a key entry without a chain: nothing to describe
  }
  return DescribeCertificate(entry.chain[0].der, info, error);
}

}  // namespace

std::unique_ptr<Keystore> OpenJks(std::string_view bytes, const Secret* password,
                                  std::string* error) {
  std::optional<JksFile> file = jks::ParseJks(bytes, password, error);
  if (!file) {
    return nullptr;
  }
  std::vector<EntryInfo> infos;
  infos.reserve(file->entries.size());
  for (const JksEntry& entry : file->entries) {
    EntryInfo info;
    if (!DescribeEntry(entry, &info, error)) {
      return nullptr;
    }
    infos.push_back(std::move(info));
  }
  return std::make_unique<JksKeystore>(std::move(*file), std::move(infos), password);
}

std::unique_ptr<Keystore> NewJks(const Secret* password) {
  return std::make_unique<JksKeystore>(JksFile{}, std::vector<EntryInfo>{}, password);
}

}  // namespace trust::keystore
