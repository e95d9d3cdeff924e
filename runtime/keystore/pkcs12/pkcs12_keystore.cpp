// Keystore over a Pkcs12File, with Java's view of entries: a trusted entry is a certificate
// bag with Java's trusted-key-usage attribute, a key entry a (shrouded) key bag whose
// certificate is the bag with the same localKeyID; other certificate bags are chain material,
// invisible as entries. New trusted bags go, unencrypted, into one new container per write.
#include <openssl/err.h>
#include <openssl/objects.h>

#include <map>

#include "base/ascii.h"
#include "base/utf8.h"
#include "runtime/keystore/internal.h"
#include "runtime/keystore/pkcs12/pkcs12_file.h"

namespace trust::keystore {
namespace {

using pkcs12::BagStack;
using pkcs12::Container;
using pkcs12::Pkcs12File;

constexpr std::string_view kJavaTrustOid = "2.16.840.1.113894.746875.1.1";
constexpr std::string_view kAnyExtendedKeyUsage = "2.5.29.37.0";

struct BagRef {
  size_t container = 0;
  int index = 0;
};

struct Entry {
  EntryInfo info;
  BagRef ref;  // the bag that makes the entry (the cert bag of a trusted entry)
};

// UTF-16BE to UTF-8, as Java's String holds a BMPString; an unpaired surrogate becomes U+FFFD
// (no manifest alias can name such an entry: manifest aliases are printable ASCII).
std::string Utf16BeToUtf8(const unsigned char* data, size_t length) {
  std::string out;
  for (size_t i = 0; i + 1 < length; i += 2) {
    uint32_t unit = static_cast<uint32_t>(data[i]) << 8 | data[i + 1];
    bool high = unit >= 0xD800 && unit < 0xDC00;
    uint32_t next = i + 3 < length ? (static_cast<uint32_t>(data[i + 2]) << 8 | data[i + 3]) : 0;
    if (high && next >= 0xDC00 && next < 0xE000) {
      base::AppendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (next - 0xDC00));
      i += 2;
    } else {
      base::AppendUtf8(out, unit >= 0xD800 && unit < 0xE000 ? 0xFFFD : unit);
    }
  }
  return out;
}

// The friendlyName as Java's PKCS12KeyStore reads it: a BMPString decoded as UTF-16BE (not
// PKCS12_get_friendlyname, which garbles or drops non-ASCII names). Nothing when the bag has
// none; an error when it is not a BMPString, since Java then cannot load the store at all.
bool FriendlyName(const PKCS12_SAFEBAG* bag, std::optional<std::string>* name, std::string* error) {
  name->reset();
  const ASN1_TYPE* value = PKCS12_SAFEBAG_get0_attr(bag, NID_friendlyName);
  if (value == nullptr) {
    return true;
  }
  if (value->type != V_ASN1_BMPSTRING) {
    *error = "corrupt keystore: a pkcs12 friendlyName is not a BMPString (Java cannot load it)";
    return false;
  }
  const ASN1_STRING* bmp = value->value.bmpstring;
  name->emplace(
      Utf16BeToUtf8(ASN1_STRING_get0_data(bmp), static_cast<size_t>(ASN1_STRING_length(bmp))));
  return true;
}

std::string LocalKeyId(const PKCS12_SAFEBAG* bag) {
  const ASN1_TYPE* id = PKCS12_SAFEBAG_get0_attr(bag, NID_localKeyID);
  if (id == nullptr || id->type != V_ASN1_OCTET_STRING) {
    return {};
  }
  const ASN1_OCTET_STRING* s = id->value.octet_string;
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
          static_cast<size_t>(ASN1_STRING_length(s))};
}

bool HasJavaTrust(const PKCS12_SAFEBAG* bag) {
  const STACK_OF(X509_ATTRIBUTE)* attrs = PKCS12_SAFEBAG_get0_attrs(bag);
  for (int i = 0; i < sk_X509_ATTRIBUTE_num(attrs); ++i) {
    char oid[80];
    const ASN1_OBJECT* object = X509_ATTRIBUTE_get0_object(sk_X509_ATTRIBUTE_value(attrs, i));
    if (OBJ_obj2txt(oid, sizeof(oid), object, 1) > 0 && kJavaTrustOid == oid) {
      return true;
    }
  }
  return false;
}

