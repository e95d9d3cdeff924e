#include "tests/fuzz/fuzz_entry.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/utf8.h"
#include "base/version.h"
#include "compiler/artifacts/artifacts.h"
#include "compiler/ast/ast_codec.h"
#include "compiler/diag/render.h"
#include "compiler/driver/pipeline.h"
#include "compiler/facts/facts_cache.h"
#include "compiler/importer/bundle_reader.h"
#include "compiler/importer/graphman_reader.h"
#include "compiler/importer/source_writer.h"
#include "compiler/parse/parse.h"
#include "compiler/review/fmt.h"
#include "runtime/keystore/keystore.h"
#include "runtime/manifest/manifest.h"
#include "runtime/x509/certificate.h"
#include "tests/support/lexer_check.h"
#include "tests/support/paths.h"

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
    fs::path golden = fs::path(test_support::SourceDir()) / "tests/golden";
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

namespace {

// The sources of FuzzCompile, by resolved path as the loader looks them up: the golden tests'
// lib/*.trust, read once per process, and the input as fuzz.trust (never written to disk). The
// standard library is embedded in the binary; only certificate files an input names are read.
struct InMemorySources {
  std::map<std::string, std::string> overlay;
  std::string root;  // the path of fuzz.trust: its text is the input
};

InMemorySources& Sources() {
  static InMemorySources sources = [] {
    InMemorySources made;
    fs::path dir = fs::canonical(ProjectDir());
    for (const auto& entry : fs::directory_iterator(dir / "lib")) {
      // Only plain files: a directory or a link there must meet the loader's own checks.
      if (entry.is_symlink() || !entry.is_regular_file()) continue;
      made.overlay[entry.path().string()] = ReadWhole(entry.path());
    }
    made.root = (dir / "fuzz.trust").string();
    made.overlay[made.root];
    return made;
  }();
  return sources;
}

}  // namespace

// The parse cache's encoding of a tree: what it decodes to encodes to the same bytes.
void CheckTreeEncoding(const ast::Module& module, std::string_view text) {
  std::string encoded = ast::EncodeModule(module, text);
  if (encoded.empty()) Fail("a parsed tree could not be encoded");
  std::optional<ast::Module> decoded = ast::DecodeModule(encoded, text, module.file);
  if (!decoded) Fail("an encoded tree did not decode");
  if (ast::EncodeModule(*decoded, text) != encoded) Fail("a decoded tree is not the one encoded");
}

void FuzzParse(const uint8_t* data, size_t size) {
  std::string_view text = View(data, size);
  // The parser lexes only valid UTF-8 (it reports anything else first).
  if (base::FindInvalidUtf8(text) == std::string_view::npos) {
    std::string difference = test::CompareLexers(text);
    if (!difference.empty()) Fail(difference.c_str());
  }
  source::SourceManager sources;
  diag::Emitter emitter;
  std::string error;
  source::FileId id = sources.Add("fuzz.trust", std::string(text));
  ast::Module module = parse::Parse(sources.file(id), id, emitter);
  if (emitter.HasErrors()) return;
  CheckTreeEncoding(module, sources.file(id).text());
  std::optional<std::string> formatted =
      review::FormatParsed(module, sources.file(id).text(), "fuzz.trust", &error);
  // FormatParsed checks that the layout is the same program; a refusal is a formatter bug.
  if (!formatted) Fail("the formatter could not lay out a file that parses");
  source::SourceManager again_sources;
  diag::Emitter again_emitter;
  std::optional<std::string> again =
      review::FormatSource("fuzz.trust", *formatted, again_sources, again_emitter, &error);
  if (again != formatted) Fail("formatting a formatted file changed it");
}

