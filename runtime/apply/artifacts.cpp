#include "runtime/apply/artifacts.h"

#include <limits.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>

#include <memory>
#include <sstream>

#include "base/digest.h"
#include "runtime/apply/safe_write.h"
#include "runtime/manifest/validate.h"
#include "runtime/x509/certificate.h"

namespace trust::apply {
namespace {

constexpr size_t kMaxSumsBytes = 16u << 20;
constexpr size_t kMaxSignatureBytes = 64 * 1024;

std::optional<std::string> RealPath(const std::string& path) {
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved) == nullptr) {
    return std::nullopt;
  }
  return std::string(resolved);
}

// "HEX  path" or "HEX *path" (sha256sum's binary marker); paths relative to the sums file.
bool ParseSums(const std::string& text, const std::string& dir,
               std::map<std::string, std::string>* sums, std::string* error) {
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.empty()) {
      continue;
    }
    std::string message;
    if (line.size() < 67 || !manifest::CheckSha256(line.substr(0, 64), &message) ||
        line[64] != ' ' || (line[65] != ' ' && line[65] != '*')) {
      *error = "SHA256SUMS line " + std::to_string(number) + ": expected `HEX  path`";
      return false;
    }
    std::string relative = line.substr(66);
    std::optional<std::string> resolved =
        RealPath(relative.starts_with('/') ? relative : dir + "/" + relative);
    if (resolved) {
      (*sums)[*resolved] = line.substr(0, 64);
    }
  }
  return true;
}

}  // namespace

bool VerifySignature(const std::string& data, const std::string& signature,
                     const std::string& public_key, std::string* error) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(public_key.data(), static_cast<int>(public_key.size())), BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr, EVP_PKEY_free);
  if (!key) {
    ERR_clear_error();
    *error = "the verification key is not a PEM public key";
    return false;
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  bool ok = ctx &&
            EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
            EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                             data.size()) == 1;
  ERR_clear_error();
  if (!ok) {
    *error = "the signature of SHA256SUMS does not verify with the given key";
  }
  return ok;
}

std::optional<ArtifactReader> ArtifactReader::Create(const std::optional<std::string>& sums_path,
                                                     const std::optional<std::string>& verify_key,
                                                     std::string* error) {
  ArtifactReader reader;
  if (!sums_path) {
    return reader;
  }
  std::optional<std::string> sums = ReadWholeFile(*sums_path, kMaxSumsBytes, error);
  if (!sums) {
    return std::nullopt;
  }
  if (verify_key) {
    std::optional<std::string> key = ReadWholeFile(*verify_key, kMaxSignatureBytes, error);
    std::optional<std::string> sig =
        key ? ReadWholeFile(*sums_path + ".sig", kMaxSignatureBytes, error) : std::nullopt;
    if (!sig || !VerifySignature(*sums, *sig, *key, error)) {
      return std::nullopt;
    }
  }
  std::string dir =
      sums_path->find('/') == std::string::npos ? "." : sums_path->substr(0, sums_path->rfind('/'));
  if (!ParseSums(*sums, dir.empty() ? "/" : dir, &reader.sums_, error)) {
    return std::nullopt;
  }
  reader.checked_ = true;
  reader.sums_path_ = *sums_path;
  return reader;
}

std::optional<std::string> ArtifactReader::Read(const std::string& path, size_t limit,
                                                std::string* error) const {
  std::optional<std::string> resolved = checked_ ? RealPath(path) : std::nullopt;
  auto it = resolved ? sums_.find(*resolved) : sums_.end();
  if (checked_ && it == sums_.end()) {
    *error = path + " is not listed in " + sums_path_;
    return std::nullopt;
  }
  std::optional<std::string> bytes = ReadWholeFile(path, limit, error);
  if (bytes && checked_ && base::Sha256Hex(*bytes) != it->second) {
    *error = path + " does not match its checksum in " + sums_path_;
    return std::nullopt;
  }
  return bytes;
}

}  // namespace trust::apply
