// The facts cache must give exactly what ParseCertificate gives, decode each distinct file at
// most once, and treat a damaged entry as a miss.
#include "runtime/pem/facts_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace trust::pem {
namespace {

namespace fs = std::filesystem;

std::string ReadCert(const std::string& name) {
  std::ifstream in(fs::path(TRUST_SOURCE_DIR) / "tests/golden/certs" / name, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

const Certificate& Get(const LoadResult& result) {
  return *std::get<std::shared_ptr<const Certificate>>(result);
}

void ExpectSameFacts(const CertFacts& a, const CertFacts& b) {
  EXPECT_EQ(a.subject, b.subject);
  EXPECT_EQ(a.issuer, b.issuer);
  EXPECT_EQ(a.subject_dn, b.subject_dn);
  EXPECT_EQ(a.issuer_dn, b.issuer_dn);
  EXPECT_EQ(a.serial_decimal, b.serial_decimal);
  EXPECT_EQ(a.not_before, b.not_before);
  EXPECT_EQ(a.not_after, b.not_after);
  EXPECT_EQ(a.key_type, b.key_type);
  EXPECT_EQ(a.key_bits, b.key_bits);
  EXPECT_EQ(a.signature_hash, b.signature_hash);
  EXPECT_EQ(a.is_ca, b.is_ca);
  EXPECT_EQ(a.has_key_usage, b.has_key_usage);
  EXPECT_EQ(a.key_cert_sign, b.key_cert_sign);
  EXPECT_EQ(a.self_signed, b.self_signed);
  EXPECT_EQ(a.sha256, b.sha256);
}

class FactsCacheTest : public testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/trustc-cache-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(FactsCacheTest, EachDistinctFileIsDecodedOnceInAProcess) {
  FactsCache cache{fs::path()};
  std::string root = ReadCert("root-ca.pem");
  cache.Load(root);
  cache.Load(root);
  cache.Load(ReadCert("leaf.pem"));
  EXPECT_EQ(cache.decoded(), 2u);
}

TEST_F(FactsCacheTest, AHitOnDiskGivesWhatParsingGives) {
  for (const char* name : {"root-ca.pem", "ca.der", "ec256.pem", "sha1.pem", "user-alice.pem"}) {
    std::string bytes = ReadCert(name);
    FactsCache first(dir_);
    LoadResult parsed = first.Load(bytes);
    ASSERT_EQ(first.decoded(), 1u) << name;
    FactsCache second(dir_);  // a later process
    LoadResult cached = second.Load(bytes);
    EXPECT_EQ(second.decoded(), 0u) << name;
    ExpectSameFacts(Get(parsed).facts(), Get(cached).facts());
    EXPECT_EQ(Get(parsed).der(), Get(cached).der());
    ASSERT_NE(Get(cached).x509(), nullptr);  // decoded on demand
  }
}

TEST_F(FactsCacheTest, SignatureChecksWorkOnCachedCertificates) {
  std::string alice = ReadCert("user-alice.pem");
  std::string ca = ReadCert("client-ca.pem");
  FactsCache(dir_).Load(alice);
  FactsCache(dir_).Load(ca);
  FactsCache cache(dir_);
  LoadResult leaf = cache.Load(alice);
  LoadResult issuer = cache.Load(ca);
  EXPECT_EQ(cache.decoded(), 0u);
  EXPECT_TRUE(Get(leaf).IsSignedBy(Get(issuer)));
  EXPECT_FALSE(Get(issuer).IsSignedBy(Get(leaf)));
}

TEST_F(FactsCacheTest, ADamagedOrForgedEntryIsAMiss) {
  std::string bytes = ReadCert("root-ca.pem");
  FactsCache(dir_).Load(bytes);
  std::string key = Sha256Hex(bytes);
  fs::path entry = dir_ / "certs-v1" / key.substr(0, 2) / (key + ".json");
  ASSERT_TRUE(fs::exists(entry));
  for (const std::string& damage : {std::string("{not json"), std::string("{\"sha256\": 1}")}) {
    std::ofstream(entry, std::ios::trunc) << damage;
    FactsCache cache(dir_);
    LoadResult result = cache.Load(bytes);
    EXPECT_EQ(cache.decoded(), 1u);
    EXPECT_EQ(Get(result).facts().subject, "CN=Test Root CA,O=trustc tests,C=US");
  }
}

TEST_F(FactsCacheTest, FailuresAreNotCached) {
  FactsCache cache(dir_);
  EXPECT_TRUE(std::holds_alternative<LoadError>(cache.Load(ReadCert("key-and-cert.pem"))));
  EXPECT_TRUE(std::holds_alternative<LoadError>(cache.Load(ReadCert("key-and-cert.pem"))));
  EXPECT_EQ(cache.decoded(), 2u);
}

}  // namespace
}  // namespace trust::pem