void FuzzCompile(const uint8_t* data, size_t size) {
  InMemorySources& sources = Sources();
  sources.overlay[sources.root].assign(reinterpret_cast<const char*>(data), size);
  driver::CompileOptions options;
  options.root_path = sources.root;
  options.build_time = kBuildTime;
  options.overlay = &sources.overlay;
  std::unique_ptr<driver::Compilation> result = driver::Compile(options);
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
  importer::WrittenSource written = importer::WriteSource(estate, dir, importer::Baseline{});
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

namespace {

// The golden certificates FuzzFactsCache looks up, with what parsing says of them and which of
// them signed the leaf: computed once per process, the reference every input is held to.
struct Reference {
  std::vector<std::string> bytes;
  std::vector<std::shared_ptr<const x509::Certificate>> parsed;
  std::vector<bool> signed_leaf;  // parsed[2] (the leaf) signed by parsed[i]
};

const Reference& GoldenCertificates() {
  static const Reference reference = [] {
    Reference made;
    for (const char* name : {"root-ca.pem", "server-ca.pem", "leaf.pem", "ca.der"}) {
      made.bytes.push_back(
          ReadWhole(fs::path(test_support::SourceDir()) / "tests/golden/certs" / name));
      x509::LoadResult parsed = x509::ParseCertificate(made.bytes.back());
      const auto* certificate = std::get_if<std::shared_ptr<const x509::Certificate>>(&parsed);
      if (certificate == nullptr) Fail("a golden certificate did not parse");
      made.parsed.push_back(*certificate);
    }
    for (const auto& issuer : made.parsed)
      made.signed_leaf.push_back(made.parsed[2]->IsSignedBy(*issuer));
    return made;
  }();
  return reference;
}

// What the cache answers must be what parsing answers.
void CheckSameAsParsing(const x509::Certificate& cached, const x509::Certificate& parsed) {
  const x509::CertFacts& x = cached.facts();
  const x509::CertFacts& y = parsed.facts();
  if (x.subject != y.subject || x.issuer != y.issuer || x.sha256 != y.sha256 ||
      x.not_before != y.not_before || x.not_after != y.not_after || x.is_ca != y.is_ca ||
      x.key_bits != y.key_bits || cached.der() != parsed.der()) {
    Fail("the cache gave other facts than parsing");
  }
}

// Loads the golden certificates and asks one signature question per issuer through `cache`;
// returns what it loaded.
std::vector<std::shared_ptr<const x509::Certificate>> UseCache(facts::FactsCache& cache) {
  const Reference& reference = GoldenCertificates();
  std::vector<std::shared_ptr<const x509::Certificate>> loaded;
  for (size_t i = 0; i < reference.bytes.size(); ++i) {
    x509::LoadResult cached = cache.Load(reference.bytes[i]);
    const auto* certificate = std::get_if<std::shared_ptr<const x509::Certificate>>(&cached);
    if (certificate == nullptr) Fail("a golden certificate did not load");
    CheckSameAsParsing(**certificate, *reference.parsed[i]);
    loaded.push_back(*certificate);
  }
  for (size_t i = 0; i < loaded.size(); ++i) {
    if (cache.IsSignedBy(*loaded[2], *loaded[i]) != reference.signed_leaf[i]) {
      Fail("the cache gave another signature verdict");
    }
  }
  return loaded;
}

}  // namespace

// In memory: the input is the pack, under the key the seed packs were made with; then the
// pack compacted as Flush would (today, nothing fresh) must still answer from the pack every
// question the original answered from it.
void FuzzFactsCache(const uint8_t* data, size_t size) {
  const std::string secret(32, 'k');
  const std::string producer = "trustc " TRUST_VERSION;  // as trustc keys it
  constexpr uint32_t kToday = 20000;                     // 2024-10-04: fixed, like kBuildTime
  std::unique_ptr<facts::FactsCache> cache =
      facts::FactsCache::OverPack(std::string(View(data, size)), secret, producer);
  UseCache(*cache);
  std::string compacted =
      facts::CompactPack(View(data, size), [&](std::string_view key) { return cache->Used(key); },
                         "", secret, producer, kToday, {});
  std::unique_ptr<facts::FactsCache> again =
      facts::FactsCache::OverPack(std::move(compacted), secret, producer);
  UseCache(*again);
  if (again->decoded() > cache->decoded()) Fail("compaction lost a record that was used");
}

}  // namespace trust::fuzz
