#include "compiler/artifacts/artifacts.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "base/digest.h"
#include "base/file_write.h"
#include "base/open_directories.h"
#include "base/parallel.h"
#include "base/temp_dir.h"
#include "compiler/artifacts/inputs.h"
#include "compiler/artifacts/sha256.h"
#include "compiler/lower/bundle/bundle.h"
#include "compiler/lower/graphman/graphman.h"
#include "compiler/lower/manifest/manifest.h"
#include "runtime/x509/certificate.h"

namespace trust::artifacts {
namespace fs = std::filesystem;

namespace {

std::string SumsLine(const std::string& path, const std::string& sha256) {
  return sha256 + "  " + path + "\n";
}

// Gathers the small writes of the XML and JSON printers into blocks of 64 KiB, hashes each
// block and passes it on: the file gets large writes, SHA256SUMS the hash of what it got.
class HashingSink : public base::ByteSink {
 public:
  // No reserve: most artifacts are certificates of a few hundred bytes.
  explicit HashingSink(base::ByteSink& out) : out_(out) {}
  void Write(std::string_view bytes) override {
    block_.append(bytes);
    if (block_.size() >= kBlockBytes) PassOn();
  }
  // Passes on what is left; the SHA-256 (hex) of everything written. Call once.
  std::string Finish() {
    PassOn();
    return sha256_.HexDigest();
  }

 private:
  static constexpr size_t kBlockBytes = size_t{64} << 10;
  void PassOn() {
    sha256_.Update(block_);
    out_.Write(block_);
    block_.clear();
  }

  base::ByteSink& out_;
  std::string block_;
  Sha256 sha256_;
};

// Writes nothing: for making an artifact only to learn its hash.
class DiscardSink : public base::ByteSink {
 public:
  void Write(std::string_view) override {}
};

// Refuses to prompt: an encrypted key would need a password, and passwords never come from a
// terminal prompt in a build.
int NoPassword(char*, int, int, void*) { return -1; }

// Starts writing the file's pages back now, without waiting, so that the FlushFiles() at the
// end finds most of them already on disk.
void StartWriteback(int fd) { ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE); }

bool SyncPath(const fs::path& path, int flags, std::string* error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | flags);
  bool ok = fd >= 0 && (flags & O_DIRECTORY ? ::fsync(fd) : ::fdatasync(fd)) == 0;
  if (!ok) *error = "cannot flush " + path.string() + ": " + std::strerror(errno);
  if (fd >= 0) ::close(fd);
  return ok;
}

