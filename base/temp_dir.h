// A directory of our own for staging or scratch work: made by mkdtemp (mode 0700, a name
// nobody can predict or create first), and removed with everything in it when the object goes
// away, whatever then stands at its path (after a RENAME_EXCHANGE, the previous release).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace trust::base {

class TempDir {
 public:
  TempDir() = default;
  // Creates PARENT/PREFIXxxxxxx. On failure the result is empty (!ok()) and *error says
  // "cannot create a temporary directory in PARENT: REASON".
  static TempDir Create(const std::filesystem::path& parent, std::string_view prefix,
                        std::string* error);
  // Under $TMPDIR (else /tmp).
  static TempDir CreateInTmp(std::string_view prefix, std::string* error);

  ~TempDir();
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  bool ok() const { return !path_.empty(); }
  const std::filesystem::path& path() const { return path_; }
  // Removes the directory and what it holds now rather than at destruction (then !ok()).
  void Remove();

 private:
  std::filesystem::path path_;
};

}  // namespace trust::base