// Steps into DER: Next(tag) reads one header of `tag` at the cursor and moves into its value.
class DerWalk {
 public:
  explicit DerWalk(std::string_view der) : rest_(der) {}
  bool Next(unsigned char tag) {
    if (rest_.size() < 2 || static_cast<unsigned char>(rest_[0]) != tag) return false;
    size_t length = static_cast<unsigned char>(rest_[1]);
    size_t header = 2;
    if (length & 0x80) {
      size_t bytes = length & 0x7F;
      if (bytes == 0 || bytes > 4 || rest_.size() < 2 + bytes) return false;
      length = 0;
      for (size_t i = 0; i < bytes; ++i)
        length = length << 8 | static_cast<unsigned char>(rest_[2 + i]);
      header += bytes;
    }
    if (rest_.size() - header < length) return false;
    value_ = rest_.substr(header, length);
    rest_ = value_;
    return true;
  }
  // Skips the value just entered's first element (an OID) and stays at its sibling.
  bool SkipOid() {
    std::string_view outer = rest_;
    if (!Next(0x06)) return false;
    rest_ = outer.substr(static_cast<size_t>(value_.data() + value_.size() - outer.data()));
    return true;
  }
  std::string_view value() const { return value_; }

 private:
  std::string_view rest_;
  std::string_view value_;
};

// The certificate's DER as stored: the certBag's OCTET STRING, read from the bag's encoding.
// Not PKCS12_SAFEBAG_get1_cert: that decodes the certificate (its public key above all), which
// made opening a 10,000-entry store cost seconds.
//   SafeBag ::= SEQUENCE { bagId OID, [0] EXPLICIT CertBag, attributes SET OPTIONAL }
//   CertBag ::= SEQUENCE { certId OID, [0] EXPLICIT OCTET STRING }
std::string CertDer(const PKCS12_SAFEBAG* bag) {
  if (PKCS12_SAFEBAG_get_nid(bag) != NID_certBag ||
      PKCS12_SAFEBAG_get_bag_nid(bag) != NID_x509Certificate) {
    return {};
  }
  unsigned char* encoded = nullptr;
  int length = i2d_PKCS12_SAFEBAG(bag, &encoded);
  if (length <= 0) {
    ERR_clear_error();
    return {};
  }
  DerWalk walk(
      std::string_view(reinterpret_cast<const char*>(encoded), static_cast<size_t>(length)));
  std::string der;
  if (walk.Next(0x30) && walk.SkipOid() && walk.Next(0xA0) && walk.Next(0x30) && walk.SkipOid() &&
      walk.Next(0xA0) && walk.Next(0x04)) {
    der = std::string(walk.value());
  }
  OPENSSL_free(encoded);
  return der;
}

// One pass over every readable bag: trusted certificates, keys (with their leaf found by
// localKeyID), secret keys.
class EntryScanner {
 public:
  explicit EntryScanner(const Pkcs12File& file) : file_(file) {}

  std::optional<std::vector<Entry>> Scan(std::string* error) {
    ForEachBag([this](const PKCS12_SAFEBAG* bag, BagRef) {
      std::string id = LocalKeyId(bag);
      std::string der = id.empty() ? std::string() : CertDer(bag);
      if (!der.empty()) {
        certs_by_key_id_.emplace(id, der);
      }
    });
    bool ok = true;
    ForEachBag(
        [&](const PKCS12_SAFEBAG* bag, BagRef ref) { ok = ok && Describe(bag, ref, error); });
    if (!ok) {
      return std::nullopt;
    }
    return std::move(entries_);
  }

 private:
  template <typename F>
  void ForEachBag(F f) const {
    for (size_t c = 0; c < file_.containers.size(); ++c) {
      const STACK_OF(PKCS12_SAFEBAG)* bags = file_.containers[c].bags.get();
      for (int i = 0; bags != nullptr && i < sk_PKCS12_SAFEBAG_num(bags); ++i) {
        f(sk_PKCS12_SAFEBAG_value(bags, i), BagRef{c, i});
      }
    }
  }