// fdatasync of every file in `files` by up to 32 threads: the cost depends on what this build
// wrote, not on the rest of the file system (a syncfs also waits for every other process's
// dirty pages, seconds after another job deleted a large tree), and waiting for several files
// at once lets the file system commit them together.
bool FlushFiles(const std::vector<std::string>& files, std::string* error) {
  // Threads mostly wait in the kernel; at 10,000 certificates 32 flushed in 0.14-0.34 s where 4
  // took 0.23-0.55 s (docs/hardening.md).
  constexpr size_t kThreads = 32;
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  auto work = [&] {
    std::string my_error;
    for (size_t i = next++; i < files.size() && !failed; i = next++) {
      if (!SyncPath(files[i], 0, &my_error)) {
        std::lock_guard lock(error_mutex);
        if (!failed.exchange(true)) *error = my_error;
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t t = 1; t < std::min(kThreads, files.size()); ++t) threads.emplace_back(work);
  work();
  for (std::thread& thread : threads) thread.join();
  return !failed;
}

// A staging directory being filled: what was written (to flush) and created (to flush too).
struct Staging {
  fs::path root;
  std::set<fs::path> directories;  // created under root, root included
  // Files written (not linked) under root: plain strings, as a path object's list of
  // components would double what 50,000 of them hold.
  std::vector<std::string> written;
};

bool WriteFile(const fs::path& path, const std::string& bytes, std::string* error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "cannot create " + path.string() + ": " + std::strerror(errno);
    return false;
  }
  if (!base::WriteAll(fd, bytes)) {
    *error = "cannot write " + path.string() + ": " + std::strerror(errno);
    ::close(fd);
    return false;
  }
  StartWriteback(fd);
  if (::close(fd) != 0) {
    *error = "cannot write " + path.string() + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

// An artifact being written into the staging directory: held in memory while it is small, so
// that an unchanged one can be compared with the previous build's file and linked from it;
// streamed to its file once it passes kHeldBytes, so that a build's memory does not grow with
// its largest bundle.
class ArtifactWriter : public base::ByteSink {
 public:
  explicit ArtifactWriter(fs::path path) : path_(std::move(path)) {}
  ~ArtifactWriter() override {
    if (fd_ >= 0) ::close(fd_);
  }
  ArtifactWriter(const ArtifactWriter&) = delete;
  ArtifactWriter& operator=(const ArtifactWriter&) = delete;

  void Write(std::string_view bytes) override {
    if (!error_.empty()) return;
    held_.append(bytes);
    if (held_.size() >= (fd_ >= 0 ? kWriteBytes : kHeldBytes)) Spill();
  }
  // Whether the bytes went to the file (else they are all in held()).
  bool streamed() const { return fd_ >= 0 || !error_.empty(); }
  const std::string& held() const { return held_; }
  // For a streamed artifact: writes the rest, starts the write-back and closes the file.
  bool Close(std::string* error) {
    if (error_.empty()) Spill();
    if (error_.empty()) StartWriteback(fd_);
    if (fd_ >= 0 && ::close(fd_) != 0 && error_.empty()) Fail("cannot write ");
    fd_ = -1;
    if (!error_.empty()) *error = error_;
    return error_.empty();
  }

 private:
  static constexpr size_t kHeldBytes = size_t{1} << 20;
  static constexpr size_t kWriteBytes = size_t{256} << 10;

  void Spill() {
    if (fd_ < 0) fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0) return Fail("cannot create ");
    if (!base::WriteAll(fd_, held_)) return Fail("cannot write ");
    held_.clear();
  }
  void Fail(const char* what) {
    error_ = what + path_.string() + ": " + std::strerror(errno);
    held_.clear();
  }

  fs::path path_;
  int fd_ = -1;
  std::string held_;
  std::string error_;
};

bool MakeParent(Staging& staging, const fs::path& path, std::string* error) {
  fs::path parent = path.parent_path();
  if (staging.directories.contains(parent)) return true;
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) {
    *error = "cannot create " + parent.string() + ": " + ec.message();
    return false;
  }
  for (fs::path dir = parent; dir != staging.root && !dir.empty(); dir = dir.parent_path()) {
    staging.directories.insert(dir);
  }
  return true;
}

// Makes the staged tree durable before it is swapped into place: its files, then its
// directories (their entries name the files).
bool FlushStaging(const Staging& staging, std::string* error) {
  if (!FlushFiles(staging.written, error)) return false;
  for (const fs::path& dir : staging.directories) {
    if (!SyncPath(dir, O_DIRECTORY, error)) return false;
  }
  return SyncPath(staging.root, O_DIRECTORY, error);
}

// Links `previous` (the same file of the build being replaced) at `path` when it holds exactly
// `bytes`: a rebuild that changes a few certificates then creates a few inodes, not one per
// certificate (creating inodes is most of what writing costs).
bool LinkUnchanged(const fs::path& previous, const fs::path& path, const std::string& bytes) {
  struct stat st {};
  int fd = OpenLinkable(previous, &st);
  if (fd < 0) return false;
  bool same = static_cast<size_t>(st.st_size) == bytes.size();
  if (same) {
    std::string old(bytes.size(), '\0');
    same =
        ::pread(fd, old.data(), old.size(), 0) == static_cast<ssize_t>(old.size()) && old == bytes;
  }
  ::close(fd);
  return same && ::link(previous.c_str(), path.c_str()) == 0;
}

// Puts `staged` at `dir`: an atomic exchange when `dir` exists, a rename otherwise.
bool SwapIntoPlace(const fs::path& staged, const fs::path& dir, std::string* error) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    if (::rename(staged.c_str(), dir.c_str()) == 0) return true;
    *error = "cannot move the artifacts to " + dir.string() + ": " + std::strerror(errno);
    return false;
  }
  if (!fs::is_directory(dir, ec)) {
    *error = dir.string() + " exists and is not a directory";
    return false;
  }
  if (::renameat2(AT_FDCWD, staged.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) != 0) {
    *error = "cannot replace " + dir.string() + ": " + std::strerror(errno);
    return false;
  }
  return true;  // `staged` now holds the previous build, removed with the staging directory
}

}  // namespace

