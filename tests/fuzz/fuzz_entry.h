// The fuzzed entry points, shared by the libFuzzer targets (fuzz_*.cpp, TRUST_FUZZ builds) and
// by replay_test.cpp, which runs every corpus and regression file through them in the normal
// build. Each function takes arbitrary bytes and must neither crash nor hang; a broken
// invariant aborts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace trust::fuzz {

using Entry = void (*)(const uint8_t* data, size_t size);

// The parser and the formatter on one .trust source: our lexer gives the tokens ANTLR's
// generated lexer gives; a file that parses is formatted to the
// same program, and formatting that again changes nothing; its tree, encoded as the parse cache
// keeps it, decodes to the same tree. Kept to the syntax so that it runs
// fast (docs/hardening.md); FuzzCompile runs the whole pipeline on the same seeds.
void FuzzParse(const uint8_t* data, size_t size);
// Parse + sema (+ lowering when the program is valid) of one .trust source, as `fuzz.trust` of
// a project with the golden tests' certificates and libraries.
void FuzzCompile(const uint8_t* data, size_t size);
// x509::ParseCertificate.
void FuzzCert(const uint8_t* data, size_t size);
// The JKS and JCEKS reader, without a password (no integrity check) and with "changeit".
void FuzzJks(const uint8_t* data, size_t size);
// The PKCS#12 reader, without a password and with "changeit".
void FuzzPkcs12(const uint8_t* data, size_t size);
// The PEM bundle reader.
void FuzzPemBundle(const uint8_t* data, size_t size);
// manifest::ReadManifest.
void FuzzManifest(const uint8_t* data, size_t size);
// The RESTMAN bundle reader of `trustc import`, then the source written from what it read.
void FuzzBundle(const uint8_t* data, size_t size);
// The certificate-facts cache reading the bytes as its pack (under a fixed key, so that seed
// packs authenticate): whatever the pack holds, the facts are those ParseCertificate gives.
void FuzzFactsCache(const uint8_t* data, size_t size);
// The Graphman bundle reader of `trustc import`, then the source written from what it read.
void FuzzGraphman(const uint8_t* data, size_t size);

struct Target {
  std::string_view name;
  Entry entry;
  // The directory under corpus/ and regressions/ holding its inputs: its own name, except that
  // the two targets reading .trust sources share fuzz_parse's.
  std::string_view inputs;
};
// As tests/fuzz/targets.tsv lists them (the build and scripts/fuzz.sh read that table; the
// replay test checks that the two agree).
inline constexpr Target kTargets[] = {
    {"fuzz_parse", FuzzParse, "fuzz_parse"},
    {"fuzz_compile", FuzzCompile, "fuzz_parse"},
    {"fuzz_cert", FuzzCert, "fuzz_cert"},
    {"fuzz_jks", FuzzJks, "fuzz_jks"},
    {"fuzz_pkcs12", FuzzPkcs12, "fuzz_pkcs12"},
    {"fuzz_pem_bundle", FuzzPemBundle, "fuzz_pem_bundle"},
    {"fuzz_manifest", FuzzManifest, "fuzz_manifest"},
    {"fuzz_bundle", FuzzBundle, "fuzz_bundle"},
    {"fuzz_facts_cache", FuzzFactsCache, "fuzz_facts_cache"},
    {"fuzz_graphman", FuzzGraphman, "fuzz_graphman"},
};

}  // namespace trust::fuzz
