// Makes the inputs of bench_apply.sh in OUTDIR:
//   base.jks, base.p12   N trusted certificates each (aliases bench-0 .. bench-N-1,
//                        password "changeit"), written with the runtime's own writers
//   add/I.der            ADD more certificates (new-0 .. new-ADD-1), for keytool
//   certs/SHA256.der     the same, named as trustc names them
//   keystores/{jks,p12}.manifest.json   manifests adding them to OUTDIR/work.{jks,p12}
// One EC P-256 key signs every certificate (a self-signed-looking certificate per CN): this
// takes well under a second for 10,000, where 10,000 keytool calls would take hours.
//
//   bench_make_stores OUTDIR [N=10000] [ADD=100]
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "runtime/keystore/keystore.h"
#include "runtime/manifest/manifest.h"
#include "runtime/x509/certificate.h"

namespace {

using trust::x509::Certificate;

std::shared_ptr<const Certificate> MakeCert(EVP_PKEY* key, const std::string& cn, long serial,
                                            std::string* der) {
  X509* x509 = X509_new();
  X509_set_version(x509, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x509), serial);
  ASN1_TIME_set(X509_getm_notBefore(x509), 1262304000);  // 2010-01-01
  ASN1_TIME_set(X509_getm_notAfter(x509), 3786912000);   // 2090-01-01
  X509_NAME* name = X509_get_subject_name(x509);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(x509, name);
  X509_set_pubkey(x509, key);
  X509_sign(x509, key, EVP_sha256());
  unsigned char* bytes = nullptr;
  int length = i2d_X509(x509, &bytes);
  der->assign(reinterpret_cast<char*>(bytes), static_cast<size_t>(length));
  OPENSSL_free(bytes);
  X509_free(x509);
  auto parsed = trust::x509::ParseCertificate(*der);
  return std::get<std::shared_ptr<const Certificate>>(parsed);
}

bool Write(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

bool WriteStore(trust::keystore::StoreFormat format, const std::string& path,
                const std::vector<std::shared_ptr<const Certificate>>& certs) {
  trust::keystore::Secret password("changeit");
  std::string error;
  auto store = trust::keystore::NewKeystore(format, &password, &error);
  for (size_t i = 0; store && i < certs.size(); ++i) {
    if (!store->AddTrusted("bench-" + std::to_string(i), *certs[i], &error)) {
      store.reset();
    }
  }
  std::optional<std::string> bytes = store ? store->Serialize(&error) : std::nullopt;
  if (!bytes || !Write(path, *bytes)) {
    std::fprintf(stderr, "bench_make_stores: %s: %s\n", path.c_str(), error.c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: bench_make_stores OUTDIR [N] [ADD]\n");
    return 2;
  }
  std::string dir = argv[1];
  size_t n = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 10000;
  size_t add = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 100;
  for (const char* sub : {"", "/add", "/certs", "/keystores"}) {
    mkdir((dir + sub).c_str(), 0755);
  }
  EVP_PKEY* key = EVP_EC_gen("P-256");
  std::vector<std::shared_ptr<const Certificate>> base;
  std::string der;
  for (size_t i = 0; i < n; ++i) {
    base.push_back(MakeCert(key, "bench " + std::to_string(i), static_cast<long>(i + 1), &der));
  }
  if (!WriteStore(trust::keystore::StoreFormat::kJks, dir + "/base.jks", base) ||
      !WriteStore(trust::keystore::StoreFormat::kPkcs12, dir + "/base.p12", base)) {
    return 1;
  }
  std::vector<trust::manifest::Entry> entries;
  for (size_t i = 0; i < add; ++i) {
    auto cert = MakeCert(key, "new " + std::to_string(i), static_cast<long>(n + i + 1), &der);
    const std::string& sha = cert->facts().sha256;
    Write(dir + "/add/" + std::to_string(i) + ".der", der);
    Write(dir + "/certs/" + sha + ".der", der);
    entries.push_back({"new-" + std::to_string(i), "../certs/" + sha + ".der", sha,
                       cert->facts().subject, trust::x509::FormatUtc(cert->facts().not_after),
                       false, std::nullopt});
  }
  EVP_PKEY_free(key);
  for (auto [name, format] : {std::pair{"jks", trust::manifest::Format::kJks},
                              std::pair{"p12", trust::manifest::Format::kPkcs12}}) {
    trust::manifest::Manifest m;
    m.generator = "bench_make_stores";
    m.source = "bench";
    m.keystore = std::string("bench_") + name;
    m.format = format;
    m.path = dir + "/work." + name;
    m.password = trust::manifest::PasswordEnv{"BENCH_STOREPASS"};
    m.entries = entries;
    Write(dir + "/keystores/" + name + ".manifest.json", trust::manifest::WriteManifest(m));
  }
  std::printf("%zu certificates in base.jks and base.p12, %zu to add, in %s\n", n, add,
              dir.c_str());
  return 0;
}