namespace {

// The bundles, manifests and certificates of `program`, sorted by path.
std::vector<Artifact> ContentArtifacts(const ir::Program& program, std::string_view generator) {
  std::map<std::string, Artifact> by_path;  // sorted; a certificate in two keystores once
  auto add = [&](std::string path, const std::string& input_key, auto write) {
    auto make = [write](base::ByteSink& out, std::string*) {
      write(out);
      return true;  // lowering never fails
    };
    by_path.emplace(path, Artifact{path, make, input_key, nullptr});
  };
  for (const ir::Gateway& gateway : program.gateways) {
    const ir::Gateway* g = &gateway;
    std::string key = GatewayInputKey(program, gateway);
    add("gateways/" + gateway.name + ".install.bundle", key, [&program, g](base::ByteSink& out) {
      lower::bundle::WriteInstallBundle(program, *g, out);
    });
    add("gateways/" + gateway.name + ".delete.bundle", key,
        [&program, g](base::ByteSink& out) { lower::bundle::WriteDeleteBundle(program, *g, out); });
    add("gateways/" + gateway.name + ".graphman.json", key, [&program, g](base::ByteSink& out) {
      lower::graphman::WriteInstallBundle(program, *g, out);
    });
    add("gateways/" + gateway.name + ".graphman.delete.json", key,
        [&program, g](base::ByteSink& out) {
          lower::graphman::WriteDeleteBundle(program, *g, out);
        });
  }
  for (const ir::Keystore& keystore : program.keystores) {
    const ir::Keystore* k = &keystore;
    std::string generator_text(generator);
    add("keystores/" + keystore.name + ".manifest.json",
        KeystoreInputKey(program, keystore, generator),
        [&program, k, generator_text](base::ByteSink& out) {
          manifest::WriteManifest(lower::manifest::LowerKeystore(program, *k, generator_text), out);
        });
    for (const ir::KeystoreEntry& entry : keystore.entries) {
      const x509::Certificate* certificate = program.cert(entry.cert).certificate.get();
      // Named by the SHA-256 of its bytes, which are all it is made from.
      add(lower::manifest::CertArtifactPath(*certificate), certificate->facts().sha256,
          [certificate](base::ByteSink& out) {
            std::vector<uint8_t> der = certificate->der();
            out.Write(std::string_view(reinterpret_cast<const char*>(der.data()), der.size()));
          });
    }
  }
  std::vector<Artifact> list;
  list.reserve(by_path.size());
  for (auto& [path, artifact] : by_path) list.push_back(std::move(artifact));
  return list;
}

// SHA256SUMS of a list of artifacts, one line each, recorded as each is made so that the build
// lowers every artifact once.
class Checksums {
 public:
  explicit Checksums(std::vector<Artifact> contents)
      : contents_(std::move(contents)), sha256_(contents_.size()) {}

  // Writes the artifact at `index` into `out`, its line recorded.
  bool Make(size_t index, base::ByteSink& out, std::string* error) {
    HashingSink hashing(out);
    if (!contents_[index].make(hashing, error)) return false;
    sha256_[index] = hashing.Finish();
    return true;
  }

  // The artifact at `index` was reused from the previous build, which hashed to `sha256`.
  void Record(size_t index, const std::string& sha256) { sha256_[index] = sha256; }

  // Writes the lines in path order into `out`, after making the artifacts not made yet.
  bool Write(base::ByteSink& out, std::string* error) {
    for (size_t i = 0; i < contents_.size(); ++i) {
      DiscardSink nowhere;
      if (sha256_[i].empty() && !Make(i, nowhere, error)) return false;
    }
    for (size_t i = 0; i < contents_.size(); ++i) {
      out.Write(SumsLine(contents_[i].path, sha256_[i]));
    }
    return true;
  }

  const std::vector<Artifact>& contents() const { return contents_; }

