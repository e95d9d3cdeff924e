#include "compiler/driver/up_to_date.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/build_id.h"
#include "base/digest.h"
#include "base/file_read.h"
#include "base/open_directories.h"
#include "base/parallel.h"
#include "base/version.h"
#include "compiler/driver/build_record.h"
#include "compiler/limits.h"
#include "compiler/parse/lexical_form.h"
#include "compiler/sema/program.h"

namespace trust::driver {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Every file of the record is read under one limit, the larger of the two the compiler uses:
// a file grown past its own limit no longer hashes the same, which is enough to build.
constexpr size_t kReadLimit = std::max(limits::kMaxSourceBytes, limits::kMaxCertificateBytes);
// A record is a few lines per file read; a larger one is not ours.
constexpr size_t kMaxRecordBytes = 64 * 1024 * 1024;

bool Eligible(const CompileOptions& options) {
  return options.sign_key.empty() && !options.stdlib_dir && !options.allow_outside_root &&
         options.overlay == nullptr && options.session == nullptr && !options.partial;
}

// Everything besides the files read that decides what a build writes. Paths are not in it:
// the record names files relative to the project root, and a build is the same wherever the
// project is (a copied project with its output directory stays up to date).
std::string Key(const CompileOptions& options, const fs::path& root_file) {
  json key = {{"trustc", TRUST_VERSION},
              {"build_id", base::ExecutableBuildId()},
              {"root_file", root_file.filename().string()},
              {"defines", options.defines},
              {"no_baseline", options.no_baseline}};
  return base::Sha256Hex(key.dump());
}

// The root file as the loader resolves it.
fs::path RootFile(const CompileOptions& options) {
  std::error_code ec;
  return fs::weakly_canonical(fs::absolute(options.root_path, ec), ec);
}

// A module counts by its lexical form (a change of layout or comments compiles alike), a
// certificate file by its bytes.
enum class Content { kSource, kCertificate };

std::string ContentSha256(std::string_view bytes, Content content) {
  return content == Content::kSource ? base::Sha256Hex(parse::LexicalForm(bytes))
                                     : base::Sha256Hex(bytes);
}

std::optional<std::string> FileSha256(const fs::path& path, Content content) {
  std::string reason;
  std::optional<std::string> bytes = base::ReadRegularFile(path.string(), kReadLimit, &reason);
  if (!bytes) return std::nullopt;
  return ContentSha256(*bytes, content);
}

// [named, real, sha256] from paths relative to the project root (lexically: `named` keeps its
// `..` and links for resolving again), or nullopt when one is empty or `real` is not under the
// root.
std::optional<json> EntryLine(const std::string& named, const std::string& real,
                              const std::string& sha256) {
  if (named.empty() || real.empty() || real == ".." || real.starts_with("../")) {
    return std::nullopt;
  }
  return json::array({named, real, sha256});
}

std::string Relative(const fs::path& path, const fs::path& root) {
  return path.lexically_relative(root).generic_string();
}

// The file of a recorded entry as it reads now, when the named path still leads to the same
// real file: its real path, as certificate loading resolves it (`directories`: each directory
// once), and its bytes.
struct EntryFile {
  std::string real;
  std::string bytes;
};

// nullopt when its named path leads elsewhere now, or the file cannot be read.
std::optional<EntryFile> ReadEntry(const fs::path& root, const RecordedFile& entry,
                                   const sema::ResolvedDirectories& directories) {
  fs::path named = root / entry.named;
  fs::path real = root / entry.real;
  sema::ResolvedDirectories::File resolved = directories.Resolve(named);
  if (resolved.real() != real) return std::nullopt;
  base::ReadFailure failure;
  std::optional<std::string> bytes = resolved.Read(kReadLimit, &failure);
  if (!bytes) return std::nullopt;
  return EntryFile{resolved.real().native(), std::move(*bytes)};
}

// Whether a recorded entry, resolved again (ReadEntry), still leads to the same real file, with
// the same content.
bool StillTheSame(const RecordedFile& entry, const std::optional<EntryFile>& file,
                  Content content) {
  return file && ContentSha256(file->bytes, content) == entry.sha256;
}

// Adds the directory of each entry's named path to `directories`.
void AddDirectories(const fs::path& root, const std::vector<RecordedFile>& entries,
                    sema::ResolvedDirectories& directories) {
  for (const RecordedFile& entry : entries) directories.Add(root / entry.named);
}

// The real path of a certificate entry, as text (one per file, up to 100,000: no path object).
std::string RealOf(const fs::path& root, const RecordedFile& entry) {
  return root.native() + "/" + entry.real;
}

// Certificate entries end with the size read: a file whose size changed has changed, which a
// `stat` tells without resolving and hashing up to 100,000 files first. Only ever a reason to
// build: a file of the same size is still resolved and hashed. Each file is stat'ed relative to
// its directory, opened once (following links, as a `stat` of the whole path would), from a few
// threads, like the hashing below.
bool SizeStillTheSame(const std::string& real, uint64_t size, const base::OpenDirectories& opened) {
  auto [directory, leaf] = base::SplitLastComponent(real);
  int dir_fd = opened.Find(directory);
  std::string name(leaf);
  struct stat status {};
  int result = dir_fd >= 0 && !name.empty() ? ::fstatat(dir_fd, name.c_str(), &status, 0)
                                            : ::stat(real.c_str(), &status);
  return result == 0 && static_cast<uint64_t>(status.st_size) == size;
}

bool AllSizesStillTheSame(const fs::path& root, const std::vector<RecordedFile>& entries) {
  base::OpenDirectories opened;
  for (const RecordedFile& entry : entries) {
    if (!entry.size) return false;
    opened.Add(base::SplitLastComponent(RealOf(root, entry)).first);
  }
  return base::AllHold(entries.size(), base::FileCheckThreads(), [&](size_t i) {
    return SizeStillTheSame(RealOf(root, entries[i]), *entries[i].size, opened);
  });
}

// The files are resolved and hashed by a few threads (base/parallel.h).
bool AllStillTheSame(const fs::path& root, const std::vector<RecordedFile>& entries,
                     Content content) {
  sema::ResolvedDirectories directories;
  AddDirectories(root, entries, directories);
  return base::AllHold(entries.size(), base::FileCheckThreads(), [&](size_t i) {
    return StillTheSame(entries[i], ReadEntry(root, entries[i], directories), content);
  });
}

// AllStillTheSame for certificate files, handing what it reads to the build that follows when
// one changed (`read_ahead`, within its budget): after the first file found changed, every file
// is still read, and certificate loading reads none of those a second time. Only after: keeping
// every file's bytes until the end cost an up-to-date build 10-15 % more (5 MB of fresh memory
// at 10,000 certificates, faulted in page by page).
bool AllCertificatesStillTheSame(const fs::path& root, const std::vector<RecordedFile>& entries,
                                 sema::CertificateBytesReadAhead* read_ahead) {
  if (read_ahead == nullptr) return AllStillTheSame(root, entries, Content::kCertificate);
  sema::ResolvedDirectories directories;
  AddDirectories(root, entries, directories);
  std::vector<std::optional<EntryFile>> kept(entries.size());
  std::atomic<size_t> kept_bytes{0};
  std::atomic<bool> all_same{true};
  base::ForEachIndex(entries.size(), base::FileCheckThreads(), [&](size_t i) {
    std::optional<EntryFile> file = ReadEntry(root, entries[i], directories);
    if (!StillTheSame(entries[i], file, Content::kCertificate)) all_same = false;
    // What certificate loading would refuse to read is left for it to report.
    if (all_same || !file || file->bytes.size() > limits::kMaxCertificateBytes) return;
    size_t size = file->bytes.size();
    if (kept_bytes.fetch_add(size) + size <= sema::CertificateBytesReadAhead::kBudgetBytes) {
      kept[i] = std::move(file);
    }
  });
  for (std::optional<EntryFile>& file : kept) {
    if (file) read_ahead->Keep(std::move(file->real), std::move(file->bytes));
  }
  return all_same;
}

std::optional<BuildRecord> ReadRecord(const std::string& out_dir) {
  std::string reason;
  std::optional<std::string> text =
      base::ReadRegularFile((fs::path(out_dir) / artifacts::kBuildRecordFile).string(),
                            kMaxRecordBytes, &reason, base::Links::kRefuse);
  if (!text) return std::nullopt;
  return ParseBuildRecord(*text);
}

}  // namespace

