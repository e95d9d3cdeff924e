#include "runtime/keystore/pkcs12/pkcs12_file.h"

#include <openssl/err.h>
#include <openssl/provider.h>
#include <openssl/x509.h>

#include <climits>
#include <mutex>

#include "runtime/keystore/keystore.h"

namespace trust::keystore::pkcs12 {
namespace {

struct Pkcs7StackDeleter {
  void operator()(STACK_OF(PKCS7) * s) const { sk_PKCS7_pop_free(s, PKCS7_free); }
};
using Pkcs7Stack = std::unique_ptr<STACK_OF(PKCS7), Pkcs7StackDeleter>;
// Frees the stack only: its elements are owned elsewhere.
struct Pkcs7ListDeleter {
  void operator()(STACK_OF(PKCS7) * s) const { sk_PKCS7_free(s); }
};

// Stores written by older JVMs encrypt certificates with RC2/3DES PBE, which OpenSSL 3 keeps
// in the legacy provider. Loading it (next to the default one) is process-wide and idempotent;
// the providers stay loaded for the life of the process.
OSSL_PROVIDER* loaded_providers[2] = {};  // held, so LeakSanitizer sees them as reachable

void LoadLegacyProvider() {
  static std::once_flag once;
  std::call_once(once, [] {
    loaded_providers[0] = OSSL_PROVIDER_load(nullptr, "legacy");
    loaded_providers[1] = OSSL_PROVIDER_load(nullptr, "default");
    ERR_clear_error();
  });
}

// The count as declared; a value too large for a long (ASN1_INTEGER_get gives -1) counts as
// over every limit.
long DeclaredIterations(const ASN1_INTEGER* value, long absent) {
  if (value == nullptr) {
    return absent;
  }
  long v = ASN1_INTEGER_get(value);
  ERR_clear_error();
  return v == -1 ? LONG_MAX : v;
}

int IntegerOr(const ASN1_INTEGER* value, int fallback) {
  long v = value != nullptr ? ASN1_INTEGER_get(value) : fallback;
  return v > 0 && v < (1L << 30) ? static_cast<int>(v) : fallback;
}

bool CheckIterations(long declared, const char* what, std::string* error) {
  if (declared > kMaxIterations) {
    *error = std::string("pkcs12 ") + what + " iteration count " +
             (declared == LONG_MAX ? std::string("(huge)") : std::to_string(declared)) +
             " is over the limit of " + std::to_string(kMaxIterations);
    return false;
  }
  return true;
}

// PBES2 (cipher + PBKDF2) or a PKCS#12 PBE: what is needed to encrypt the same way again.
Encryption ReadPbes2(const ASN1_STRING* sequence) {
  Encryption enc;
  auto* pbe2 = static_cast<PBE2PARAM*>(ASN1_item_unpack(sequence, ASN1_ITEM_rptr(PBE2PARAM)));
  if (pbe2 == nullptr) {
    return enc;
  }
  enc.pbe_nid = OBJ_obj2nid(pbe2->encryption->algorithm);
  const void* kdf_value = nullptr;
  int kdf_type = 0;
  X509_ALGOR_get0(nullptr, &kdf_type, &kdf_value, pbe2->keyfunc);
  if (kdf_type == V_ASN1_SEQUENCE) {
    auto* kdf = static_cast<PBKDF2PARAM*>(
        ASN1_item_unpack(static_cast<const ASN1_STRING*>(kdf_value), ASN1_ITEM_rptr(PBKDF2PARAM)));
    if (kdf != nullptr) {
      enc.iterations = IntegerOr(kdf->iter, enc.iterations);
      enc.declared_iterations = DeclaredIterations(kdf->iter, 1);
      if (kdf->salt != nullptr && kdf->salt->type == V_ASN1_OCTET_STRING) {
        enc.salt_length = kdf->salt->value.octet_string->length;
      }
      PBKDF2PARAM_free(kdf);
    }
  }
  PBE2PARAM_free(pbe2);
  return enc;
}

Encryption ReadEncryption(const PKCS7* p7) {
  Encryption enc;
  if (p7->d.encrypted == nullptr || p7->d.encrypted->enc_data == nullptr) {
    return enc;
  }
  const ASN1_OBJECT* object = nullptr;
  const void* value = nullptr;
  int type = 0;
  X509_ALGOR_get0(&object, &type, &value, p7->d.encrypted->enc_data->algorithm);
  if (type != V_ASN1_SEQUENCE) {
    return enc;
  }
  const auto* sequence = static_cast<const ASN1_STRING*>(value);
  if (OBJ_obj2nid(object) == NID_pbes2) {
    return ReadPbes2(sequence);
  }
  enc.pbe_nid = OBJ_obj2nid(object);
  auto* pbe = static_cast<PBEPARAM*>(ASN1_item_unpack(sequence, ASN1_ITEM_rptr(PBEPARAM)));
  if (pbe != nullptr) {
    enc.iterations = IntegerOr(pbe->iter, enc.iterations);
    enc.declared_iterations = DeclaredIterations(pbe->iter, 1);
    enc.salt_length = pbe->salt != nullptr ? pbe->salt->length : enc.salt_length;
    PBEPARAM_free(pbe);
  }
  return enc;
}

bool VerifyMac(PKCS12* p12, const Secret& password, MacParams* mac, std::string* error) {
  const X509_ALGOR* alg = nullptr;
  const ASN1_OCTET_STRING* salt = nullptr;
  const ASN1_INTEGER* iterations = nullptr;
  PKCS12_get0_mac(nullptr, &alg, &salt, &iterations, p12);
  if (!CheckIterations(DeclaredIterations(iterations, 1), "MAC", error)) {
    return false;
  }
  const ASN1_OBJECT* object = nullptr;
  X509_ALGOR_get0(&object, nullptr, nullptr, alg);
  mac->present = true;
  mac->md = EVP_get_digestbynid(OBJ_obj2nid(object));
  mac->iterations = IntegerOr(iterations, 1);
  mac->salt_length = salt != nullptr ? ASN1_STRING_length(salt) : 8;
  auto length = static_cast<int>(password.size());
  if (PKCS12_verify_mac(p12, password.data(), length) == 1) {
    return true;
  }
  // An empty password has two encodings (with or without the BMPString terminator).
  if (length == 0 && PKCS12_verify_mac(p12, nullptr, 0) == 1) {
    mac->null_password = true;
    return true;
  }
  ERR_clear_error();
  *error = std::string(kWrongPassword);
  return false;
}

bool UnpackContainer(PKCS7* p7, const Secret* password, Container* container, std::string* error) {
  int type = OBJ_obj2nid(p7->type);
  if (type == NID_pkcs7_data) {
    container->bags.reset(PKCS12_unpack_p7data(p7));
  } else if (type == NID_pkcs7_encrypted) {
    container->encrypted = true;
    container->encryption = ReadEncryption(p7);
    if (password == nullptr) {
      return true;  // opaque: Java without a password skips it too
    }
    if (!CheckIterations(container->encryption.declared_iterations, "PBE", error)) {
      return false;
    }
    container->bags.reset(
        PKCS12_unpack_p7encdata(p7, password->data(), static_cast<int>(password->size())));
  } else {
    return true;  // enveloped data and the like: kept as is, never read
  }
  if (!container->bags) {
    ERR_clear_error();
    *error = container->encrypted ? std::string(kWrongPassword)
                                  : "corrupt keystore: unreadable pkcs12 container";
    return false;
  }
  return true;
}

Pkcs12Ptr Decode(std::string_view bytes, std::string* error) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const unsigned char* start = p;
  Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, static_cast<long>(bytes.size())));
  if (!p12 || p - start != static_cast<long>(bytes.size())) {
    ERR_clear_error();
    *error = "corrupt keystore: not a pkcs12 file";
    return nullptr;
  }
  return p12;
}

}  // namespace

