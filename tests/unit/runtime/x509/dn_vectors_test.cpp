// Every kind of distinguished name: the certificate loader and the DN rendering run over the
// X.509 vectors of Debian's python3-cryptography-vectors (odd encodings, non-ASCII and
// multi-valued names, bad times, BIT STRING attributes), a peer corpus of about 590 files.
// Each file must load or be refused without a crash, and the subject of every accepted
// certificate must equal OpenSSL's RFC 2253 rendering (X509_NAME_print_ex), except the files
// listed below with the reason they differ. The package is a test dependency
// (scripts/install-deps.sh): the test skips without it, and fails without it under CI.
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/x509.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <variant>

#include "runtime/x509/certificate.h"
#include "runtime/x509/dn.h"

namespace trust::x509 {
namespace {

namespace fs = std::filesystem;

const fs::path kVectors = "/usr/lib/python3/dist-packages/cryptography_vectors/x509";

// The files the corpus counts: everything under x509/ except PKITS_data, of which only the
// certificates (PKITS_data/certs) are X.509 certificate files; the rest are CRLs, pairs,
// PKCS#12 and S/MIME.
std::vector<fs::path> CorpusFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(kVectors)) {
    if (!entry.is_regular_file()) continue;
    std::string relative = fs::relative(entry.path(), kVectors).generic_string();
    if (relative.starts_with("PKITS_data/") && !relative.starts_with("PKITS_data/certs/")) continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// OpenSSL's RFC 2253 rendering, with UTF-8 left as UTF-8 (ESC_MSB off) as RFC 4514 allows.
std::string OpenSslRfc2253(const X509_NAME* name) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

// Accepted certificates whose subject text differs from OpenSSL's, and why it is right.
const std::map<std::string, std::string> kAgreedDifferences = {};

TEST(DnVectorsTest, EverySubjectOfThePeerCorpusRendersAsOpenSslDoes) {
  if (!fs::exists(kVectors)) {
    if (std::getenv("CI") != nullptr) {
      FAIL() << kVectors << " is missing: scripts/install-deps.sh installs "
             << "python3-cryptography-vectors";
    }
    GTEST_SKIP() << "python3-cryptography-vectors is not installed";
  }
  std::vector<fs::path> files = CorpusFiles();
  size_t accepted = 0;
  size_t equal = 0;
  size_t kept = 0;  // names whose text does not parse back exactly
  std::map<std::string, std::string> differing;
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    LoadResult result = ParseCertificate(ReadAll(file));  // must not crash, whatever it holds
    const auto* certificate = std::get_if<std::shared_ptr<const Certificate>>(&result);
    if (certificate == nullptr) continue;
    ++accepted;
    const CertFacts& facts = (*certificate)->facts();
    // The names the facts give back (from their text, or kept when the text would not do)
    // are exactly the certificate's.
    X509* x509 = (*certificate)->x509();
    EXPECT_EQ(facts.SubjectDn(), DnFromX509Name(X509_get_subject_name(x509)));
    EXPECT_EQ(facts.IssuerDn(), DnFromX509Name(X509_get_issuer_name(x509)));
    kept += (facts.subject_kept != nullptr) + (facts.issuer_kept != nullptr);
    std::string openssl = OpenSslRfc2253(X509_get_subject_name((*certificate)->x509()));
    if (facts.subject == openssl) {
      ++equal;
    } else {
      differing[fs::relative(file, kVectors).generic_string()] =
          "ours: " + facts.subject + "\nopenssl: " + openssl;
    }
    // What we print parses back as the same name, or a user DN could never match it. (An
    // empty subject, which PKITS has, is no DN a user can be given.)
    if (facts.subject.empty()) continue;
    std::string error;
    std::optional<DistinguishedName> parsed = ParseDn(facts.subject, &error);
    EXPECT_TRUE(parsed && DnEqual(*parsed, facts.SubjectDn())) << facts.subject << ": " << error;
  }
  // The agreed counts for the corpus of Debian 12's package: a new package version that
  // changes them is worth a look before the numbers are updated.
  EXPECT_EQ(files.size(), 590u);
  EXPECT_EQ(accepted, 505u);
  for (const auto& [file, texts] : differing) {
    EXPECT_TRUE(kAgreedDifferences.contains(file)) << file << "\n" << texts;
  }
  for (const auto& [file, why] : kAgreedDifferences) {
    EXPECT_TRUE(differing.contains(file))
        << file << " now agrees with OpenSSL: drop it (" << why << ")";
  }
  EXPECT_EQ(equal + kAgreedDifferences.size(), accepted);
  std::cout << files.size() << " files, " << accepted << " accepted, " << equal
            << " subjects equal to OpenSSL's, " << kept << " names kept as structures\n";
}

}  // namespace
}  // namespace trust::x509