  bool Describe(const PKCS12_SAFEBAG* bag, BagRef ref, std::string* error) {
    int nid = PKCS12_SAFEBAG_get_nid(bag);
    Entry entry{{{}, EntryKind::kTrustedCert, {}, {}, {}}, ref};
    std::string der;
    if (nid == NID_certBag && HasJavaTrust(bag)) {
      der = CertDer(bag);
    } else if (nid == NID_keyBag || nid == NID_pkcs8ShroudedKeyBag) {
      entry.info.kind = EntryKind::kPrivateKey;
      auto it = certs_by_key_id_.find(LocalKeyId(bag));
      der = it != certs_by_key_id_.end() ? it->second : std::string();
    } else if (nid == NID_secretBag) {
      entry.info.kind = EntryKind::kSecretKey;
    } else {
      return true;  // chain certificates, CRLs, nested safes: not entries
    }
    std::optional<std::string> name;
    if (!FriendlyName(bag, &name, error)) {
      return false;
    }
    // Java names an entry without a friendlyName "1", "2", ... in bag order, so that is its
    // alias here too: a manifest alias "1" means the entry the JVM calls "1".
    entry.info.alias = name ? *name : std::to_string(++unnamed_);
    if (!der.empty() && !DescribeCertificate(der, &entry.info, error)) {
      return false;
    }
    if (entries_.size() >= kMaxKeystoreEntries) {
      *error = "pkcs12 keystore has more than " + std::to_string(kMaxKeystoreEntries) + " entries";
      return false;
    }
    entries_.push_back(std::move(entry));
    return true;
  }

  const Pkcs12File& file_;
  std::map<std::string, std::string> certs_by_key_id_;
  std::vector<Entry> entries_;
  int unnamed_ = 0;  // Java's counter for entries without a friendlyName
};

PKCS12_SAFEBAG* MakeTrustedBag(std::string_view alias, const x509::Certificate& cert) {
  PKCS12_SAFEBAG* bag = PKCS12_SAFEBAG_create_cert(cert.x509());
  std::string name(alias);
  ASN1_OBJECT* usage = OBJ_txt2obj(std::string(kAnyExtendedKeyUsage).c_str(), 1);
  bool ok = bag != nullptr && usage != nullptr &&
            PKCS12_add_friendlyname_utf8(bag, name.c_str(), -1) == 1 &&
            PKCS12_add1_attr_by_txt(bag, std::string(kJavaTrustOid).c_str(), V_ASN1_OBJECT,
                                    reinterpret_cast<const unsigned char*>(usage), -1) == 1;
  ASN1_OBJECT_free(usage);
  if (!ok) {
    PKCS12_SAFEBAG_free(bag);
    ERR_clear_error();
    return nullptr;
  }
  return bag;
}

class Pkcs12Keystore : public Keystore {
 public:
  Pkcs12Keystore(Pkcs12File file, std::vector<Entry> entries, const Secret* password)
      : file_(std::move(file)), entries_(std::move(entries)) {
    if (password != nullptr) {
      password_.emplace(password->view());
    }
  }

  StoreFormat format() const override { return StoreFormat::kPkcs12; }
  bool CaseInsensitiveAliases() const override { return true; }

  std::vector<EntryInfo> List() const override {
    std::vector<EntryInfo> out;
    out.reserve(entries_.size());
    for (const Entry& entry : entries_) {
      out.push_back(entry.info);
    }
    return out;
  }

