// The decision table of docs/manifest.md, row by row, through apply on real files of each
// format: add, unchanged, skip (present under another alias), replace, conflict, conflict on a
// private-key entry, remove (present / absent), create (with / without), aliases differing
// only in case, and an existing `debian:` alias that is left alone.
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "runtime/keystore/jks/jks_file.h"
#include "runtime/keystore/keystore.h"
#include "tests/support/store_format_param.h"
#include "tests/unit/runtime/apply/apply_fixture.h"

namespace trust::test {
namespace {

using keystore::EntryInfo;
using keystore::EntryKind;
using manifest::Format;

struct Seed {
  std::string alias;
  const TestCert* cert;
  bool key = false;  // a private-key entry (jks, pkcs12) instead of a trusted certificate
};

std::string SeedJks(const std::vector<Seed>& seeds) {
  keystore::jks::JksFile file;
  for (const Seed& s : seeds) {
    keystore::jks::JksEntry e;
    e.tag = s.key ? keystore::jks::kTagPrivateKey : keystore::jks::kTagTrustedCert;
    e.alias = s.alias;
    e.timestamp_ms = 1000;
    if (s.key) {
      e.protected_key = std::string("\x30\x03\x02\x01\x00", 5);  // opaque to the runtime
    }
    e.chain.push_back({"X.509", s.cert->der});
    file.entries.push_back(e);
  }
  std::string error;
  return *keystore::jks::SerializeJks(file, keystore::Secret("changeit"), &error);
}

// As keystores.md describes Java's layout: trusted certificates as cert bags with a
// friendlyName and the trusted-key attribute; a key entry as a shrouded key bag plus its
// certificate, tied by localKeyID.
std::string SeedPkcs12(const std::vector<Seed>& seeds) {
  const char* pass = "changeit";
  STACK_OF(PKCS7)* safes = nullptr;
  STACK_OF(PKCS12_SAFEBAG)* bags = nullptr;
  STACK_OF(PKCS12_SAFEBAG)* key_bags = nullptr;
  for (const Seed& s : seeds) {
    X509* x = NewX509(*s.cert);
    PKCS12_SAFEBAG* bag = PKCS12_add_cert(&bags, x);
    PKCS12_add_friendlyname_utf8(bag, s.alias.c_str(), -1);
    if (s.key) {
      unsigned char id[] = {1, 2, 3, 4};
      PKCS12_add_localkeyid(bag, id, sizeof(id));
      PKCS12_SAFEBAG* kb =
          PKCS12_add_key(&key_bags, s.cert->key.get(), 0, 2048, NID_aes_256_cbc, pass);
      PKCS12_add_friendlyname_utf8(kb, s.alias.c_str(), -1);
      PKCS12_add_localkeyid(kb, id, sizeof(id));
    } else {
      ASN1_OBJECT* any_eku = OBJ_txt2obj("2.5.29.37.0", 1);
      PKCS12_add1_attr_by_txt(bag, "2.16.840.1.113894.746875.1.1", V_ASN1_OBJECT,
                              reinterpret_cast<const unsigned char*>(any_eku), -1);
      ASN1_OBJECT_free(any_eku);
    }
    X509_free(x);
  }
  PKCS12_add_safe(&safes, bags, -1, 0, pass);
  if (key_bags != nullptr) {
    PKCS12_add_safe(&safes, key_bags, -1, 0, pass);
  }
  PKCS12* p12 = PKCS12_add_safes(safes, 0);
  PKCS12_set_mac(p12, pass, -1, nullptr, 0, 2048, EVP_sha256());
  std::string out = Pkcs12DerAndFree(p12);
  sk_PKCS7_pop_free(safes, PKCS7_free);
  sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
  sk_PKCS12_SAFEBAG_pop_free(key_bags, PKCS12_SAFEBAG_free);
  return out;
}

std::string SeedPem(const std::vector<Seed>& seeds) {
  std::string out = "# a hand-written bundle\n";
  for (const Seed& s : seeds) {
    out += "# alias: " + s.alias + "\n" + s.cert->pem;
  }
  return out;
}

class DecisionTableTest : public ApplyFixture, public ::testing::WithParamInterface<Format> {
 protected:
  void SetUp() override {
    ApplyFixture::SetUp();
    manifest_ = BaseManifest(GetParam());
    manifest_.create = false;
  }

