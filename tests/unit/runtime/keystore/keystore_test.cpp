// Each format: new store, add, list, serialize, re-open, replace, remove; key entries
// preserved; wrong password and garbage give errors, never crashes.
#include "runtime/keystore/keystore.h"

#include <gtest/gtest.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <random>

#include "runtime/keystore/jks/jks_file.h"
#include "tests/support/store_format_param.h"
#include "tests/support/test_certs.h"

namespace trust::keystore {
namespace {

using test::MakeCert;
using test::TestCert;

class KeystoreFormatTest : public ::testing::TestWithParam<StoreFormat> {
 protected:
  std::unique_ptr<Keystore> Reopen(const Keystore& store) {
    std::string error;
    std::optional<std::string> bytes = store.Serialize(&error);
    EXPECT_TRUE(bytes.has_value()) << error;
    EXPECT_EQ(DetectFormat(*bytes), GetParam());
    std::unique_ptr<Keystore> reopened = OpenKeystore(*bytes, GetParam(), &password_, &error);
    EXPECT_NE(reopened, nullptr) << error;
    return reopened;
  }

  Secret password_{"changeit"};
};

TEST_P(KeystoreFormatTest, AddReplaceRemoveRoundTrip) {
  std::string error;
  std::unique_ptr<Keystore> store = NewKeystore(GetParam(), &password_, &error);
  ASSERT_NE(store, nullptr) << error;
  TestCert a = MakeCert("Alpha");
  TestCert b = MakeCert("Beta");
  TestCert c = MakeCert("Gamma");
  ASSERT_TRUE(store->AddTrusted("alpha", *a.cert, &error)) << error;
  ASSERT_TRUE(store->AddTrusted("beta", *b.cert, &error)) << error;
  EXPECT_FALSE(store->AddTrusted("beta", *c.cert, &error));

  std::unique_ptr<Keystore> reopened = Reopen(*store);
  ASSERT_NE(reopened, nullptr);
  std::vector<EntryInfo> entries = reopened->List();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].alias, "alpha");
  EXPECT_EQ(entries[0].kind, EntryKind::kTrustedCert);
  EXPECT_EQ(entries[0].sha256, a.cert->facts().sha256);
  EXPECT_EQ(entries[0].subject, "CN=Alpha");
  EXPECT_EQ(entries[0].not_after, "2090-01-01T00:00:00Z");

  ASSERT_TRUE(reopened->ReplaceTrusted("beta", *c.cert, &error)) << error;
  ASSERT_TRUE(reopened->Remove("alpha", &error)) << error;
  EXPECT_FALSE(reopened->Remove("alpha", &error));
  std::unique_ptr<Keystore> again = Reopen(*reopened);
  ASSERT_NE(again, nullptr);
  entries = again->List();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].alias, "beta");
  EXPECT_EQ(entries[0].sha256, c.cert->facts().sha256);
}

TEST_P(KeystoreFormatTest, AliasCaseHandling) {
  std::string error;
  std::unique_ptr<Keystore> store = NewKeystore(GetParam(), &password_, &error);
  TestCert a = MakeCert("Alpha");
  ASSERT_TRUE(store->AddTrusted("MixedCase", *a.cert, &error)) << error;
  std::unique_ptr<Keystore> reopened = Reopen(*store);
  std::vector<EntryInfo> entries = reopened->List();
  ASSERT_EQ(entries.size(), 1u);
  if (GetParam() == StoreFormat::kPem) {
    EXPECT_EQ(entries[0].alias, "MixedCase");
    EXPECT_EQ(FindAlias(entries, "mixedcase", reopened->CaseInsensitiveAliases()), nullptr);
  } else {
    EXPECT_EQ(entries[0].alias, "mixedcase");  // Java lower-cases; we write it that way
    EXPECT_NE(FindAlias(entries, "MIXEDCASE", reopened->CaseInsensitiveAliases()), nullptr);
  }
}

TEST_P(KeystoreFormatTest, RejectsDebianAlias) {
  std::string error;
  std::unique_ptr<Keystore> store = NewKeystore(GetParam(), &password_, &error);
  EXPECT_FALSE(store->AddTrusted("debian:x", *MakeCert("X").cert, &error));
}

