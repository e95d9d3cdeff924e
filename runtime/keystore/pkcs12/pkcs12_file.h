// A PKCS#12 file as a list of containers (the ContentInfos of the AuthenticatedSafe), each
// kept exactly as parsed until something in it changes. This is what lets trust-apply add to
// a store Java wrote without losing what OpenSSL's PKCS12_parse/PKCS12_create would drop
// (trusted entries, extra keys, Java's localKeyID "Time ..." attributes); see keystores.md.
#pragma once

#include <openssl/evp.h>
#include <openssl/pkcs12.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/keystore/secret.h"

namespace trust::keystore::pkcs12 {

struct Pkcs12Deleter {
  void operator()(PKCS12* p) const { PKCS12_free(p); }
};
struct Pkcs7Deleter {
  void operator()(PKCS7* p) const { PKCS7_free(p); }
};
struct BagStackDeleter {
  void operator()(STACK_OF(PKCS12_SAFEBAG) * s) const {
    sk_PKCS12_SAFEBAG_pop_free(s, PKCS12_SAFEBAG_free);
  }
};
using Pkcs12Ptr = std::unique_ptr<PKCS12, Pkcs12Deleter>;
using Pkcs7Ptr = std::unique_ptr<PKCS7, Pkcs7Deleter>;
using BagStack = std::unique_ptr<STACK_OF(PKCS12_SAFEBAG), BagStackDeleter>;

// How an encrypted container was encrypted, so that re-packing it keeps its protection.
struct Encryption {
  int pbe_nid = NID_undef;  // a PKCS#12 PBE nid, or the cipher nid of PBES2
  int iterations = 2048;
  int salt_length = 8;
  long declared_iterations = 0;  // as the file says, checked against kMaxIterations
};

struct Container {
  Pkcs7Ptr original;  // as parsed; null for a container we add
  bool encrypted = false;
  Encryption encryption;
  BagStack bags;       // null when unreadable (encrypted and no password): kept opaque
  bool dirty = false;  // bags changed: re-pack on write
};

struct MacParams {
  bool present = false;
  const EVP_MD* md = nullptr;
  int iterations = 0;
  int salt_length = 0;
  bool null_password = false;  // the MAC verified with a NULL (not "") empty password
};

struct Pkcs12File {
  std::vector<Container> containers;
  MacParams mac;
};

inline constexpr size_t kMaxContainers = 10000;
// A MAC or PBE iteration count is CPU time the file's author chooses for us: Java writes
// 10,000, OpenSSL 2,048; more than this is refused before any key derivation.
inline constexpr long kMaxIterations = 10000000;

// `password` null ("none"): the MAC is not checked and encrypted containers stay opaque.
std::optional<Pkcs12File> ParsePkcs12(std::string_view bytes, const Secret* password,
                                      std::string* error);

// Untouched containers are written as parsed; dirty ones re-packed with their own protection
// (empty ones dropped); the MAC recomputed with the existing digest and iteration count, or
// left out when the file had none.
std::optional<std::string> SerializePkcs12(const Pkcs12File& file, const Secret* password,
                                           std::string* error);

// A new, empty store as Java 17's keytool makes one: HMAC-SHA256 MAC, 10000 iterations; no
// MAC for a store without a password.
Pkcs12File NewPkcs12File(const Secret* password);

}  // namespace trust::keystore::pkcs12