 private:
  std::vector<Artifact> contents_;
  std::vector<std::string> sha256_;  // by index into contents_: hex, empty until made or reused
};

}  // namespace

std::vector<Artifact> ListArtifacts(const ir::Program& program, std::string_view generator,
                                    const std::string& sign_key) {
  auto sums = std::make_shared<Checksums>(ContentArtifacts(program, generator));
  std::vector<Artifact> list;
  list.reserve(sums->contents().size() + 2);
  for (size_t i = 0; i < sums->contents().size(); ++i) {
    const Artifact& content = sums->contents()[i];
    list.push_back(
        {content.path,
         [sums, i](base::ByteSink& out, std::string* error) { return sums->Make(i, out, error); },
         content.input_key, [sums, i](const std::string& sha256) { sums->Record(i, sha256); }});
  }
  list.push_back(
      {"SHA256SUMS",
       [sums](base::ByteSink& out, std::string* error) { return sums->Write(out, error); }, "",
       nullptr, /*after_others=*/true});
  if (!sign_key.empty()) {
    list.push_back({"SHA256SUMS.sig",
                    [sums, sign_key](base::ByteSink& out, std::string* error) {
                      std::string text;
                      base::StringSink text_sink(text);
                      std::optional<std::string> signature = sums->Write(text_sink, error)
                                                                 ? Sign(text, sign_key, error)
                                                                 : std::nullopt;
                      if (signature) out.Write(*signature);
                      return signature.has_value();
                    },
                    "", nullptr, /*after_others=*/true});
  }
  return list;
}

std::optional<std::string> MakeBytes(const Artifact& artifact, std::string* error) {
  std::string bytes;
  base::StringSink out(bytes);
  if (!artifact.make(out, error)) return std::nullopt;
  return bytes;
}

std::optional<ArtifactSet> Collect(const std::vector<Artifact>& artifacts, std::string* error) {
  ArtifactSet files;
  for (const Artifact& artifact : artifacts) {
    std::optional<std::string> bytes = MakeBytes(artifact, error);
    if (!bytes) return std::nullopt;
    files.emplace(artifact.path, std::move(*bytes));
  }
  return files;
}

ArtifactSet Collect(const ir::Program& program, std::string_view generator) {
  std::string unused;
  return *Collect(ListArtifacts(program, generator), &unused);  // lowering never fails
}

std::optional<std::string> Sign(const std::string& data, const std::string& key_path,
                                std::string* error) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(key_path.c_str(), "r"), BIO_free);
  if (!bio) {
    *error = "cannot read signing key " + key_path + ": " + std::strerror(errno);
    ERR_clear_error();
    return std::nullopt;
  }
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassword, nullptr), EVP_PKEY_free);
  if (!key) {
    *error = "signing key " + key_path +
             " is not an unencrypted PEM private key: " + base::OpenSslErrorText();
    return std::nullopt;
  }
  int type = EVP_PKEY_get_base_id(key.get());
  if (type != EVP_PKEY_RSA && type != EVP_PKEY_EC) {
    *error = "signing key " + key_path + " must be an RSA or EC key";
    return std::nullopt;
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t length = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, bytes, data.size()) != 1) {
    *error = "cannot sign with " + key_path + ": " + base::OpenSslErrorText();
    return std::nullopt;
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, bytes,
                     data.size()) != 1) {
    *error = "cannot sign with " + key_path + ": " + base::OpenSslErrorText();
    return std::nullopt;
  }
  signature.resize(length);
  return signature;
}