std::optional<Pkcs12File> ParsePkcs12(std::string_view bytes, const Secret* password,
                                      std::string* error) {
  LoadLegacyProvider();
  Pkcs12Ptr p12 = Decode(bytes, error);
  if (!p12) {
    return std::nullopt;
  }
  Pkcs12File file;
  if (PKCS12_mac_present(p12.get()) == 1 && password != nullptr &&
      !VerifyMac(p12.get(), *password, &file.mac, error)) {
    return std::nullopt;
  }
  file.mac.present = PKCS12_mac_present(p12.get()) == 1;
  Pkcs7Stack safes(PKCS12_unpack_authsafes(p12.get()));
  if (!safes || sk_PKCS7_num(safes.get()) > static_cast<int>(kMaxContainers)) {
    ERR_clear_error();
    *error = "corrupt keystore: unreadable or oversized pkcs12 content";
    return std::nullopt;
  }
  // shift() hands each PKCS7 over to us in order; the stack ends empty.
  while (sk_PKCS7_num(safes.get()) > 0) {
    Container container;
    container.original.reset(sk_PKCS7_shift(safes.get()));
    if (!UnpackContainer(container.original.get(), password, &container, error)) {
      return std::nullopt;
    }
    file.containers.push_back(std::move(container));
  }
  return file;
}