  bool IsPem() const { return GetParam() == Format::kPem; }

  void SeedStore(const std::vector<Seed>& seeds) {
    switch (GetParam()) {
      case Format::kJks:
        WriteFile(store_path_, SeedJks(seeds));
        break;
      case Format::kPkcs12:
        WriteFile(store_path_, SeedPkcs12(seeds));
        break;
      case Format::kPem:
        WriteFile(store_path_, SeedPem(seeds));
        break;
      case Format::kJceks:  // read-only: no manifest names it
        FAIL() << "jceks is not a manifest format";
    }
    ASSERT_EQ(List().size(), seeds.size());
    before_ = ReadFile(store_path_);
    stat(store_path_.c_str(), &before_stat_);
  }

  std::vector<EntryInfo> List() {
    std::string bytes = ReadFile(store_path_);
    keystore::Secret secret("changeit");
    std::string error;
    auto store = keystore::OpenKeystore(bytes, keystore::DetectFormat(bytes), &secret, &error);
    EXPECT_NE(store, nullptr) << error;
    return store ? store->List() : std::vector<EntryInfo>{};
  }

  const EntryInfo* Find(const std::string& alias) {
    listed_ = List();
    return keystore::FindAlias(listed_, alias, !IsPem());
  }

  // The store holds one entry: `alias` with `cert`.
  void ExpectOnlyEntry(const std::string& alias, const TestCert& cert) {
    std::vector<EntryInfo> after = List();
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].alias, alias);
    EXPECT_EQ(after[0].sha256, cert.cert->facts().sha256);
  }

  int Apply() { return Run("apply", {WriteManifest(manifest_)}); }
  // The counts of the last run's summary ("ks: 1 added, ..."), without what follows the ';'.
  std::string Counts() const { return out_.substr(0, out_.find(';')); }
  std::string PlanText() {
    Run("plan", {WriteManifest(manifest_)});
    return out_;
  }

  // Same bytes, same inode, same mtime: not rewritten.
  void ExpectUntouched() {
    EXPECT_EQ(ReadFile(store_path_), before_);
    struct stat st {};
    ASSERT_EQ(stat(store_path_.c_str(), &st), 0);
    EXPECT_EQ(st.st_ino, before_stat_.st_ino);
    EXPECT_EQ(st.st_mtim.tv_sec, before_stat_.st_mtim.tv_sec);
    EXPECT_EQ(st.st_mtim.tv_nsec, before_stat_.st_mtim.tv_nsec);
  }

  manifest::Manifest manifest_;
  std::string before_;
  struct stat before_stat_ {};
  std::vector<EntryInfo> listed_;
  TestCert a_ = MakeCert("Alpha");
  TestCert b_ = MakeCert("Beta");
  TestCert c_ = MakeCert("Gamma");
};

TEST_P(DecisionTableTest, AddWhenAliasAndCertificateAbsent) {
  SeedStore({{"alpha", &a_}});
  manifest_.entries.push_back(EntryFor("beta", b_));
  EXPECT_NE(PlanText().find("+ beta"), std::string::npos) << out_;
  ASSERT_EQ(Apply(), 0) << err_;
  EXPECT_EQ(Counts(), "ks: 1 added, 0 replaced, 0 removed, 0 unchanged, 0 skipped");
  ASSERT_NE(Find("beta"), nullptr);
  EXPECT_EQ(Find("beta")->sha256, b_.cert->facts().sha256);
  EXPECT_EQ(Find("alpha")->sha256, a_.cert->facts().sha256);
}