TEST_P(KeystoreFormatTest, GarbageNeverCrashes) {
  std::string error;
  std::unique_ptr<Keystore> store = NewKeystore(GetParam(), &password_, &error);
  ASSERT_TRUE(store->AddTrusted("alpha", *MakeCert("Alpha").cert, &error));
  std::string bytes = *store->Serialize(&error);
  std::mt19937 rng(42);
  for (int round = 0; round < 300; ++round) {
    std::string mutated = bytes;
    if (round % 3 == 0) {
      mutated.resize(rng() % mutated.size());
    } else {
      for (int k = 0; k < 4; ++k) {
        mutated[rng() % mutated.size()] = static_cast<char>(rng());
      }
    }
    // Any outcome but a crash is fine; an error must say something.
    if (OpenKeystore(mutated, GetParam(), &password_, &error) == nullptr) {
      EXPECT_FALSE(error.empty());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, KeystoreFormatTest,
                         ::testing::Values(StoreFormat::kJks, StoreFormat::kPkcs12,
                                           StoreFormat::kPem),
                         test::StoreFormatParamName());

TEST(DetectFormatTest, ByMagic) {
  EXPECT_EQ(DetectFormat("\xFE\xED\xFE\xED"), StoreFormat::kJks);
  EXPECT_EQ(DetectFormat("\xCE\xCE\xCE\xCE"), StoreFormat::kJceks);
  EXPECT_EQ(DetectFormat("\x30\x82"), StoreFormat::kPkcs12);
  EXPECT_EQ(DetectFormat("-----BEGIN"), StoreFormat::kPem);
}

TEST(JksTest, WrongPasswordAndNoPassword) {
  std::string error;
  Secret password("changeit");
  std::unique_ptr<Keystore> store = NewKeystore(StoreFormat::kJks, &password, &error);
  ASSERT_TRUE(store->AddTrusted("alpha", *MakeCert("Alpha").cert, &error));
  std::string bytes = *store->Serialize(&error);
  Secret wrong("wrong!");
  EXPECT_EQ(OpenKeystore(bytes, StoreFormat::kJks, &wrong, &error), nullptr);
  EXPECT_EQ(error, kWrongPassword);
  // Without a password the store reads (as Java does) but cannot be written.
  std::unique_ptr<Keystore> unlocked = OpenKeystore(bytes, StoreFormat::kJks, nullptr, &error);
  ASSERT_NE(unlocked, nullptr) << error;
  EXPECT_EQ(unlocked->List().size(), 1u);
  EXPECT_FALSE(unlocked->Serialize(&error).has_value());
}

TEST(JksTest, TimestampIsNotBeforeAndKeyEntriesSurvive) {
  TestCert leaf = MakeCert("Key Owner");
  jks::JksFile file;
  jks::JksEntry key;
  key.tag = jks::kTagPrivateKey;
  key.alias = "mykey";
  key.timestamp_ms = 1234;
  key.protected_key = std::string("\x30\x03\x02\x01\x00", 5);  // opaque to us
  key.chain.push_back({"X.509", leaf.der});
  file.entries.push_back(key);
  Secret password("changeit");
  std::string error;
  std::string bytes = *jks::SerializeJks(file, password, &error);

  std::unique_ptr<Keystore> store = OpenKeystore(bytes, StoreFormat::kJks, &password, &error);
  ASSERT_NE(store, nullptr) << error;
  ASSERT_EQ(store->List()[0].kind, EntryKind::kPrivateKey);
  EXPECT_EQ(store->List()[0].sha256, leaf.cert->facts().sha256);
  EXPECT_FALSE(store->Remove("mykey", &error));
  EXPECT_FALSE(store->ReplaceTrusted("MyKey", *leaf.cert, &error));
  TestCert other = MakeCert("Other");
  ASSERT_TRUE(store->AddTrusted("other", *other.cert, &error));
  std::optional<jks::JksFile> parsed = jks::ParseJks(*store->Serialize(&error), &password, &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  ASSERT_EQ(parsed->entries.size(), 2u);
  EXPECT_EQ(parsed->entries[0].protected_key, key.protected_key);
  EXPECT_EQ(parsed->entries[0].timestamp_ms, 1234);
  EXPECT_EQ(parsed->entries[0].chain[0].der, leaf.der);
  EXPECT_EQ(parsed->entries[1].timestamp_ms, test::kNotBefore * 1000);
}

TEST(JksTest, RejectsHugeCountAndTrailingBytes) {
  std::string error;
  std::string header("\xFE\xED\xFE\xED\x00\x00\x00\x02\x7F\xFF\xFF\xFF", 12);
  EXPECT_EQ(OpenKeystore(header, StoreFormat::kJks, nullptr, &error), nullptr);
  EXPECT_NE(error.find("over the limit"), std::string::npos);
  Secret password("changeit");
  std::string bytes = *NewKeystore(StoreFormat::kJks, &password, &error)->Serialize(&error);
  EXPECT_EQ(OpenKeystore(bytes + "x", StoreFormat::kJks, &password, &error), nullptr);
  EXPECT_NE(error.find("data after the integrity check"), std::string::npos);
}

TEST(Pkcs12Test, WrongPasswordAndPasswordless) {
  std::string error;
  Secret password("changeit");
  std::unique_ptr<Keystore> store = NewKeystore(StoreFormat::kPkcs12, &password, &error);
  ASSERT_TRUE(store->AddTrusted("alpha", *MakeCert("Alpha").cert, &error));
  std::string bytes = *store->Serialize(&error);
  Secret wrong("wrong!");
  EXPECT_EQ(OpenKeystore(bytes, StoreFormat::kPkcs12, &wrong, &error), nullptr);
  EXPECT_EQ(error, kWrongPassword);

  std::unique_ptr<Keystore> open = NewKeystore(StoreFormat::kPkcs12, nullptr, &error);
  ASSERT_TRUE(open->AddTrusted("alpha", *MakeCert("Alpha").cert, &error));
  std::string open_bytes = *open->Serialize(&error);
  std::unique_ptr<Keystore> reread =
      OpenKeystore(open_bytes, StoreFormat::kPkcs12, nullptr, &error);
  ASSERT_NE(reread, nullptr) << error;
  EXPECT_EQ(reread->List().size(), 1u);
}

// A pkcs12 file whose MAC, or whose encrypted container, declares `iterations` (patched in
// after the fact: deriving keys with the count itself would take the test seconds).
std::string Pkcs12Declaring(long mac_iterations, long pbe_iterations) {
  const char* pass = "changeit";
  TestCert cert = MakeCert("Alpha");
  STACK_OF(PKCS12_SAFEBAG)* bags = nullptr;
  X509* x = test::NewX509(cert);
  PKCS12_add_cert(&bags, x);
  PKCS7* p7 = PKCS12_pack_p7encdata(NID_pbe_WithSHA1And3_Key_TripleDES_CBC, pass, -1, nullptr, 8,
                                    2048, bags);
  X509_ALGOR* alg = p7->d.encrypted->enc_data->algorithm;
  auto* pbe = static_cast<PBEPARAM*>(
      ASN1_item_unpack(alg->parameter->value.sequence, ASN1_ITEM_rptr(PBEPARAM)));
  ASN1_INTEGER_set(pbe->iter, pbe_iterations);
  ASN1_STRING* packed = ASN1_item_pack(pbe, ASN1_ITEM_rptr(PBEPARAM), nullptr);
  ASN1_TYPE_set(alg->parameter, V_ASN1_SEQUENCE, packed);
  PBEPARAM_free(pbe);
  STACK_OF(PKCS7)* safes = sk_PKCS7_new_null();
  sk_PKCS7_push(safes, p7);
  PKCS12* p12 = PKCS12_add_safes(safes, 0);
  PKCS12_set_mac(p12, pass, -1, nullptr, 0, 2048, EVP_sha256());
  const ASN1_INTEGER* iter = nullptr;
  PKCS12_get0_mac(nullptr, nullptr, nullptr, &iter, p12);
  ASN1_INTEGER_set(const_cast<ASN1_INTEGER*>(iter), mac_iterations);
  std::string out = test::Pkcs12DerAndFree(p12);
  sk_PKCS7_pop_free(safes, PKCS7_free);
  sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
  X509_free(x);
  return out;
}

// Issue 13, item 13: iteration counts are CPU time the file asks for; over 10 million is
// refused before any key derivation (fast, with a clear message).
TEST(Pkcs12Test, IterationCountsOverTheLimitAreRefused) {
  Secret password("changeit");
  std::string error;
  EXPECT_EQ(
      OpenKeystore(Pkcs12Declaring(2000000000, 2048), StoreFormat::kPkcs12, &password, &error),
      nullptr);
  EXPECT_EQ(error, "pkcs12 MAC iteration count 2000000000 is over the limit of 10000000");
  // With the MAC left valid, the container's count is checked before it is decrypted.
  std::string pbe = Pkcs12Declaring(2048, 10000001);
  EXPECT_EQ(OpenKeystore(pbe, StoreFormat::kPkcs12, &password, &error), nullptr);
  EXPECT_EQ(error, "pkcs12 PBE iteration count 10000001 is over the limit of 10000000");
}

TEST(PemBundleTest, KeepsForeignTextAndUnmanagedBlocks) {
  TestCert a = MakeCert("Alpha");
  TestCert b = MakeCert("Beta");
  std::string text = "# my bundle\r\n\r\n" + a.pem + "\n# alias: beta\n" + b.pem + "trailer";
  std::string error;
  std::unique_ptr<Keystore> store = OpenKeystore(text, StoreFormat::kPem, nullptr, &error);
  ASSERT_NE(store, nullptr) << error;
  std::vector<EntryInfo> entries = store->List();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].alias, a.cert->facts().sha256);
  EXPECT_EQ(entries[1].alias, "beta");
  EXPECT_EQ(*store->Serialize(&error), text);
  ASSERT_TRUE(store->Remove("beta", &error));
  EXPECT_EQ(*store->Serialize(&error), "# my bundle\r\n\r\n" + a.pem + "\ntrailer");
  ASSERT_TRUE(store->AddTrusted("gamma", *b.cert, &error));
  EXPECT_EQ(*store->Serialize(&error),
            "# my bundle\r\n\r\n" + a.pem + "\ntrailer\n# alias: gamma\n" + b.pem);
}

TEST(PemBundleTest, RejectsBinaryAndUnterminated) {
  std::string error;
  EXPECT_EQ(OpenKeystore(std::string("a\0b", 3), StoreFormat::kPem, nullptr, &error), nullptr);
  EXPECT_NE(error.find("binary data"), std::string::npos);
  EXPECT_EQ(OpenKeystore("-----BEGIN CERTIFICATE-----\nAAAA\n", StoreFormat::kPem, nullptr, &error),
            nullptr);
  EXPECT_NE(error.find("unterminated"), std::string::npos);
}

}  // namespace
}  // namespace trust::keystore