  bool AddTrusted(std::string_view alias, const x509::Certificate& cert,
                  std::string* error) override {
    if (!CheckNewAlias(alias, error)) {
      return false;
    }
    if (FindEntry(alias) != nullptr) {
      *error = "alias `" + std::string(alias) + "` already exists";
      return false;
    }
    PKCS12_SAFEBAG* bag = MakeTrustedBag(base::AsciiLower(alias), cert);
    if (bag == nullptr) {
      *error = "cannot make a pkcs12 certificate bag for `" + std::string(alias) + "`";
      return false;
    }
    // Described here rather than by a Rescan: rescanning parses every certificate of the store,
    // which made N adds to a big store quadratic (100 adds to 10,000 entries: a million
    // parses). The new container is always the last one, so its bags come last in scan order,
    // where a Rescan would put this entry too.
    STACK_OF(PKCS12_SAFEBAG)* bags = NewBags();
    Entry entry{{base::AsciiLower(alias), EntryKind::kTrustedCert, {}, {}, {}},
                BagRef{*new_container_, sk_PKCS12_SAFEBAG_num(bags)}};
    if (!DescribeCertificate(CertDer(bag), &entry.info, error)) {
      PKCS12_SAFEBAG_free(bag);
      return false;
    }
    sk_PKCS12_SAFEBAG_push(bags, bag);
    entries_.push_back(std::move(entry));
    return true;
  }

  bool ReplaceTrusted(std::string_view alias, const x509::Certificate& cert,
                      std::string* error) override {
    // The old bag leaves its container (re-packed), the new one joins the new container.
    return Remove(alias, error) && AddTrusted(alias, cert, error);
  }

  // Every bag under the alias goes (several when aliases differ only in case or repeat).
  bool Remove(std::string_view alias, std::string* error) override {
    std::vector<BagRef> refs;
    for (const Entry& entry : entries_) {
      if (!base::AsciiEqualIgnoreCase(entry.info.alias, alias)) {
        continue;
      }
      if (entry.info.kind != EntryKind::kTrustedCert) {
        *error = "alias `" + std::string(alias) + "` holds a key entry, which is never changed";
        return false;
      }
      refs.push_back(entry.ref);
    }
    if (refs.empty()) {
      *error = "alias `" + std::string(alias) + "` does not exist";
      return false;
    }
    // Scan order is container then index, so deleting from the back keeps earlier refs valid.
    for (auto it = refs.rbegin(); it != refs.rend(); ++it) {
      Container& container = file_.containers[it->container];
      PKCS12_SAFEBAG_free(sk_PKCS12_SAFEBAG_delete(container.bags.get(), it->index));
      container.dirty = true;
    }
    return Rescan(error);
  }

  std::optional<std::string> Serialize(std::string* error) const override {
    return pkcs12::SerializePkcs12(file_, password_ ? &*password_ : nullptr, error);
  }

 private:
  const Entry* FindEntry(std::string_view alias) const {
    for (const Entry& entry : entries_) {
      if (base::AsciiEqualIgnoreCase(entry.info.alias, alias)) {
        return &entry;
      }
    }
    return nullptr;
  }

  STACK_OF(PKCS12_SAFEBAG) * NewBags() {
    if (!new_container_) {
      Container container;
      container.bags.reset(sk_PKCS12_SAFEBAG_new_null());
      container.dirty = true;
      new_container_ = file_.containers.size();
      file_.containers.push_back(std::move(container));
    }
    return file_.containers[*new_container_].bags.get();
  }

  bool Rescan(std::string* error) {
    std::optional<std::vector<Entry>> entries = EntryScanner(file_).Scan(error);
    if (!entries) {
      return false;
    }
    entries_ = std::move(*entries);
    return true;
  }

  Pkcs12File file_;
  std::vector<Entry> entries_;
  std::optional<Secret> password_;
  std::optional<size_t> new_container_;
};

}  // namespace

std::unique_ptr<Keystore> OpenPkcs12(std::string_view bytes, const Secret* password,
                                     std::string* error) {
  std::optional<Pkcs12File> file = pkcs12::ParsePkcs12(bytes, password, error);
  if (!file) {
    return nullptr;
  }
  std::optional<std::vector<Entry>> entries = EntryScanner(*file).Scan(error);
  if (!entries) {
    return nullptr;
  }
  return std::make_unique<Pkcs12Keystore>(std::move(*file), std::move(*entries), password);
}

std::unique_ptr<Keystore> NewPkcs12(const Secret* password, std::string* /*error*/) {
  return std::make_unique<Pkcs12Keystore>(pkcs12::NewPkcs12File(password), std::vector<Entry>{},
                                          password);
}

}  // namespace trust::keystore