TEST_P(DecisionTableTest, UnchangedWhenSameAliasSameCertificate) {
  SeedStore({{"alpha", &a_}});
  manifest_.entries.push_back(EntryFor("alpha", a_));
  EXPECT_NE(PlanText().find("= alpha"), std::string::npos) << out_;
  ASSERT_EQ(Apply(), 0) << err_;
  EXPECT_EQ(out_, "ks: nothing to do (1 unchanged, 0 skipped)\n");
  ExpectUntouched();
}

TEST_P(DecisionTableTest, SkipWhenCertificatePresentUnderAnotherAlias) {
  SeedStore({{"legacy_root", &a_}});
  manifest_.entries.push_back(EntryFor("partner_root", a_));
  EXPECT_NE(PlanText().find("already present as `legacy_root`: skipped"), std::string::npos)
      << out_;
  ASSERT_EQ(Apply(), 0) << err_;
  EXPECT_EQ(out_, "ks: nothing to do (0 unchanged, 1 skipped)\n");
  ExpectUntouched();
  EXPECT_EQ(Find("partner_root"), nullptr);
}

TEST_P(DecisionTableTest, ReplaceWhenAliasHoldsAnotherCertificateAndReplaceIsTrue) {
  SeedStore({{"alpha", &a_}, {"beta", &b_}});
  manifest_.entries.push_back(EntryFor("alpha", c_, /*replace=*/true));
  EXPECT_NE(PlanText().find("replace (was sha256 "), std::string::npos) << out_;
  ASSERT_EQ(Apply(), 0) << err_;
  EXPECT_EQ(Counts(), "ks: 0 added, 1 replaced, 0 removed, 0 unchanged, 0 skipped");
  EXPECT_EQ(List().size(), 2u);
  EXPECT_EQ(Find("alpha")->sha256, c_.cert->facts().sha256);
  EXPECT_EQ(Find("beta")->sha256, b_.cert->facts().sha256);
}

TEST_P(DecisionTableTest, ConflictWhenReplaceIsFalse) {
  SeedStore({{"alpha", &a_}});
  manifest_.entries.push_back(EntryFor("gamma", c_));
  manifest_.entries.push_back(EntryFor("alpha", b_, /*replace=*/false));
  EXPECT_EQ(Apply(), 1);
  EXPECT_NE(err_.find("alias `alpha`: the alias holds another certificate and replace is false"),
            std::string::npos)
      << err_;
  ExpectUntouched();  // the add of gamma is not written either
}

TEST_P(DecisionTableTest, PrivateKeyEntryIsAlwaysAConflict) {
  if (IsPem()) {
    GTEST_SKIP() << "pem bundles hold no keys";
  }
  SeedStore({{"mykey", &a_, /*key=*/true}, {"beta", &b_}});
  ASSERT_EQ(Find("mykey")->kind, EntryKind::kPrivateKey);
  manifest_.entries.push_back(EntryFor("MyKey", c_, /*replace=*/true));
  EXPECT_EQ(Apply(), 1);
  EXPECT_NE(err_.find("private-key entry, which is never overwritten"), std::string::npos) << err_;
  ExpectUntouched();
  // The same certificate as the key's is not "present" (a key entry is no trust anchor).
  manifest_.entries = {EntryFor("key_cert", a_)};
  ASSERT_EQ(Apply(), 0) << err_;
  EXPECT_EQ(Find("key_cert")->kind, EntryKind::kTrustedCert);
  EXPECT_EQ(Find("mykey")->kind, EntryKind::kPrivateKey);
  // remove naming a key entry: a conflict too.
  before_ = ReadFile(store_path_);
  stat(store_path_.c_str(), &before_stat_);
  manifest_.entries.clear();
  manifest_.remove = {"mykey"};
  EXPECT_EQ(Apply(), 1);
  ExpectUntouched();
}

