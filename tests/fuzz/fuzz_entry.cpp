#include "tests/fuzz/fuzz_entry.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "base/version.h"
#include "compiler/artifacts/artifacts.h"
#include "compiler/diag/render.h"
#include "compiler/driver/pipeline.h"
#include "compiler/facts/facts_cache.h"
#include "compiler/importer/bundle_reader.h"
#include "compiler/importer/graphman_reader.h"
#include "compiler/importer/source_writer.h"
#include "runtime/keystore/keystore.h"
#include "runtime/manifest/manifest.h"
#include "runtime/x509/certificate.h"

namespace trust::fuzz {
namespace fs = std::filesystem;

namespace {

std::string_view View(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

// A project directory made once per process: the golden tests' certs/ and lib/ (so the seeds
// resolve their certificate files and imports) and the fuzzed source as fuzz.trust.
const fs::path& ProjectDir() {
  static const fs::path dir = [] {
    // No certificate-facts cache on disk: runs stay hermetic and never touch $HOME.
    setenv("TRUSTC_CACHE_DIR", "off", 1);
    std::string pattern = (fs::temp_directory_path() / "trust-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) Fail("mkdtemp");
    fs::path made(pattern);
    fs::path golden = fs::path(TRUST_SOURCE_DIR) / "tests/golden";
    for (const char* sub : {"certs", "lib"}) {
      std::error_code ec;
      fs::copy(golden / sub, made / sub, fs::copy_options::recursive, ec);
    }
    // Best effort: the directory goes when the process exits normally.
    static struct Remover {
      fs::path path;
      ~Remover() {
        std::error_code ec;
        fs::remove_all(path, ec);
      }
    } remover{made};
    return made;
  }();
  return dir;
}

std::string ReadWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteWhole(const fs::path& path, std::string_view bytes) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) Fail("cannot write the fuzz input");
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) Fail("short write of the fuzz input");
    done += static_cast<size_t>(n);
  }
  close(fd);
}

void ExerciseKeystore(std::string_view bytes, keystore::StoreFormat format,
                      const keystore::Secret* password) {
  std::string error;
  std::unique_ptr<keystore::Keystore> store =
      keystore::OpenKeystore(bytes, format, password, &error);
  if (!store) return;
  std::vector<keystore::EntryInfo> entries = store->List();
  for (const auto& entry : entries) {
    keystore::FindAlias(entries, entry.alias, store->CaseInsensitiveAliases());
  }
  std::optional<std::string> written = store->Serialize(&error);
  if (!written) return;
  // What we write we must read back, with the same entries.
  std::unique_ptr<keystore::Keystore> again =
      keystore::OpenKeystore(*written, format, password, &error);
  if (!again) Fail("a serialized keystore does not open again");
  std::vector<keystore::EntryInfo> reread = again->List();
  if (reread.size() != entries.size()) Fail("a keystore round trip changed the entry count");
  for (size_t i = 0; i < entries.size(); ++i) {
    if (reread[i].alias != entries[i].alias || reread[i].sha256 != entries[i].sha256) {
      Fail("a keystore round trip changed an entry");
    }
  }
}

const keystore::Secret& Password() {
  static const keystore::Secret secret("changeit");
  return secret;
}

}  // namespace

constexpr int64_t kBuildTime = 1700000000;  // 2023-11-14: fixed, results do not follow the clock

std::unique_ptr<driver::Compilation> CompileFile(const fs::path& path) {
  driver::CompileOptions options;
  options.root_path = path.string();
  options.build_time = kBuildTime;
  return driver::Compile(options);
}

void FuzzParse(const uint8_t* data, size_t size) {
  const fs::path& dir = ProjectDir();
  WriteWhole(dir / "fuzz.trust", View(data, size));
  std::unique_ptr<driver::Compilation> result = CompileFile(dir / "fuzz.trust");
  const auto& diagnostics = result->emitter.diagnostics();
  diag::RenderText(diagnostics, result->sources, {});
  diag::RenderJson(diagnostics, result->sources);
  if (result->program) {
    if (result->emitter.HasErrors()) Fail("a program was produced despite errors");
    artifacts::Collect(*result->program, "trustc fuzz");
  } else if (!result->emitter.HasErrors()) {
    Fail("no program and no error");
  }
}

void FuzzCert(const uint8_t* data, size_t size) {
  x509::LoadResult result = x509::ParseCertificate(View(data, size));
  if (const auto* cert = std::get_if<std::shared_ptr<const x509::Certificate>>(&result)) {
    if ((*cert)->facts().sha256.size() != 64) Fail("a certificate without a sha256");
    (*cert)->IsSignedBy(**cert);
    x509::FormatUtc((*cert)->facts().not_after);
    x509::FormatUtc((*cert)->facts().not_before);
  } else if (std::get<x509::LoadError>(result).message.empty()) {
    Fail("a load error without a message");
  }
}

