#include "runtime/keystore/jks/jks_file.h"

#include <openssl/evp.h>

#include <memory>

#include "base/utf8.h"
#include "runtime/keystore/byte_io.h"
#include "runtime/keystore/keystore.h"

namespace trust::keystore::jks {
namespace {

constexpr size_t kDigestSize = 20;
constexpr uint32_t kMaxChainLength = 100;

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// Java hashes the password as UTF-16BE code units; the password comes to us as UTF-8.
// `out` is reserved for the longest result up front (two bytes per UTF-8 byte at most), so
// filling it never reallocates and leaves no unwiped copy of the password behind.
bool PasswordUtf16Be(std::string_view utf8, std::vector<unsigned char>* out) {
  out->reserve(2 * utf8.size());
  size_t i = 0;
  while (i < utf8.size()) {
    char32_t cp = 0;
    size_t length = base::DecodeUtf8At(utf8, i, &cp);
    if (length == 0) {
      return false;
    }
    i += length;
    auto push = [out](uint32_t unit) {
      out->push_back(static_cast<unsigned char>(unit >> 8));
      out->push_back(static_cast<unsigned char>(unit & 0xff));
    };
    if (cp >= 0x10000) {
      cp -= 0x10000;
      push(0xD800 + (cp >> 10));
      push(0xDC00 + (cp & 0x3FF));
    } else {
      push(cp);
    }
  }
  return true;
}

// SHA-1(password UTF-16BE || "Mighty Aphrodite" || body).
bool IntegrityDigest(const Secret& password, std::string_view body, unsigned char* digest,
                     std::string* error) {
  std::vector<unsigned char> utf16;
  if (!PasswordUtf16Be(password.view(), &utf16)) {
    OPENSSL_cleanse(utf16.data(), utf16.size());
    *error = "keystore password is not valid UTF-8";
    return false;
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  static constexpr std::string_view kWhitener = "Mighty Aphrodite";
  unsigned int length = 0;
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha1(), nullptr) == 1 &&
            EVP_DigestUpdate(ctx.get(), utf16.data(), utf16.size()) == 1 &&
            EVP_DigestUpdate(ctx.get(), kWhitener.data(), kWhitener.size()) == 1 &&
            EVP_DigestUpdate(ctx.get(), body.data(), body.size()) == 1 &&
            EVP_DigestFinal_ex(ctx.get(), digest, &length) == 1;
  OPENSSL_cleanse(utf16.data(), utf16.size());
  if (!ok) {
    *error = "sha-1 is unavailable";
  }
  return ok;
}

bool ReadCert(ByteReader& reader, uint32_t version, JksCert* cert) {
  std::string_view type = "X.509";
  uint32_t type_length = 0;
  if (version == 2 && (!reader.U2(&type_length) || !reader.Bytes(type_length, &type))) {
    return false;
  }
  uint32_t der_length = 0;
  std::string_view der;
  if (!reader.U4(&der_length) || !reader.Bytes(der_length, &der)) {
    return false;
  }
  cert->type = std::string(type);
  cert->der = std::string(der);
  return true;
}

bool ReadKeyEntry(ByteReader& reader, uint32_t version, JksEntry* entry, std::string* error) {
  uint32_t key_length = 0;
  std::string_view key;
  uint32_t chain_length = 0;
  if (!reader.U4(&key_length) || !reader.Bytes(key_length, &key) || !reader.U4(&chain_length)) {
    return false;
  }
  if (chain_length > kMaxChainLength) {
    *error = "corrupt keystore: certificate chain of " + std::to_string(chain_length);
    return false;
  }
  entry->protected_key = std::string(key);
  for (uint32_t i = 0; i < chain_length; ++i) {
    JksCert cert;
    if (!ReadCert(reader, version, &cert)) {
      return false;
    }
    entry->chain.push_back(std::move(cert));
  }
  return true;
}

// False with an empty *error means "truncated".
bool ReadEntry(ByteReader& reader, uint32_t version, JksEntry* entry, std::string* error) {
  uint32_t alias_length = 0;
  std::string_view alias;
  if (!reader.U4(&entry->tag) || !reader.U2(&alias_length) || !reader.Bytes(alias_length, &alias) ||
      !reader.S8(&entry->timestamp_ms)) {
    return false;
  }
  entry->alias = std::string(alias);
  if (entry->tag == kTagTrustedCert) {
    JksCert cert;
    if (!ReadCert(reader, version, &cert)) {
      return false;
    }
    entry->chain.push_back(std::move(cert));
    return true;
  }
  if (entry->tag == kTagPrivateKey) {
    return ReadKeyEntry(reader, version, entry, error);
  }
  *error = entry->tag == kTagSecretKey
               ? "secret key entry `" + entry->alias + "` is not supported (jceks)"
               : "corrupt keystore: unknown entry tag " + std::to_string(entry->tag);
  return false;
}

bool CheckIntegrity(std::string_view bytes, size_t body_size, const Secret* password,
                    std::string* error) {
  if (bytes.size() - body_size != kDigestSize) {
    *error = bytes.size() - body_size < kDigestSize
                 ? "corrupt keystore: truncated"
                 : "corrupt keystore: data after the integrity check";
    return false;
  }
  if (password == nullptr) {
    return true;  // Java skips the check without a password; so does `list` without one.
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  if (!IntegrityDigest(*password, bytes.substr(0, body_size), digest, error)) {
    return false;
  }
  if (CRYPTO_memcmp(digest, bytes.data() + body_size, kDigestSize) != 0) {
    *error = std::string(kWrongPassword);
    return false;
  }
  return true;
}

bool ReadEntries(ByteReader& reader, uint32_t version, uint32_t count, JksFile* file,
                 std::string* error) {
  for (uint32_t i = 0; i < count; ++i) {
    JksEntry entry;
    if (!ReadEntry(reader, version, &entry, error)) {
      if (error->empty()) {
        *error = "corrupt keystore: truncated in entry " + std::to_string(i + 1);
      }
      return false;
    }
    // Every entry is kept, even one whose alias repeats (Java keeps only the last): a rewrite
    // must not drop what it was not asked to touch, and the plan treats an alias that matches
    // several entries as a conflict unless the manifest resolves all of them.
    file->entries.push_back(std::move(entry));
  }
  return true;
}

}  // namespace

std::optional<JksFile> ParseJks(std::string_view bytes, const Secret* password,
                                std::string* error) {
  ByteReader reader(bytes);
  uint32_t magic = 0;
  uint32_t version = 0;
  uint32_t count = 0;
  if (!reader.U4(&magic) || !reader.U4(&version) || !reader.U4(&count)) {
    *error = "corrupt keystore: truncated header";
    return std::nullopt;
  }
  JksFile file;
  file.jceks = magic == kJceksMagic;
  if ((magic != kJksMagic && magic != kJceksMagic) || (version != 1 && version != 2)) {
    *error = "corrupt keystore: not a jks file (bad magic or version)";
    return std::nullopt;
  }
  if (count > kMaxKeystoreEntries) {
    *error = "corrupt keystore: " + std::to_string(count) + " entries is over the limit";
    return std::nullopt;
  }
  error->clear();
  if (!ReadEntries(reader, version, count, &file, error) ||
      !CheckIntegrity(bytes, reader.position(), password, error)) {
    return std::nullopt;
  }
  return file;
}

std::optional<std::string> SerializeJks(const JksFile& file, const Secret& password,
                                        std::string* error) {
  if (file.jceks) {
    *error = "jceks keystores are read-only: convert to jks or pkcs12 with keytool";
    return std::nullopt;
  }
  ByteWriter writer;
  writer.U4(kJksMagic);
  writer.U4(2);
  writer.U4(static_cast<uint32_t>(file.entries.size()));
  for (const JksEntry& entry : file.entries) {
    writer.U4(entry.tag);
    writer.U2(static_cast<uint32_t>(entry.alias.size()));
    writer.Bytes(entry.alias);
    writer.S8(entry.timestamp_ms);
    if (entry.tag == kTagPrivateKey) {
      writer.U4(static_cast<uint32_t>(entry.protected_key.size()));
      writer.Bytes(entry.protected_key);
      writer.U4(static_cast<uint32_t>(entry.chain.size()));
    }
    for (const JksCert& cert : entry.chain) {
      writer.U2(static_cast<uint32_t>(cert.type.size()));
      writer.Bytes(cert.type);
      writer.U4(static_cast<uint32_t>(cert.der.size()));
      writer.Bytes(cert.der);
    }
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  if (!IntegrityDigest(password, writer.data(), digest, error)) {
    return std::nullopt;
  }
  writer.Bytes(std::string_view(reinterpret_cast<const char*>(digest), kDigestSize));
  return writer.data();
}

}  // namespace trust::keystore::jks