TEST_P(DecisionTableTest, RemovePresentAndAbsent) {
  SeedStore({{"alpha", &a_}, {"beta", &b_}});
  manifest_.remove = {"absent"};
  ASSERT_EQ(Apply(), 0) << err_;
  EXPECT_EQ(out_, "ks: nothing to do (0 unchanged, 0 skipped)\n");
  ExpectUntouched();
  manifest_.remove = {"alpha", "absent"};
  EXPECT_NE(PlanText().find("- alpha"), std::string::npos) << out_;
  ASSERT_EQ(Apply(), 0) << err_;
  EXPECT_EQ(Counts(), "ks: 0 added, 0 replaced, 1 removed, 0 unchanged, 0 skipped");
  ASSERT_EQ(List().size(), 1u);
  EXPECT_EQ(List()[0].sha256, b_.cert->facts().sha256);
}

TEST_P(DecisionTableTest, CreateMissingStore) {
  manifest_.entries.push_back(EntryFor("alpha", a_));
  manifest_.create = false;
  EXPECT_EQ(Apply(), 1);
  EXPECT_NE(err_.find("does not exist (and the manifest says create: false)"), std::string::npos)
      << err_;
  EXPECT_NE(access(store_path_.c_str(), F_OK), 0);
  manifest_.create = true;
  ASSERT_EQ(Apply(), 0) << err_;
  ASSERT_EQ(List().size(), 1u);
  struct stat st {};
  ASSERT_EQ(stat(store_path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  // With no entries at all, create: true still creates an (empty) store.
  unlink(store_path_.c_str());
  manifest_.entries.clear();
  EXPECT_EQ(Run("plan", {WriteManifest(manifest_)}), 2);
  ASSERT_EQ(Apply(), 0) << err_;
  EXPECT_EQ(access(store_path_.c_str(), F_OK), 0);
  EXPECT_TRUE(List().empty());
}

TEST_P(DecisionTableTest, AliasesDifferingOnlyInCase) {
  SeedStore({{"alpha", &a_}});
  manifest_.entries.push_back(EntryFor("ALPHA", a_));
  ASSERT_EQ(Apply(), 0) << err_;
  ExpectUntouched();
  if (IsPem()) {
    // pem compares aliases exactly: ALPHA is another alias, its certificate already present.
    EXPECT_EQ(out_, "ks: nothing to do (0 unchanged, 1 skipped)\n");
    manifest_.entries = {EntryFor("ALPHA", b_)};
    ASSERT_EQ(Apply(), 0) << err_;
    EXPECT_EQ(List().size(), 2u);
    return;
  }
  EXPECT_EQ(out_, "ks: nothing to do (1 unchanged, 0 skipped)\n");
  manifest_.entries = {EntryFor("Alpha", b_)};
  EXPECT_EQ(Apply(), 1);
  EXPECT_NE(err_.find("alias `Alpha`"), std::string::npos) << err_;
  ExpectUntouched();
  manifest_.entries = {EntryFor("Alpha", b_, /*replace=*/true)};
  ASSERT_EQ(Apply(), 0) << err_;
  ASSERT_EQ(List().size(), 1u);
  EXPECT_EQ(List()[0].alias, "alpha");  // the stored spelling is kept
  EXPECT_EQ(List()[0].sha256, b_.cert->facts().sha256);
  manifest_.entries.clear();
  manifest_.remove = {"ALPHA"};
  ASSERT_EQ(Apply(), 0) << err_;
  EXPECT_TRUE(List().empty());
}

TEST_P(DecisionTableTest, DebianAliasLeftAlone) {
  SeedStore({{"debian:alpha.pem", &a_}, {"beta", &b_}});
  manifest_.entries.push_back(EntryFor("alpha", a_));  // present under the debian alias
  manifest_.entries.push_back(EntryFor("gamma", c_));
  manifest_.remove = {"beta"};
  EXPECT_NE(PlanText().find("already present as `debian:alpha.pem`: skipped"), std::string::npos)
      << out_;
  ASSERT_EQ(Apply(), 0) << err_;
  EXPECT_EQ(Counts(), "ks: 1 added, 0 replaced, 1 removed, 0 unchanged, 1 skipped");
  std::vector<EntryInfo> after = List();
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].alias, "debian:alpha.pem");
  EXPECT_EQ(after[0].sha256, a_.cert->facts().sha256);
  EXPECT_EQ(Find("gamma")->sha256, c_.cert->facts().sha256);
  if (IsPem()) {
    EXPECT_EQ(ReadFile(store_path_).find("# alias: debian:alpha.pem\n" + a_.pem),
              std::string("# a hand-written bundle\n").size());
  }
}

