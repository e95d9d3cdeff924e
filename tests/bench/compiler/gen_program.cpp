// Generates a benchmark program: N certificates (a root, kIntermediates intermediates, the rest
// leaves, all DER files under certs/), N/10 users, two gateways and two keystores, split into
// modules so that no file comes near the 4 MiB source limit:
//   main.trust   imports gw_a, gw_b, ks_jks, ks_p12
//   certs_K.trust  up to kCertsPerModule `cert` declarations each
//   gw_a.trust   the root and intermediates as anchors, leaves i%4==0 for ssl, an identity
//                provider with the N/10 users (the first N/10 leaves' certificates)
//   gw_b.trust   leaves i%4==1;  ks_jks.trust leaves i%4==2;  ks_p12.trust leaves i%4==3
//   certs/spare.der  one more leaf, declared nowhere (for swapping in)
// The CA keys are EC P-256 (fast signing); every leaf shares one RSA-2048 key, so parsing a
// leaf costs what parsing a typical server certificate costs. Validity is fixed
// (2020-2060), so the output depends only on N (and the random serials and signatures).
//
//   gen_program N OUTDIR
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {
namespace fs = std::filesystem;

constexpr int kIntermediates = 4;
constexpr int kCertsPerModule = 20000;
constexpr int64_t kNotBefore = 1577836800;  // 2020-01-01
constexpr int64_t kNotAfter = 2840140800;   // 2060-01-01

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "gen_program: %s\n", what.c_str());
  std::exit(1);
}

EVP_PKEY* NewKey(bool rsa) {
  EVP_PKEY* key = rsa ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
  if (key == nullptr) Die("key generation failed");
  return key;
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr || X509_add_ext(cert, ext, -1) != 1) Die("extension failed");
  X509_EXTENSION_free(ext);
}

X509_NAME* Name(const std::string& cn) {
  X509_NAME* name = X509_NAME_new();
  auto add = [&](const char* field, const std::string& value) {
    X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0);
  };
  add("C", "US");
  add("O", "trustc bench");
  add("CN", cn);
  return name;
}