void FuzzJks(const uint8_t* data, size_t size) {
  std::string_view bytes = View(data, size);
  for (auto format : {keystore::StoreFormat::kJks, keystore::StoreFormat::kJceks}) {
    ExerciseKeystore(bytes, format, nullptr);
    ExerciseKeystore(bytes, format, &Password());
  }
}

void FuzzPkcs12(const uint8_t* data, size_t size) {
  std::string_view bytes = View(data, size);
  ExerciseKeystore(bytes, keystore::StoreFormat::kPkcs12, nullptr);
  ExerciseKeystore(bytes, keystore::StoreFormat::kPkcs12, &Password());
}

void FuzzPemBundle(const uint8_t* data, size_t size) {
  ExerciseKeystore(View(data, size), keystore::StoreFormat::kPem, nullptr);
}

namespace {

// Whatever a bundle held, the source written from it must at least parse: names are sanitised
// and strings escaped by the writer, not trusted from the bundle.
void CheckImportedSource(const importer::Estate& estate) {
  fs::path dir = ProjectDir() / "import";
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  importer::WrittenSource written = importer::WriteSource(estate, dir, kBuildTime);
  for (const auto& [name, pem] : written.cert_files) WriteWhole(dir / name, pem);
  WriteWhole(dir / "imported.trust", written.source);
  std::unique_ptr<driver::Compilation> result = CompileFile(dir / "imported.trust");
  for (const diag::Diagnostic& d : result->emitter.diagnostics()) {
    if (d.kind == diag::Kind::syntax || d.kind == diag::Kind::bad_escape) {
      Fail("imported source does not parse");
    }
  }
}

}  // namespace

void FuzzBundle(const uint8_t* data, size_t size) {
  importer::Estate estate;
  std::string error;
  if (!importer::ReadBundle("fuzz.bundle", std::string(View(data, size)), &estate, &error)) {
    if (error.empty()) Fail("a bundle error without a message");
    return;
  }
  CheckImportedSource(estate);
}

void FuzzGraphman(const uint8_t* data, size_t size) {
  importer::Estate estate;
  std::string error;
  if (!importer::ReadGraphman("fuzz.json", std::string(View(data, size)), &estate, &error)) {
    if (error.empty()) Fail("a Graphman bundle error without a message");
    return;
  }
  CheckImportedSource(estate);
}

void FuzzManifest(const uint8_t* data, size_t size) {
  std::string error;
  std::optional<manifest::Manifest> parsed = manifest::ReadManifest(View(data, size), &error);
  if (!parsed) {
    if (error.empty()) Fail("a manifest error without a message");
    return;
  }
  // The writer's output must read back as the same manifest.
  std::string written = manifest::WriteManifest(*parsed);
  std::optional<manifest::Manifest> again = manifest::ReadManifest(written, &error);
  if (!again) Fail("a written manifest does not read back");
  if (!(*again == *parsed)) Fail("a manifest round trip changed it");
}

void FuzzFactsCache(const uint8_t* data, size_t size) {
  fs::path dir = ProjectDir() / "cache";
  ::mkdir(dir.c_str(), 0700);
  WriteWhole(dir / "hmac-key", std::string(32, 'k'));  // the key the seed packs were made with
  WriteWhole(dir / "certs-v2.pack", View(data, size));
  facts::FactsCache cache(dir, "trustc " TRUST_VERSION);  // as trustc keys it
  std::vector<std::shared_ptr<const x509::Certificate>> loaded;
  for (const char* name : {"root-ca.pem", "server-ca.pem", "leaf.pem", "ca.der"}) {
    std::string bytes = ReadWhole(ProjectDir() / "certs" / name);
    x509::LoadResult cached = cache.Load(bytes);
    x509::LoadResult parsed = x509::ParseCertificate(bytes);
    const auto* a = std::get_if<std::shared_ptr<const x509::Certificate>>(&cached);
    const auto* b = std::get_if<std::shared_ptr<const x509::Certificate>>(&parsed);
    if (a == nullptr || b == nullptr) Fail("a golden certificate did not load");
    const x509::CertFacts& x = (*a)->facts();
    const x509::CertFacts& y = (*b)->facts();
    if (x.subject != y.subject || x.issuer != y.issuer || x.sha256 != y.sha256 ||
        x.not_before != y.not_before || x.not_after != y.not_after || x.is_ca != y.is_ca ||
        x.key_bits != y.key_bits || (*a)->der() != (*b)->der()) {
      Fail("the cache gave other facts than parsing");
    }
    loaded.push_back(*a);
  }
  for (const auto& issuer : loaded) {
    if (cache.IsSignedBy(*loaded[2], *issuer) != loaded[2]->IsSignedBy(*issuer)) {
      Fail("the cache gave another signature verdict");
    }
  }
  cache.Flush();
}

}  // namespace trust::fuzz