// Issue 13, item 1: `new` would be a skip (A is trusted as `old`), but `old` goes in the same
// plan; A must end up under `new`, not vanish.
TEST_P(DecisionTableTest, RenameBySkipAndRemoveKeepsTheCertificate) {
  SeedStore({{"old", &a_}});
  manifest_.entries.push_back(EntryFor("new", a_));
  manifest_.remove = {"old"};
  ASSERT_EQ(Apply(), 0) << err_;
  EXPECT_EQ(Counts(), "ks: 1 added, 0 replaced, 1 removed, 0 unchanged, 0 skipped");
  ExpectOnlyEntry("new", a_);
  EXPECT_EQ(Run("verify", {WriteManifest(manifest_)}), 0) << out_ << err_;
}

// Issue 13, item 2: two entries under one alias (case-only in jks/pkcs12, repeated `# alias:`
// line in pem) holding different certificates. Neither plan nor verify may look at the first
// one only; a replace resolves both, a remove removes both.
TEST_P(DecisionTableTest, AliasMatchingTwoEntriesIsAConflictUnlessResolved) {
  std::string second = IsPem() ? "partner" : "Partner";
  SeedStore({{"partner", &a_}, {second, &b_}});
  manifest_.entries.push_back(EntryFor("partner", a_));
  EXPECT_EQ(Apply(), 1);
  EXPECT_NE(err_.find("alias `partner`: the alias matches 2 entries"), std::string::npos) << err_;
  ExpectUntouched();
  EXPECT_EQ(Run("verify", {WriteManifest(manifest_)}), 1) << out_;
  EXPECT_EQ(out_.find("in sync"), std::string::npos) << out_;
  manifest_.entries = {EntryFor("partner", c_, /*replace=*/true)};
  ASSERT_EQ(Apply(), 0) << err_;
  std::vector<EntryInfo> after = List();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].sha256, c_.cert->facts().sha256);
  EXPECT_EQ(Run("verify", {WriteManifest(manifest_)}), 0) << out_ << err_;
}

TEST_P(DecisionTableTest, RemoveTakesEveryEntryTheAliasMatches) {
  std::string second = IsPem() ? "partner" : "PARTNER";
  SeedStore({{"partner", &a_}, {"keep", &c_}, {second, &b_}});
  manifest_.remove = {"partner"};
  ASSERT_EQ(Apply(), 0) << err_;
  ExpectOnlyEntry("keep", c_);
}

INSTANTIATE_TEST_SUITE_P(Formats, DecisionTableTest,
                         ::testing::Values(Format::kJks, Format::kPkcs12, Format::kPem),
                         test::StoreFormatParamName());

// Issue 13, item 3: a jks with an exact duplicate alias (here two private-key entries). Java
// reads only the last; a rewrite must still keep both, byte for byte.
using JksDuplicateTest = ApplyFixture;