std::optional<std::string> MakeBuildRecord(const Compilation& compilation,
                                           const CompileOptions& options) {
  if (!Eligible(options) || !compilation.program || !compilation.loaded) return std::nullopt;
  size_t notes = 0;
  for (const diag::Diagnostic& diagnostic : compilation.emitter.diagnostics()) {
    if (diagnostic.severity != diag::Severity::Note) return std::nullopt;
    ++notes;
  }
  const sema::LoadedProgram& loaded = *compilation.loaded;
  const fs::path& root = loaded.project_root;
  const sema::Module& root_module = loaded.modules[0];
  // The record is written as text, one file a line, each line made by the JSON library: as a
  // document it held about 50 MB at 100,000 certificates, at the very end of the build.
  json head = {{"format", kBuildRecordFormat},
               {"key", Key(options, root_module.real_path)},
               {"dates", {compilation.program->dates.from, compilation.program->dates.until}},
               {"root", ContentSha256(compilation.sources.file(root_module.ast.file).text(),
                                      Content::kSource)},
               {"notes", notes}};
  std::string text = head.dump();
  text.pop_back();  // the closing brace: the two lists follow
  size_t size = text.size();
  for (const ir::CertFileRead& read : compilation.program->cert_files) {
    size += 2 * compilation.program->cert(read.cert).file.size() + read.named.size() + 100;
  }
  text.reserve(size);
  text += ",\n\"modules\":[";
  const char* separator = "\n";
  for (size_t i = 1; i < loaded.modules.size(); ++i) {
    const sema::Module& module = loaded.modules[i];
    if (module.is_stdlib) continue;  // part of this trustc, which the key names
    std::string sha256 =
        ContentSha256(compilation.sources.file(module.ast.file).text(), Content::kSource);
    auto entry =
        EntryLine(Relative(module.named_path, root), Relative(module.real_path, root), sha256);
    if (!entry) return std::nullopt;
    text += separator + entry->dump();
    separator = ",\n";
  }
  text += "],\n\"certificates\":[";
  separator = "\n";
  for (const ir::CertFileRead& read : compilation.program->cert_files) {
    const std::string& real = compilation.program->cert(read.cert).file;
    auto entry = EntryLine(read.named.empty() ? real : read.named, real, base::Hex(read.sha256));
    if (!entry) return std::nullopt;
    entry->push_back(read.size);
    text += separator + entry->dump();
    separator = ",\n";
  }
  text += "]}\n";
  return text;
}

std::optional<KeptBuild> KeptUpToDate(const CompileOptions& options, const std::string& out_dir,
                                      sema::CertificateBytesReadAhead* read_ahead) {
  if (!Eligible(options)) return std::nullopt;
  std::optional<BuildRecord> record = ReadRecord(out_dir);
  fs::path root_file = RootFile(options);
  if (!record || record->key != Key(options, root_file) ||
      options.build_time < record->dates_from || options.build_time > record->dates_until) {
    return std::nullopt;
  }
  // The loader reads the root through the path given, like this.
  std::optional<std::string> root_sha256 = FileSha256(options.root_path, Content::kSource);
  fs::path root = root_file.parent_path();
  if (!root_sha256 || record->root != *root_sha256 ||
      !AllStillTheSame(root, record->modules, Content::kSource) ||
      !AllSizesStillTheSame(root, record->certificates) ||
      !AllCertificatesStillTheSame(root, record->certificates, read_ahead)) {
    return std::nullopt;
  }
  std::optional<size_t> artifacts = artifacts::VerifyBuild(out_dir);
  if (!artifacts) return std::nullopt;
  return KeptBuild{*artifacts, record->notes};
}

}  // namespace trust::driver
