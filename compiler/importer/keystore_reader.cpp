#include "compiler/importer/keystore_reader.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "base/ascii.h"
#include "base/digest.h"
#include "base/file_read.h"
#include "compiler/importer/names.h"
#include "runtime/keystore/alias.h"
#include "runtime/keystore/jks/jks_file.h"
#include "runtime/keystore/keystore.h"
#include "runtime/keystore/pkcs12/pkcs12_file.h"
#include "runtime/manifest/validate.h"

namespace trust::importer {
namespace {

using DerBySha256 = std::map<std::string, std::string>;

constexpr char kDebianReason[] =
    "their aliases start with `debian:`: they belong to ca-certificates-java, which "
    "update-ca-certificates keeps in step with /etc/ssl/certs";

void AddDer(std::string der, DerBySha256* out) {
  if (!der.empty()) (*out)[base::Sha256Hex(std::string_view(der))] = std::move(der);
}

std::string X509Der(X509* x509) {
  unsigned char* der = nullptr;
  int length = x509 != nullptr ? i2d_X509(x509, &der) : -1;
  if (length <= 0) return {};
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return out;
}

// The Keystore interface describes entries by SHA-256; the certificates themselves come from
// the format's own parser, matched by that digest.
DerBySha256 CollectDer(const std::string& bytes, ir::KeystoreFormat format,
                       const keystore::Secret* password) {
  DerBySha256 out;
  std::string ignored;
  if (format == ir::KeystoreFormat::kJks) {
    if (auto file = keystore::jks::ParseJks(bytes, password, &ignored)) {
      for (const auto& entry : file->entries) {
        for (const auto& cert : entry.chain) AddDer(cert.der, &out);
      }
    }
  } else if (format == ir::KeystoreFormat::kPkcs12) {
    if (auto file = keystore::pkcs12::ParsePkcs12(bytes, password, &ignored)) {
      for (const auto& container : file->containers) {
        const STACK_OF(PKCS12_SAFEBAG)* bags = container.bags.get();
        for (int i = 0; bags != nullptr && i < sk_PKCS12_SAFEBAG_num(bags); ++i) {
          const PKCS12_SAFEBAG* bag = sk_PKCS12_SAFEBAG_value(bags, i);
          if (PKCS12_SAFEBAG_get_nid(bag) != NID_certBag) continue;
          x509::X509Ptr x509(PKCS12_SAFEBAG_get1_cert(bag));
          AddDer(X509Der(x509.get()), &out);
        }
      }
    }
  } else {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())), &BIO_free);
    while (x509::X509Ptr x509{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
      AddDer(X509Der(x509.get()), &out);
    }
  }
  ERR_clear_error();
  return out;
}

// The bounded reader (bounded, never blocking on a FIFO, regular files only), capped at the
// keystore limit trust-apply uses.
std::optional<std::string> ReadKeystoreFile(const std::string& path, std::string* error) {
  std::string why;
  std::optional<std::string> bytes = base::ReadRegularFile(path, keystore::kMaxKeystoreBytes, &why);
  if (!bytes) *error = path + ": cannot read the keystore: " + why;
  return bytes;
}

class KeystoreImport {
 public:
  KeystoreImport(const KeystoreInput& input, Estate* estate) : input_(input), estate_(estate) {}

  bool Run(std::string* error) {
    std::optional<std::string> bytes = ReadKeystoreFile(input_.path, error);
    if (!bytes) return false;
    const char* env = std::getenv(input_.password_env.c_str());
    std::optional<keystore::Secret> password;
    if (env != nullptr) password.emplace(env);
    const keystore::Secret* secret = password ? &*password : nullptr;
    if (!secret && input_.format != ir::KeystoreFormat::kPem) {
      estate_->warnings.push_back(input_.path + ": " + input_.password_env +
                                  " is not set: the keystore was read without its password, so "
                                  "its integrity was NOT checked; set " +
                                  input_.password_env + " to check it");
    }
    std::unique_ptr<keystore::Keystore> store =
        keystore::OpenKeystore(*bytes, input_.format, secret, error);
    if (!store) {
      *error = input_.path + ": " + *error;
      return false;
    }
    DerBySha256 der = CollectDer(*bytes, input_.format, secret);
    ImportedKeystore imported = Header(secret != nullptr);
    std::map<std::string, int> skipped;
    for (const keystore::EntryInfo& entry : store->List()) {
      if (entry.kind != keystore::EntryKind::kTrustedCert) {
        ++skipped[std::string(keystore::EntryKindName(entry.kind))];
        continue;
      }
      if (!AddEntry(entry, der, &imported, error)) return false;
    }
    NoteLeftOut();
    for (const auto& [kind, count] : skipped) {
      Note("skipped " + std::to_string(count) + " " + kind + " entr" + (count == 1 ? "y" : "ies") +
           " (only trusted certificates are imported; keys never are)");
    }
    estate_->keystores.push_back(std::move(imported));
    return true;
  }