TEST_F(JksDuplicateTest, RewriteKeepsEveryDuplicateEntryByteForByte) {
  TestCert a = MakeCert("Alpha");
  TestCert b = MakeCert("Beta");
  TestCert c = MakeCert("Gamma");
  manifest::Manifest m = BaseManifest(Format::kJks);
  auto Apply = [&] { return Run("apply", {WriteManifest(m)}); };
  std::string seeded = SeedJks({{"dup", &a, /*key=*/true}, {"dup", &b, /*key=*/true}});
  WriteFile(store_path_, seeded);
  keystore::Secret secret("changeit");
  std::string error;
  std::optional<keystore::jks::JksFile> before = keystore::jks::ParseJks(seeded, &secret, &error);
  ASSERT_TRUE(before) << error;
  ASSERT_EQ(before->entries.size(), 2u);
  m.entries.push_back(EntryFor("gamma", c));
  ASSERT_EQ(Apply(), 0) << err_;
  std::optional<keystore::jks::JksFile> after =
      keystore::jks::ParseJks(ReadFile(store_path_), &secret, &error);
  ASSERT_TRUE(after) << error;
  ASSERT_EQ(after->entries.size(), 3u);
  for (size_t i = 0; i < 2; ++i) {
    const keystore::jks::JksEntry& was = before->entries[i];
    const keystore::jks::JksEntry& now = after->entries[i];
    EXPECT_EQ(now.tag, was.tag);
    EXPECT_EQ(now.alias, was.alias);
    EXPECT_EQ(now.timestamp_ms, was.timestamp_ms);
    EXPECT_EQ(now.protected_key, was.protected_key);
    ASSERT_EQ(now.chain.size(), 1u);
    EXPECT_EQ(now.chain[0].der, was.chain[0].der);
  }
  // A key entry under the alias: no manifest action can resolve it.
  m.remove = {"dup"};
  EXPECT_EQ(Apply(), 1);
}

// Issue 13, item 16: a stored alias (or subject, or path) with control characters never
// reaches the terminal raw: list, plan and error messages escape it.
using OutputEscapingTest = ApplyFixture;

TEST_F(OutputEscapingTest, ControlCharactersInAliasesAreEscaped) {
  TestCert a = MakeCert("Alpha");
  const std::string evil = "\x1b[2J\x1b[Hfake\nline\xc2\x9b";
  WriteFile(store_path_, SeedJks({{evil, &a}}));
  apply::ListOptions list;
  list.keystore = store_path_;
  list.password_env = kPasswordVar;
  std::ostringstream out, err;
  ASSERT_EQ(apply::RunList(list, out, err), 0) << err.str();
  std::string listed = out.str();
  EXPECT_EQ(listed.find('\x1b'), std::string::npos) << listed;
  EXPECT_EQ(listed.find("\xc2\x9b"), std::string::npos) << listed;
  EXPECT_NE(listed.find("\\x1b[2J\\x1b[Hfake\\x0aline\\u009b  trusted"), std::string::npos)
      << listed;
  EXPECT_EQ(std::count(listed.begin(), listed.end(), '\n'), 1);

  manifest::Manifest m = BaseManifest(Format::kJks);
  m.entries.push_back(EntryFor("alpha", a));
  std::string path = WriteManifest(m);
  EXPECT_EQ(Run("plan", {path}), 0) << err_;
  EXPECT_NE(out_.find("already present as `\\x1b[2J"), std::string::npos) << out_;
  EXPECT_EQ(out_.find('\x1b'), std::string::npos) << out_;
  // An error that names the alias: its certificate is not a certificate.
  keystore::jks::JksFile file;
  file.entries.push_back({keystore::jks::kTagTrustedCert, evil, 0, {}, {{"X.509", "garbage"}}});
  std::string error;
  WriteFile(store_path_, *keystore::jks::SerializeJks(file, keystore::Secret("changeit"), &error));
  EXPECT_EQ(Run("plan", {path}), 1);
  EXPECT_NE(err_.find("\\x1b[2J"), std::string::npos) << err_;
  EXPECT_EQ(err_.find('\x1b'), std::string::npos) << err_;
}

}  // namespace
}  // namespace trust::test
