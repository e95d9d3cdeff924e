// Reading the build's artifacts (manifests, certificates), optionally checked against a
// SHA256SUMS file and its detached signature (`openssl dgst -sha256 -sign`, SHA256SUMS.sig
// beside it). A file that does not match is refused before anything reads its contents.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace trust::apply {

class ArtifactReader {
 public:
  // No sums: files are read as they are. With `verify_key`, the signature of the sums file is
  // checked first.
  static std::optional<ArtifactReader> Create(const std::optional<std::string>& sums_path,
                                              const std::optional<std::string>& verify_key,
                                              std::string* error);

  std::optional<std::string> Read(const std::string& path, size_t limit, std::string* error) const;

 private:
  bool checked_ = false;
  std::string sums_path_;
  std::map<std::string, std::string> sums_;  // resolved path -> sha256
};

// True if `signature` is a valid signature of `data` by the public key in PEM `public_key`.
bool VerifySignature(const std::string& data, const std::string& signature,
                     const std::string& public_key, std::string* error);

}  // namespace trust::apply