namespace {

enum class Made { kWritten, kLinked, kFailed };

// Makes `artifact` at `path` (its parent exists): streamed to the file when large, else
// linked from the previous build when it holds the same bytes, else written.
Made MakeOne(const Artifact& artifact, const fs::path& path, const PreviousBuild& previous,
             std::string* error) {
  ArtifactWriter made(path);
  if (!artifact.make(made, error)) return Made::kFailed;
  if (made.streamed()) return made.Close(error) ? Made::kWritten : Made::kFailed;
  if (!previous.dir.empty() && LinkUnchanged(previous.dir / artifact.path, path, made.held())) {
    return Made::kLinked;
  }
  return WriteFile(path, made.held(), error) ? Made::kWritten : Made::kFailed;
}

// Makes files[i] for each i of `indexes` from a few threads: lowering a gateway's bundles is
// most of a cold build's CPU time, and writing many small files mostly waits in the kernel.
// What is written, the first failure and any exception (a certificate's DER that cannot be read
// back) are taken in list order, so nothing depends on the threads.
bool MakeAll(const std::vector<Artifact>& files, const std::vector<size_t>& indexes,
             const PreviousBuild& previous, Staging& staging, BuildStats* stats,
             std::string* error) {
  std::vector<Made> made(indexes.size(), Made::kFailed);
  std::vector<std::string> errors(indexes.size());
  std::vector<std::exception_ptr> thrown(indexes.size());
  base::ForEachIndex(indexes.size(), base::FileCheckThreads(), [&](size_t k) {
    const Artifact& artifact = files[indexes[k]];
    try {
      made[k] = MakeOne(artifact, staging.root / artifact.path, previous, &errors[k]);
    } catch (...) {
      thrown[k] = std::current_exception();
    }
  });
  for (size_t k = 0; k < indexes.size(); ++k) {
    if (thrown[k]) std::rethrow_exception(thrown[k]);
    if (made[k] == Made::kFailed) {
      *error = errors[k];
      return false;
    }
    if (stats) ++stats->made;
    if (made[k] == Made::kWritten) {
      staging.written.push_back((staging.root / files[indexes[k]].path).native());
    }
  }
  return true;
}

// Links the previous build's file at `relative` to the same place under staging.root (its parent
// made already). The two directories are opened once (`opened`), so a link costs no walk of
// either whole path: a rebuild links thousands. As link() does, a link in the last component
// is linked itself, never followed (PreviousBuildCheck found a regular file there).
bool LinkPrevious(const PreviousBuild& previous, const std::string& relative,
                  const Staging& staging, base::OpenDirectories& opened) {
  auto [directory, leaf] = base::SplitLastComponent(relative);
  std::string under = directory.empty() ? "" : "/" + std::string(directory);
  int from = opened.Add(previous.dir.native() + under);
  int to = opened.Add(staging.root.native() + under);
  std::string name(leaf);
  if (from >= 0 && to >= 0 && !name.empty()) {
    return ::linkat(from, name.c_str(), to, name.c_str(), 0) == 0;
  }
  return ::link((previous.dir / relative).c_str(), (staging.root / relative).c_str()) == 0;
}

// Writes or reuses each of `files` under staging.root; counts both in `stats` when set. The
// files that are made are made together (MakeAll), those marked `after_others` then in order.
bool WriteTree(const std::vector<Artifact>& files, const PreviousBuild& previous, Staging& staging,
               BuildStats* stats, std::string* error) {
  std::vector<size_t> to_make;
  std::vector<size_t> to_make_last;
  base::OpenDirectories opened;
  for (size_t i = 0; i < files.size(); ++i) {
    const Artifact& artifact = files[i];
    fs::path path = staging.root / artifact.path;
    if (!MakeParent(staging, path, error)) return false;
    Reuse reuse = previous.ReuseFor(artifact.path, artifact.input_key);
    if (reuse == Reuse::kLinkable && LinkPrevious(previous, artifact.path, staging, opened)) {
      if (artifact.reused) artifact.reused(previous.sums.at(artifact.path));
      if (stats) ++stats->reused;
      continue;
    }
    if (reuse == Reuse::kTampered && stats) {
      stats->notes.push_back(artifact.path + " in " + previous.dir.string() +
                             " does not match its SHA256SUMS (modified since it was built); "
                             "made it again");
    }
    (artifact.after_others ? to_make_last : to_make).push_back(i);
  }
  if (!MakeAll(files, to_make, previous, staging, stats, error)) return false;
  for (size_t i : to_make_last) {
    if (!MakeAll(files, {i}, previous, staging, stats, error)) return false;
  }
  return true;
}

using FillStaging = std::function<bool(const PreviousBuild& previous, Staging& staging)>;

// Creates a staging directory beside `dir_text`, has `fill` write into it (reusing what it may
// of `previous`, the build in `dir_text`), flushes it and swaps it into place; on failure removes
// it and leaves `dir_text` untouched.
bool WriteStaged(const std::string& dir_text, const PreviousBuild& previous,
                 const FillStaging& fill, source::PhaseTimes* timings, std::string* error) {
  fs::path dir = OutputDirectory(dir_text);
  fs::path parent = dir.parent_path().empty() ? fs::path(".") : dir.parent_path();
  std::error_code ec;
  fs::create_directories(parent, ec);
  // Removed on every way out: on failure it holds the half-written release, after a swap the
  // previous one, after a plain rename nothing.
  base::TempDir staging_dir =
      base::TempDir::Create(parent, "." + dir.filename().string() + ".tmp-", error);
  if (!staging_dir.ok()) return false;
  Staging staging;
  staging.root = staging_dir.path();
  // mkdtemp made it 0700; give the release the mode a plain mkdir would, so that another
  // user (the one that deploys) can read it.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::chmod(staging.root.c_str(), 0777 & ~mask) != 0) {
    *error = "cannot set the mode of " + staging.root.string() + ": " + std::strerror(errno);
    return false;
  }
  bool ok = source::MeasurePhase(timings, "lower+write", [&] { return fill(previous, staging); }) &&
            source::MeasurePhase(timings, "flush", [&] { return FlushStaging(staging, error); }) &&
            source::MeasurePhase(timings, "swap", [&] {
              if (!SwapIntoPlace(staging.root, dir, error)) return false;
              base::SyncDirectory(parent.string());
              // The previous build, now under the staging name: one unlink per file it held
              // (5,000 at 10,000 certificates), timed with the swap that made it so.
              staging_dir.Remove();
              return true;
            });
  return ok;
}

