// The facts cache must give exactly what ParseCertificate gives, decode each distinct file at
// most once, and treat a damaged entry as a miss.
#include "compiler/facts/facts_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "base/digest.h"
#include "tests/support/paths.h"
#include "tests/support/temp_tree.h"

namespace trust::facts {
namespace {

namespace fs = std::filesystem;

constexpr const char* kProducer = "trustc test";

std::string ReadCert(const std::string& name) {
  std::ifstream in(fs::path(test_support::SourceDir()) / "tests/golden/certs" / name,
                   std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

const x509::Certificate& Get(const x509::LoadResult& result) {
  return *std::get<std::shared_ptr<const x509::Certificate>>(result);
}

void ExpectSameFacts(const x509::CertFacts& a, const x509::CertFacts& b) {
  EXPECT_EQ(a.subject, b.subject);
  EXPECT_EQ(a.issuer, b.issuer);
  EXPECT_EQ(a.SubjectDn(), b.SubjectDn());
  EXPECT_EQ(a.IssuerDn(), b.IssuerDn());
  EXPECT_EQ(a.subject_kept != nullptr, b.subject_kept != nullptr);
  EXPECT_EQ(a.issuer_kept != nullptr, b.issuer_kept != nullptr);
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
  EXPECT_EQ(a.ocsp_urls, b.ocsp_urls);
  EXPECT_EQ(a.crl_urls, b.crl_urls);
}

class FactsCacheTest : public testing::Test {
 protected:
  test::TempDir temp_{"trustc-cache-test"};  // 0700, like the cache makes it
  fs::path dir_ = temp_.path();
};

TEST_F(FactsCacheTest, EachDistinctFileIsDecodedOnceInAProcess) {
  FactsCache cache{fs::path(), kProducer};
  std::string root = ReadCert("root-ca.pem");
  cache.Load(root);
  cache.Load(root);
  cache.Load(ReadCert("leaf.pem"));
  EXPECT_EQ(cache.decoded(), 2u);
}

// A cold build of many certificates appends its records as they reach append_at_bytes instead
// of holding them all until Flush; below that, nothing is written before Flush.
TEST_F(FactsCacheTest, ManyNewRecordsAreAppendedBeforeFlush) {
  const std::string root = ReadCert("root-ca.pem");
  const std::string leaf = ReadCert("leaf.pem");
  {
    FactsCache few{dir_, kProducer};
    few.Load(root);
    FactsCache other_process{dir_, kProducer};
    other_process.Load(root);
    EXPECT_EQ(other_process.decoded(), 1u) << "appended before Flush";
  }
  fs::remove_all(dir_ / "certs-v2.pack");
  CacheOptions early;
  early.append_at_bytes = 1;
  FactsCache many{dir_, kProducer, early};
  many.Load(root);  // makes the pack
  many.Load(leaf);  // appends to it
  FactsCache other_process{dir_, kProducer};
  ExpectSameFacts(Get(other_process.Load(root)).facts(), Get(many.Load(root)).facts());
  ExpectSameFacts(Get(other_process.Load(leaf)).facts(), Get(many.Load(leaf)).facts());
  EXPECT_EQ(other_process.decoded(), 0u);
}

TEST_F(FactsCacheTest, AHitOnDiskGivesWhatParsingGives) {
  for (const char* name :
       {"root-ca.pem", "ca.der", "ec256.pem", "sha1.pem", "user-alice.pem", "revocation-ca.pem"}) {
    std::string bytes = ReadCert(name);
    FactsCache first(dir_, kProducer);
    x509::LoadResult parsed = first.Load(bytes);
    ASSERT_EQ(first.decoded(), 1u) << name;
    first.Flush();
    FactsCache second(dir_, kProducer);  // a later process
    x509::LoadResult cached = second.Load(bytes);
    EXPECT_EQ(second.decoded(), 0u) << name;
    ExpectSameFacts(Get(parsed).facts(), Get(cached).facts());
    EXPECT_EQ(Get(parsed).der(), Get(cached).der());
    ASSERT_NE(Get(cached).x509(), nullptr);  // decoded on demand
  }
}

// Sema prepares a batch of files from a few threads, then loads them one by one: that must give
// what Load gives, hits (DER and PEM, whose DER is the record's) and misses alike, decode each
// miss once and record it for the next process.
TEST_F(FactsCacheTest, PreparedFromSeveralThreadsLoadsAsLoadDoes) {
  const std::vector<std::string> names = {"root-ca.pem", "ca.der", "ec256.pem", "leaf.pem"};
  std::vector<std::string> files;
  for (const std::string& name : names) files.push_back(ReadCert(name));
  files.push_back("not a certificate");
  {
    FactsCache warm(dir_, kProducer);
    warm.Load(files[0]);
    warm.Load(files[1]);
  }  // flushed: the first two are hits below, the rest misses
  FactsCache cache(dir_, kProducer);
  cache.ReadyToPrepare();
  std::vector<FactsCache::Prepared> prepared(files.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < files.size(); ++i) {
    threads.emplace_back([&, i] { prepared[i] = cache.Prepare(files[i]); });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_TRUE(prepared[0].facts && prepared[1].facts) << "hits";
  EXPECT_FALSE(prepared[0].decoded() || prepared[1].decoded()) << "hits";
  EXPECT_TRUE(prepared[2].decoded() && prepared[2].facts && prepared[3].decoded()) << "misses";
  EXPECT_TRUE(prepared[4].decoded() && prepared[4].failure) << "no certificate";
  FactsCache plain(fs::path(), kProducer);
  for (size_t i = 0; i < files.size(); ++i) {
    std::array<uint8_t, 32> sha256{};
    x509::LoadResult loaded = cache.Load(files[i], std::move(prepared[i]), &sha256);
    x509::LoadResult expected = plain.Load(files[i]);
    EXPECT_EQ(base::Hex(std::span<const uint8_t>(sha256)), base::Sha256Hex(files[i]));
    ASSERT_EQ(loaded.index(), expected.index()) << i;
    if (i + 1 == files.size()) continue;  // the failure: no certificate to compare
    ExpectSameFacts(Get(loaded).facts(), Get(expected).facts());
    EXPECT_EQ(Get(loaded).der(), Get(expected).der());
  }
  EXPECT_EQ(cache.decoded(), 3u) << "the two misses and the failure";
  cache.Flush();
  FactsCache later(dir_, kProducer);
  for (size_t i = 0; i + 1 < files.size(); ++i) later.Load(files[i]);
  EXPECT_EQ(later.decoded(), 0u) << "the misses were recorded";
}

// A name whose text does not give it back exactly keeps its structure (x509::CertFacts), and
// the pack must store that too. The peer corpus of dn_vectors_test.cpp (Debian's
// python3-cryptography-vectors, a test dependency) has such names.
TEST_F(FactsCacheTest, NamesKeptAsStructuresComeBackFromThePack) {
  const fs::path vectors = "/usr/lib/python3/dist-packages/cryptography_vectors/x509";
  if (!fs::exists(vectors)) {
    if (std::getenv("CI") != nullptr) FAIL() << vectors << " is missing";
    GTEST_SKIP() << "python3-cryptography-vectors is not installed";
  }
  std::vector<std::pair<std::string, std::shared_ptr<const x509::Certificate>>> kept;
  FactsCache first(dir_, kProducer);
  for (const auto& entry : fs::recursive_directory_iterator(vectors)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    x509::LoadResult result = first.Load(bytes.str());
    const auto* certificate = std::get_if<std::shared_ptr<const x509::Certificate>>(&result);
    if (certificate == nullptr) continue;
    const x509::CertFacts& facts = (*certificate)->facts();
    if (facts.subject_kept || facts.issuer_kept) kept.emplace_back(bytes.str(), *certificate);
  }
  ASSERT_FALSE(kept.empty()) << "no name of the corpus is kept as a structure any more";
  first.Flush();
  FactsCache second(dir_, kProducer);  // a later process
  for (const auto& [bytes, parsed] : kept) {
    ExpectSameFacts(parsed->facts(), Get(second.Load(bytes)).facts());
  }
  EXPECT_EQ(second.decoded(), 0u);
}

TEST_F(FactsCacheTest, SignatureChecksWorkOnCachedCertificates) {
  std::string alice = ReadCert("user-alice.pem");
  std::string ca = ReadCert("client-ca.pem");
  FactsCache(dir_, kProducer).Load(alice);
  FactsCache(dir_, kProducer).Load(ca);
  FactsCache cache(dir_, kProducer);
  x509::LoadResult leaf = cache.Load(alice);
  x509::LoadResult issuer = cache.Load(ca);
  EXPECT_EQ(cache.decoded(), 0u);
  EXPECT_TRUE(Get(leaf).IsSignedBy(Get(issuer)));
  EXPECT_FALSE(Get(issuer).IsSignedBy(Get(leaf)));
}

// A check's cache (CacheOptions::spill_der) keeps the DER in its directory's spill file: what
// comes back is what parsing gives, decoded or not, on a miss and on a hit; without a directory
// the DER stays in memory.
TEST_F(FactsCacheTest, SpilledDerComesBackExactly) {
  CacheOptions spilling;
  spilling.spill_der = true;
  std::string alice = ReadCert("user-alice.pem");
  std::string ca = ReadCert("client-ca.pem");
  FactsCache(dir_, kProducer).Load(ca);  // a hit below; alice is a miss
  FactsCache cache(dir_, kProducer, spilling);
  x509::LoadResult leaf = cache.Load(alice);
  x509::LoadResult issuer = cache.Load(ca);
  EXPECT_EQ(cache.decoded(), 1u);
  for (const auto* result : {&leaf, &issuer}) {
    EXPECT_TRUE(Get(*result).der_stored());
    x509::LoadResult parsed = x509::ParseCertificate(result == &leaf ? alice : ca);
    EXPECT_EQ(Get(*result).der(), Get(parsed).der());
    ExpectSameFacts(Get(*result).facts(), Get(parsed).facts());
  }
  EXPECT_TRUE(Get(leaf).IsSignedBy(Get(issuer)));
  EXPECT_FALSE(Get(issuer).IsSignedBy(Get(leaf)));
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"certs-v2.pack", "hmac-key"}))
      << "a spill file has a name";

  FactsCache no_disk(fs::path(), kProducer, spilling);
  EXPECT_FALSE(Get(no_disk.Load(alice)).der_stored());
}

// Bytes of the pack are flipped (every header byte, then every 7th) and the pack is cut at
// many lengths: each time the certificate must be a miss (decoded again), never a wrong answer.
TEST_F(FactsCacheTest, ADamagedOrTornPackIsAMissNeverAWrongAnswer) {
  std::string bytes = ReadCert("root-ca.pem");
  FactsCache(dir_, kProducer).Load(bytes);  // the destructor flushes
  fs::path pack = dir_ / "certs-v2.pack";
  ASSERT_TRUE(fs::exists(pack));
  std::ifstream in(pack, std::ios::binary);
  std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string subject = "CN=Test Root CA,O=trustc tests,C=US";
  auto load_with_pack = [&](const std::string& content) {
    std::ofstream(pack, std::ios::binary | std::ios::trunc) << content;
    FactsCache cache(dir_, kProducer);
    x509::LoadResult result = cache.Load(bytes);
    EXPECT_EQ(Get(result).facts().subject, subject);
    EXPECT_EQ(Get(result).facts().sha256, base::Sha256Hex(Get(result).der()));
    return cache.decoded();
  };
  constexpr size_t kHeaders = 16 + 72;  // magic line, record header
  auto sampled = [&](size_t i) { return i < kHeaders || i % 7 == 0 || i + 1 == good.size(); };
  for (size_t i = 0; i < good.size(); ++i) {
    if (!sampled(i)) continue;
    std::string damaged = good;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x5A);
    EXPECT_EQ(load_with_pack(damaged), 1u) << "byte " << i;  // the HMAC catches any one byte
  }
  for (size_t length = 0; length < good.size(); ++length) {
    if (!sampled(length)) continue;
    EXPECT_EQ(load_with_pack(good.substr(0, length)), 1u) << length;
  }
  EXPECT_EQ(load_with_pack("not a pack at all"), 1u);
  EXPECT_EQ(load_with_pack(good), 0u);
}

TEST_F(FactsCacheTest, ForeignPackStartsOverAndLaterProcessesAppend) {
  std::ofstream(dir_ / "certs-v2.pack") << "something else entirely\n";
  FactsCache(dir_, kProducer).Load(ReadCert("root-ca.pem"));
  FactsCache(dir_, kProducer).Load(ReadCert("leaf.pem"));
  FactsCache cache(dir_, kProducer);
  cache.Load(ReadCert("root-ca.pem"));
  cache.Load(ReadCert("leaf.pem"));
  EXPECT_EQ(cache.decoded(), 0u);
}

TEST_F(FactsCacheTest, AFifoInPlaceOfThePackNeitherHangsNorBreaks) {
  ASSERT_EQ(mkfifo((dir_ / "certs-v2.pack").c_str(), 0600), 0);
  FactsCache cache(dir_, kProducer);
  x509::LoadResult result = cache.Load(ReadCert("root-ca.pem"));
  EXPECT_EQ(Get(result).facts().subject, "CN=Test Root CA,O=trustc tests,C=US");
  cache.Flush();  // skips what is not a regular file
  EXPECT_TRUE(fs::is_fifo(dir_ / "certs-v2.pack"));
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::string RawSha256(const std::string& bytes) {
  std::string hex = base::Sha256Hex(std::string_view(bytes));
  std::string raw;
  for (size_t i = 0; i < hex.size(); i += 2) {
    raw += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return raw;
}

// Someone who can write the cache relabels the leaf's record with the root's key: the build
// must not take the leaf's facts (subject, expiry, CA bit) for the root's.
TEST_F(FactsCacheTest, ASwappedRecordIsNotBelieved) {
  std::string root = ReadCert("root-ca.pem");
  std::string leaf = ReadCert("leaf.pem");
  FactsCache(dir_, kProducer).Load(leaf);
  fs::path pack = dir_ / "certs-v2.pack";
  std::string forged = ReadFile(pack);
  size_t at = forged.find(RawSha256(leaf));
  ASSERT_NE(at, std::string::npos);
  forged.replace(at, 32, RawSha256(root));
  WriteFile(pack, forged);
  FactsCache cache(dir_, kProducer);
  x509::LoadResult result = cache.Load(root);
  EXPECT_EQ(Get(result).facts().subject, "CN=Test Root CA,O=trustc tests,C=US");
  EXPECT_EQ(cache.decoded(), 1u);
}

// A cache written by a version with a since-fixed bug is recomputed, not believed.
TEST_F(FactsCacheTest, AnotherVersionsRecordsAreRecomputed) {
  std::string root = ReadCert("root-ca.pem");
  FactsCache(dir_, "trustc 1.0.0").Load(root);
  FactsCache later(dir_, "trustc 1.0.1");
  later.Load(root);
  EXPECT_EQ(later.decoded(), 1u);
  later.Flush();
  FactsCache again(dir_, "trustc 1.0.1");  // both versions' records live side by side
  again.Load(root);
  EXPECT_EQ(again.decoded(), 0u);
  FactsCache old(dir_, "trustc 1.0.0");
  old.Load(root);
  EXPECT_EQ(old.decoded(), 0u);
}

TEST_F(FactsCacheTest, ThePlantedLinkIsNotFollowed) {
  fs::path victim = dir_ / "victim";
  WriteFile(victim, "precious\n");
  fs::create_symlink(victim, dir_ / "certs-v2.pack");
  FactsCache(dir_, kProducer).Load(ReadCert("root-ca.pem"));  // flushes
  EXPECT_EQ(ReadFile(victim), "precious\n");
  EXPECT_TRUE(fs::is_symlink(dir_ / "certs-v2.pack"));
  // A link in place of the key is not followed either: no disk cache at all then.
  fs::remove(dir_ / "certs-v2.pack");
  fs::remove(dir_ / "hmac-key");
  fs::create_symlink(victim, dir_ / "hmac-key");
  FactsCache(dir_, kProducer).Load(ReadCert("root-ca.pem"));
  EXPECT_EQ(ReadFile(victim), "precious\n");
  EXPECT_FALSE(fs::exists(dir_ / "certs-v2.pack"));
}

TEST_F(FactsCacheTest, TheKeyIsPrivateAndTheDirectoryIsOurs) {
  fs::path dir = dir_ / "made" / "trustc";
  FactsCache(dir, kProducer).Load(ReadCert("root-ca.pem"));
  struct stat st {};
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((dir / "hmac-key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  ASSERT_EQ(::stat((dir / "certs-v2.pack").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u);
  // A key others can read authenticates nothing: the cache is not used.
  ::chmod((dir / "hmac-key").c_str(), 0644);
  FactsCache cache(dir, kProducer);
  cache.Load(ReadCert("root-ca.pem"));
  EXPECT_EQ(cache.decoded(), 1u);
  // Nor is a directory others can write into.
  ::chmod((dir / "hmac-key").c_str(), 0600);
  ::chmod(dir.c_str(), 0777);
  FactsCache shared(dir, kProducer);
  shared.Load(ReadCert("root-ca.pem"));
  EXPECT_EQ(shared.decoded(), 1u);
}

TEST_F(FactsCacheTest, NoDirectoryMeansNoDisk) {
  FactsCache(fs::path(), kProducer).Load(ReadCert("root-ca.pem"));
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(FactsCacheTest, FailuresAreNotCached) {
  FactsCache cache(dir_, kProducer);
  EXPECT_TRUE(std::holds_alternative<x509::LoadError>(cache.Load(ReadCert("key-and-cert.pem"))));
  EXPECT_TRUE(std::holds_alternative<x509::LoadError>(cache.Load(ReadCert("key-and-cert.pem"))));
  EXPECT_EQ(cache.decoded(), 2u);
}

// Other results kept in the pack (the parse cache's trees): recalled by their key in a later
// process, only if this producer stored them, and kept by compaction while used.
TEST_F(FactsCacheTest, StoredResultsAreRecalledByALaterProcessOfTheSameProducer) {
  std::string key = base::Sha256("test result:input");
  {
    FactsCache first(dir_, kProducer);
    EXPECT_FALSE(first.Recall(key).has_value());
    first.Store(key, "the result");
    EXPECT_TRUE(first.Used(key));
  }
  FactsCache later(dir_, kProducer);
  EXPECT_EQ(later.Recall(key).value_or("none"), "the result");
  EXPECT_TRUE(later.Used(key));
  EXPECT_FALSE(later.Recall(base::Sha256("test result:other")).has_value());
  EXPECT_FALSE(later.Recall("not a raw SHA-256").has_value());
  FactsCache other_version(dir_, "trustc other");
  EXPECT_FALSE(other_version.Recall(key).has_value());
}

TEST_F(FactsCacheTest, AResultLargerThanARecordMayBeIsNotStored) {
  std::string key = base::Sha256("test result:large");
  {
    FactsCache first(dir_, kProducer);
    first.Store(key, std::string((size_t{4} << 20) + 1, 'x'));
  }
  EXPECT_FALSE(FactsCache(dir_, kProducer).Recall(key).has_value());
}

TEST_F(FactsCacheTest, AForgedResultIsNotRecalled) {
  std::string key = base::Sha256("test result:forged");
  {
    FactsCache first(dir_, kProducer);
    first.Store(key, "the result");
  }
  // Change the body's last byte in place: the record's tag no longer covers it.
  std::string pack = test::ReadFile(dir_ / "certs-v2.pack");
  ASSERT_TRUE(pack.ends_with("the result"));
  pack.back() = 'X';
  test::WriteFile(dir_ / "certs-v2.pack", pack, 0600);
  EXPECT_FALSE(FactsCache(dir_, kProducer).Recall(key).has_value());
}

}  // namespace
}  // namespace trust::facts