// A certificate for `cn` with public key `key`, signed by `issuer_key` (self-signed when
// `issuer` is null).
X509* Make(const std::string& cn, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key, bool ca) {
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
  BN_free(bn);
  ASN1_TIME_set(X509_getm_notBefore(cert), kNotBefore);
  ASN1_TIME_set(X509_getm_notAfter(cert), kNotAfter);
  X509_NAME* subject = Name(cn);
  X509_set_subject_name(cert, subject);
  X509_set_issuer_name(cert, issuer != nullptr ? X509_get_subject_name(issuer) : subject);
  X509_NAME_free(subject);
  X509_set_pubkey(cert, key);
  X509* issuer_cert = issuer != nullptr ? issuer : cert;
  if (ca) {
    AddExtension(cert, issuer_cert, NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert, issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExtension(cert, issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
    AddExtension(cert, issuer_cert, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    AddExtension(cert, issuer_cert, NID_ext_key_usage, "serverAuth,clientAuth");
  }
  AddExtension(cert, issuer_cert, NID_subject_key_identifier, "hash");
  if (X509_sign(cert, issuer_key, EVP_sha256()) == 0) Die("signing failed");
  return cert;
}

void WriteDer(const fs::path& path, X509* cert) {
  unsigned char* der = nullptr;
  int length = i2d_X509(cert, &der);
  if (length <= 0) Die("i2d_X509 failed");
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(der), length);
  if (!out) Die("cannot write " + path.string());
  OPENSSL_free(der);
}

void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) Die("cannot write " + path.string());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) Die("usage: gen_program N OUTDIR");
  const int n = std::atoi(argv[1]);
  if (n < kIntermediates + 2) Die("N must be at least " + std::to_string(kIntermediates + 2));
  const fs::path dir = argv[2];
  fs::create_directories(dir / "certs");

  // Certificates: 0 the root, 1..kIntermediates the intermediates, then the leaves.
  EVP_PKEY* root_key = NewKey(false);
  X509* root = Make("Bench Root CA", root_key, nullptr, root_key, true);
  WriteDer(dir / "certs/cert-0.der", root);
  std::vector<EVP_PKEY*> int_keys;
  std::vector<X509*> ints;
  for (int k = 0; k < kIntermediates; ++k) {
    int_keys.push_back(NewKey(false));
    ints.push_back(
        Make("Bench Issuing CA " + std::to_string(k), int_keys.back(), root, root_key, true));
    WriteDer(dir / ("certs/cert-" + std::to_string(k + 1) + ".der"), ints.back());
  }
  EVP_PKEY* leaf_key = NewKey(true);
  const int first_leaf = kIntermediates + 1;
  for (int i = first_leaf; i < n; ++i) {
    int k = i % kIntermediates;
    X509* leaf =
        Make("leaf-" + std::to_string(i) + ".bench.example", leaf_key, ints[k], int_keys[k], false);
    WriteDer(dir / ("certs/cert-" + std::to_string(i) + ".der"), leaf);
    X509_free(leaf);
  }
  // A spare leaf no module declares: scripts/bench.sh swaps it with one of gw_b's certificates
  // to time a rebuild after one certificate changed.
  X509* spare = Make("leaf-spare.bench.example", leaf_key, ints[1], int_keys[1], false);
  WriteDer(dir / "certs/spare.der", spare);
  X509_free(spare);

  // Modules of certificate declarations.
  const int modules = (n + kCertsPerModule - 1) / kCertsPerModule;
  auto module_of = [](int i) { return i / kCertsPerModule; };
  auto ref = [&](int i) {
    return "c" + std::to_string(module_of(i)) + ".cert" + std::to_string(i);
  };
  std::string imports;
  for (int m = 0; m < modules; ++m) {
    std::string text = "// generated by gen_program: certificates " +
                       std::to_string(m * kCertsPerModule) + " and on\n";
    for (int i = m * kCertsPerModule; i < std::min(n, (m + 1) * kCertsPerModule); ++i) {
      text += "cert cert" + std::to_string(i) + " { file \"certs/cert-" + std::to_string(i) +
              ".der\" }\n";
    }
    WriteText(dir / ("certs_" + std::to_string(m) + ".trust"), text);
    imports += "import \"./certs_" + std::to_string(m) + "\" as c" + std::to_string(m) + "\n";
  }

  auto leaves_where = [&](int residue) {
    std::vector<int> picked;
    for (int i = first_leaf; i < n; ++i) {
      if (i % 4 == residue) picked.push_back(i);
    }
    return picked;
  };

  // Gateway A: the CAs as anchors, a quarter of the leaves pinned, the users.
  std::string gw_a = "import \"std/layer7\"\n" + imports + "\ngateway gw_a {\n";
  gw_a += "  trust " + ref(0) + " from layer7.client_ca\n";
  for (int k = 1; k <= kIntermediates; ++k) {
    gw_a += "  trust " + ref(k) + " from layer7.client_ca\n";
  }
  for (int i : leaves_where(0)) gw_a += "  trust " + ref(i) + " { for ssl }\n";
  gw_a += "  identity_provider partners {\n    credentials x509\n    trust";
  for (int k = 1; k <= kIntermediates; ++k) gw_a += (k > 1 ? ", " : " ") + ref(k);
  gw_a += "\n";
  int users = n / 10;
  for (int u = 0, i = first_leaf; u < users && i < n; ++u, ++i) {
    std::string cn = "leaf-" + std::to_string(i) + ".bench.example";
    gw_a += "    user \"" + cn + "\" {\n      dn \"CN=" + cn +
            ",O=trustc bench,C=US\"\n      cert " + ref(i) + "\n    }\n";
  }
  gw_a += "  }\n}\n";
  WriteText(dir / "gw_a.trust", gw_a);

  std::string gw_b = "import \"std/layer7\"\n" + imports + "\ngateway gw_b {\n";
  for (int i : leaves_where(1)) gw_b += "  trust " + ref(i) + " { for ssl }\n";
  gw_b += "}\n";
  WriteText(dir / "gw_b.trust", gw_b);

  auto keystore = [&](const std::string& name, const std::string& format, int residue) {
    std::string text = imports + "\nkeystore " + name + " {\n  format " + format +
                       "\n  path \"/srv/" + name + "." + format +
                       "\"\n  password env \"BENCH_STORE_PASSWORD\"\n  create\n";
    for (int i : leaves_where(residue)) {
      text += "  trust " + ref(i) + " as \"leaf-" + std::to_string(i) + "\"\n";
    }
    text += "}\n";
    WriteText(dir / (name + ".trust"), text);
  };
  keystore("ks_jks", "jks", 2);
  keystore("ks_p12", "pkcs12", 3);

  WriteText(dir / "main.trust",
            "// generated by gen_program " + std::to_string(n) +
                "\nimport \"./gw_a\"\nimport \"./gw_b\"\nimport \"./ks_jks\"\nimport "
                "\"./ks_p12\"\n");
  std::printf("%d certificates, %d users, %d certificate modules in %s\n", n, users, modules,
              dir.c_str());
  return 0;
}