 private:
  ImportedKeystore Header(bool have_password) const {
    ImportedKeystore imported;
    std::string stem = std::filesystem::path(input_.path).stem().string();
    imported.name = IsIdentifier(stem) ? stem : Identifier(stem, "keystore");
    imported.path = input_.path;
    imported.format = input_.format;
    // A password-less PKCS#12 (Java 18+ cacerts) stays password-less; JKS always needs one.
    bool none = input_.format == ir::KeystoreFormat::kPem ||
                (input_.format == ir::KeystoreFormat::kPkcs12 && !have_password);
    imported.password_env = none ? "" : input_.password_env;
    return imported;
  }

  bool AddEntry(const keystore::EntryInfo& entry, const DerBySha256& der,
                ImportedKeystore* imported, std::string* error) {
    auto bytes = der.find(entry.sha256);
    if (bytes == der.end()) {
      *error = input_.path + ": the certificate of entry `" + entry.alias + "` cannot be read";
      return false;
    }
    x509::LoadResult result = x509::ParseCertificate(bytes->second);
    if (const auto* failure = std::get_if<x509::LoadError>(&result)) {
      *error = input_.path + ": entry `" + entry.alias + "`: " + failure->message;
      return false;
    }
    bool java = input_.format != ir::KeystoreFormat::kPem;
    std::string alias = java ? base::AsciiLower(entry.alias) : entry.alias;
    std::string problem;
    if (!keystore::CheckAlias(alias, /*new_entry=*/true, &problem)) {
      LeaveOut("`" + entry.alias + "`", alias.starts_with("debian:") ? kDebianReason : problem);
      return true;
    }
    size_t cert =
        estate_->AddCert(std::get<std::shared_ptr<const x509::Certificate>>(result), entry.alias);
    for (const ImportedEntry& other : imported->entries) {
      if (other.cert == cert || other.alias == alias) {
        LeaveOut("`" + entry.alias + "` (repeats `" + other.alias + "`)",
                 "they repeat the certificate or the alias of an earlier entry");
        return true;
      }
    }
    imported->entries.push_back({cert, alias});
    return true;
  }

  void Note(const std::string& text) { estate_->notes.push_back(input_.path + ": " + text); }

  // Entries left out are summarised by reason, one note each (a Java truststore has a hundred
  // and more `debian:` entries); the aliases are details, for --verbose.
  void LeaveOut(const std::string& entry, const std::string& reason) {
    left_out_[reason].push_back(entry);
  }

  void NoteLeftOut() {
    for (const auto& [reason, entries] : left_out_) {
      size_t count = entries.size();
      Note("left out " + std::to_string(count) + " entr" + (count == 1 ? "y" : "ies") + ": " +
           reason);
      for (const std::string& entry : entries) {
        estate_->details.push_back(input_.path + ": left out " + entry + ": " + reason);
      }
    }
  }

  const KeystoreInput& input_;
  Estate* estate_;
  std::map<std::string, std::vector<std::string>> left_out_;  // reason -> entries
};

}  // namespace

std::optional<KeystoreInput> ParseKeystoreSpec(std::string_view spec, std::string* error) {
  KeystoreInput input;
  size_t last = spec.rfind(':');
  if (last == std::string_view::npos) {
    *error = "--keystore " + std::string(spec) + ": expected PATH:FORMAT[:ENVVAR]";
    return std::nullopt;
  }
  std::string_view rest = spec.substr(0, last);
  std::string_view word = spec.substr(last + 1);
  if (!keystore::ParseWritableFormat(word)) {
    size_t previous = rest.rfind(':');
    if (previous != std::string_view::npos &&
        keystore::ParseWritableFormat(rest.substr(previous + 1))) {
      input.password_env = std::string(word);
      word = rest.substr(previous + 1);
      rest = rest.substr(0, previous);
    }
  }
  std::optional<ir::KeystoreFormat> format = keystore::ParseWritableFormat(word);
  if (!format || rest.empty() || !manifest::IsEnvName(input.password_env)) {
    *error = "--keystore " + std::string(spec) +
             ": expected PATH:FORMAT[:ENVVAR] with FORMAT jks, pkcs12 or pem and ENVVAR a "
             "variable name";
    return std::nullopt;
  }
  input.path = std::string(rest);
  input.format = *format;
  return input;
}

bool ReadKeystore(const KeystoreInput& input, Estate* estate, std::string* error) {
  KeystoreImport import(input, estate);
  return import.Run(error);
}

}  // namespace trust::importer