namespace {

Pkcs7Ptr Repack(const Container& container, const Secret* password, std::string* error) {
  PKCS7* packed = nullptr;
  if (!container.encrypted) {
    packed = PKCS12_pack_p7data(container.bags.get());
  } else if (password != nullptr) {
    const Encryption& enc = container.encryption;
    packed =
        PKCS12_pack_p7encdata(enc.pbe_nid, password->data(), static_cast<int>(password->size()),
                              nullptr, enc.salt_length, enc.iterations, container.bags.get());
  }
  if (packed == nullptr) {
    ERR_clear_error();
    *error = "cannot re-pack a pkcs12 container";
  }
  return Pkcs7Ptr(packed);
}

bool SetMac(PKCS12* p12, const MacParams& mac, const Secret* password, std::string* error) {
  if (password == nullptr || mac.md == nullptr) {
    *error = password == nullptr
                 ? "a pkcs12 keystore with a MAC cannot be written without its password"
                 : "unsupported pkcs12 MAC digest";
    return false;
  }
  const char* pass = mac.null_password ? nullptr : password->data();
  if (PKCS12_set_mac(p12, pass, static_cast<int>(password->size()), nullptr, mac.salt_length,
                     mac.iterations, mac.md) != 1) {
    ERR_clear_error();
    *error = "cannot compute the pkcs12 MAC";
    return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> SerializePkcs12(const Pkcs12File& file, const Secret* password,
                                           std::string* error) {
  std::vector<Pkcs7Ptr> repacked;  // owns the re-packed containers
  std::unique_ptr<STACK_OF(PKCS7), Pkcs7ListDeleter> safes(sk_PKCS7_new_null());
  for (const Container& container : file.containers) {
    PKCS7* p7 = container.original.get();
    if (container.dirty) {
      if (sk_PKCS12_SAFEBAG_num(container.bags.get()) == 0) {
        continue;  // nothing left in it
      }
      repacked.push_back(Repack(container, password, error));
      if (!repacked.back()) {
        return std::nullopt;
      }
      p7 = repacked.back().get();
    }
    sk_PKCS7_push(safes.get(), p7);
  }
  Pkcs12Ptr p12(PKCS12_init(NID_pkcs7_data));
  if (!p12 || PKCS12_pack_authsafes(p12.get(), safes.get()) != 1) {
    ERR_clear_error();
    *error = "cannot encode the pkcs12 content";
    return std::nullopt;
  }
  if (file.mac.present && !SetMac(p12.get(), file.mac, password, error)) {
    return std::nullopt;
  }
  int length = i2d_PKCS12(p12.get(), nullptr);
  std::string out(static_cast<size_t>(length > 0 ? length : 0), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  if (length <= 0 || i2d_PKCS12(p12.get(), &p) != length) {
    *error = "cannot encode the pkcs12 file";
    return std::nullopt;
  }
  return out;
}

Pkcs12File NewPkcs12File(const Secret* password) {
  Pkcs12File file;
  if (password != nullptr) {
    file.mac = {true, EVP_sha256(), 10000, 20, false};
  }
  return file;
}

}  // namespace trust::keystore::pkcs12