// .trustc-inputs: "KEY  path" for every artifact with an input key, in path order.
std::string InputsRecord(const std::vector<Artifact>& artifacts) {
  size_t size = 0;
  for (const Artifact& artifact : artifacts) {
    if (!artifact.input_key.empty()) size += artifact.input_key.size() + artifact.path.size() + 3;
  }
  std::string record;
  record.reserve(size);  // 50,000 lines at 100,000 certificates: no copy as it grows
  for (const Artifact& artifact : artifacts) {
    if (!artifact.input_key.empty()) record += artifact.input_key + "  " + artifact.path + "\n";
  }
  return record;
}

Artifact Fixed(std::string path, const std::string& bytes) {
  return {std::move(path),
          [&bytes](base::ByteSink& out, std::string*) {
            out.Write(bytes);
            return true;
          },
          "", nullptr};
}

}  // namespace

bool WriteAtomically(const ArtifactSet& files, const std::string& dir, std::string* error) {
  std::vector<Artifact> list;
  for (const auto& [path, bytes] : files) list.push_back(Fixed(path, bytes));
  return WriteStaged(
      dir, ReadPreviousBuild(OutputDirectory(dir)),
      [&](const PreviousBuild& previous, Staging& staging) {
        return WriteTree(list, previous, staging, nullptr, error);
      },
      nullptr, error);
}

bool WriteBuild(const std::vector<Artifact>& artifacts, const std::string& dir, BuildStats* stats,
                source::PhaseTimes* timings, std::string* error,
                const std::function<std::optional<std::string>()>& build_record,
                PreviousBuildCheck* check) {
  std::optional<PreviousBuildCheck> checked_now;
  if (check == nullptr) check = &checked_now.emplace(dir);
  const PreviousBuild* reusable =
      source::MeasurePhase(timings, "reuse check", [&] { return &check->Wait(); });
  auto fill = [&](const PreviousBuild& previous, Staging& staging) {
    // Fixed artifacts refer to their text: both records stay here until written.
    std::string inputs = InputsRecord(artifacts);
    if (!WriteTree(artifacts, previous, staging, stats, error)) return false;
    // Made only now, so that it does not add to the artifacts' peak.
    std::optional<std::string> build = build_record ? build_record() : std::nullopt;
    std::vector<Artifact> records = {Fixed(std::string(kInputsFile), inputs)};
    if (build) records.push_back(Fixed(std::string(kBuildRecordFile), *build));
    return WriteTree(records, previous, staging, nullptr, error);
  };
  return WriteStaged(dir, *reusable, fill, timings, error);
}

}  // namespace trust::artifacts
