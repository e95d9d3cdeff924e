#include "compiler/artifacts/artifacts.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>

#include "compiler/lower/bundle/bundle.h"
#include "compiler/lower/graphman/graphman.h"
#include "compiler/lower/manifest/manifest.h"
#include "runtime/pem/certificate.h"

namespace trust::artifacts {
namespace fs = std::filesystem;

namespace {

std::string SumsLine(const std::string& path, const std::string& bytes) {
  return pem::Sha256Hex(bytes) + "  " + path + "\n";
}

std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  return buffer;
}

// Refuses to prompt: an encrypted key would need a password, and passwords never come from a
// terminal prompt in a build.
int NoPassword(char*, int, int, void*) { return -1; }

bool WriteFile(const fs::path& path, const std::string& bytes, std::string* error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "cannot create " + path.string() + ": " + std::strerror(errno);
    return false;
  }
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *error = "cannot write " + path.string() + ": " + std::strerror(errno);
      ::close(fd);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    *error = "cannot write " + path.string() + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

void SyncDirectory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Makes everything written under `root` durable before it is swapped into place. One syncfs
// of root's file system instead of an fsync per file: a build writes a file per keystore
// certificate, and 10,000 fsyncs cost seconds.
bool SyncTree(const fs::path& root, std::string* error) {
  int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  bool ok = fd >= 0 && ::syncfs(fd) == 0;
  if (!ok) *error = "cannot flush " + root.string() + ": " + std::strerror(errno);
  if (fd >= 0) ::close(fd);
  return ok;
}

// Links `previous` (the same file of the build being replaced) at `path` when it holds exactly
// `bytes` and nothing else shares it: a rebuild that changes a few certificates then creates a
// few inodes, not one per certificate (creating inodes is most of what writing costs).
bool LinkUnchanged(const fs::path& previous, const fs::path& path, const std::string& bytes) {
  int fd = ::open(previous.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  bool same = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1 &&
              st.st_uid == ::geteuid() && (st.st_mode & 07777) == 0644 &&
              static_cast<size_t>(st.st_size) == bytes.size();
  if (same) {
    std::string old(bytes.size(), '\0');
    same =
        ::pread(fd, old.data(), old.size(), 0) == static_cast<ssize_t>(old.size()) && old == bytes;
  }
  ::close(fd);
  return same && ::link(previous.c_str(), path.c_str()) == 0;
}

// `previous`: the directory being replaced, or empty.
bool WriteTree(const std::vector<Artifact>& files, const fs::path& root, const fs::path& previous,
               std::string* error) {
  std::set<fs::path> created;
  for (const Artifact& artifact : files) {
    std::optional<std::string> made = artifact.make(error);
    if (!made) return false;
    const std::string& bytes = *made;
    fs::path path = root / artifact.path;
    if (created.insert(path.parent_path()).second) {
      std::error_code ec;
      fs::create_directories(path.parent_path(), ec);
      if (ec) {
        *error = "cannot create " + path.parent_path().string() + ": " + ec.message();
        return false;
      }
    }
    if (!previous.empty() && LinkUnchanged(previous / artifact.path, path, bytes)) continue;
    if (!WriteFile(path, bytes, error)) return false;
  }
  return SyncTree(root, error);
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
  fs::remove_all(staged, ec);  // now holds the previous build
  return true;
}

}  // namespace

namespace {

// The bundles, manifests and certificates of `program`, sorted by path.
std::vector<Artifact> ContentArtifacts(const ir::Program& program, std::string_view generator) {
  std::map<std::string, Artifact> by_path;  // sorted; a certificate in two keystores once
  auto add = [&](std::string path, auto make) {
    by_path.emplace(path, Artifact{path, [make](std::string*) -> std::optional<std::string> {
                                     return make();
                                   }});
  };
  for (const ir::Gateway& gateway : program.gateways) {
    const ir::Gateway* g = &gateway;
    add("gateways/" + gateway.name + ".install.bundle",
        [&program, g] { return lower::bundle::InstallBundle(program, *g); });
    add("gateways/" + gateway.name + ".delete.bundle",
        [&program, g] { return lower::bundle::DeleteBundle(program, *g); });
    add("gateways/" + gateway.name + ".graphman.json",
        [&program, g] { return lower::graphman::InstallBundle(program, *g); });
    add("gateways/" + gateway.name + ".graphman.delete.json",
        [&program, g] { return lower::graphman::DeleteBundle(program, *g); });
  }
  for (const ir::Keystore& keystore : program.keystores) {
    const ir::Keystore* k = &keystore;
    std::string generator_text(generator);
    add("keystores/" + keystore.name + ".manifest.json", [&program, k, generator_text] {
      return manifest::WriteManifest(lower::manifest::LowerKeystore(program, *k, generator_text));
    });
    for (const ir::KeystoreEntry& entry : keystore.entries) {
      const pem::Certificate* certificate = program.cert(entry.cert).certificate.get();
      add(lower::manifest::CertArtifactPath(*certificate), [certificate] {
        const auto& der = certificate->der();
        return std::string(der.begin(), der.end());
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
  explicit Checksums(std::vector<Artifact> contents) : contents_(std::move(contents)) {}

  // The artifact at `index`, made, its line recorded.
  std::optional<std::string> Make(size_t index, std::string* error) {
    const Artifact& artifact = contents_[index];
    std::optional<std::string> bytes = artifact.make(error);
    if (bytes) lines_[artifact.path] = SumsLine(artifact.path, *bytes);
    return bytes;
  }

  // In path order; makes the artifacts not made yet.
  std::optional<std::string> Text(std::string* error) {
    std::string text;
    for (size_t i = 0; i < contents_.size(); ++i) {
      if (!lines_.contains(contents_[i].path) && !Make(i, error)) return std::nullopt;
      text += lines_.at(contents_[i].path);
    }
    return text;
  }

  const std::vector<Artifact>& contents() const { return contents_; }

 private:
  std::vector<Artifact> contents_;
  std::map<std::string, std::string> lines_;  // path -> its SHA256SUMS line
};

}  // namespace

std::vector<Artifact> ListArtifacts(const ir::Program& program, std::string_view generator,
                                    const std::string& sign_key) {
  auto sums = std::make_shared<Checksums>(ContentArtifacts(program, generator));
  std::vector<Artifact> list;
  list.reserve(sums->contents().size() + 2);
  for (size_t i = 0; i < sums->contents().size(); ++i) {
    list.push_back(
        {sums->contents()[i].path, [sums, i](std::string* error) { return sums->Make(i, error); }});
  }
  list.push_back({"SHA256SUMS", [sums](std::string* error) { return sums->Text(error); }});
  if (!sign_key.empty()) {
    list.push_back({"SHA256SUMS.sig", [sums, sign_key](std::string* error) {
                      std::optional<std::string> text = sums->Text(error);
                      return text ? Sign(*text, sign_key, error) : std::nullopt;
                    }});
  }
  return list;
}

std::optional<ArtifactSet> Collect(const std::vector<Artifact>& artifacts, std::string* error) {
  ArtifactSet files;
  for (const Artifact& artifact : artifacts) {
    std::optional<std::string> bytes = artifact.make(error);
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
    *error =
        "signing key " + key_path + " is not an unencrypted PEM private key: " + OpenSslError();
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
    *error = "cannot sign with " + key_path + ": " + OpenSslError();
    return std::nullopt;
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, bytes,
                     data.size()) != 1) {
    *error = "cannot sign with " + key_path + ": " + OpenSslError();
    return std::nullopt;
  }
  signature.resize(length);
  return signature;
}

namespace {

bool WriteStaged(const std::vector<Artifact>& files, const std::string& dir_text,
                 std::string* error) {
  fs::path dir = fs::path(dir_text).lexically_normal();
  if (dir.filename().empty()) dir = dir.parent_path();
  fs::path parent = dir.parent_path().empty() ? fs::path(".") : dir.parent_path();
  std::error_code ec;
  fs::create_directories(parent, ec);
  std::string pattern = (parent / ("." + dir.filename().string() + ".tmp-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    *error =
        "cannot create a temporary directory beside " + dir.string() + ": " + std::strerror(errno);
    return false;
  }
  fs::path staged(pattern);
  // mkdtemp made it 0700; give the release the mode a plain mkdir would, so that another
  // user (the one that deploys) can read it.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::chmod(staged.c_str(), 0777 & ~mask) != 0) {
    *error = "cannot set the mode of " + staged.string() + ": " + std::strerror(errno);
    fs::remove_all(staged, ec);
    return false;
  }
  fs::path previous = fs::is_directory(fs::symlink_status(dir, ec)) ? dir : fs::path();
  if (!WriteTree(files, staged, previous, error) || !SwapIntoPlace(staged, dir, error)) {
    fs::remove_all(staged, ec);
    return false;
  }
  SyncDirectory(parent);
  return true;
}

}  // namespace

bool WriteAtomically(const ArtifactSet& files, const std::string& dir, std::string* error) {
  std::vector<Artifact> list;
  for (const auto& [path, bytes] : files) {
    const std::string* held = &bytes;
    list.push_back({path, [held](std::string*) -> std::optional<std::string> { return *held; }});
  }
  return WriteStaged(list, dir, error);
}

bool WriteBuild(const std::vector<Artifact>& artifacts, const std::string& dir,
                std::string* error) {
  return WriteStaged(artifacts, dir, error);
}

}  // namespace trust::artifacts
