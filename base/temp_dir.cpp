#include "base/temp_dir.h"

#include <stdlib.h>  // mkdtemp

#include <cerrno>
#include <cstring>
#include <utility>

namespace trust::base {

namespace fs = std::filesystem;

TempDir TempDir::Create(const fs::path& parent, std::string_view prefix, std::string* error) {
  std::string pattern = (parent / (std::string(prefix) + "XXXXXX")).string();
  TempDir dir;
  if (::mkdtemp(pattern.data()) == nullptr) {
    *error =
        "cannot create a temporary directory in " + parent.string() + ": " + std::strerror(errno);
    return dir;
  }
  dir.path_ = pattern;
  return dir;
}

TempDir TempDir::CreateInTmp(std::string_view prefix, std::string* error) {
  std::error_code ec;
  fs::path tmp = fs::temp_directory_path(ec);  // $TMPDIR, else /tmp
  return Create(ec ? fs::path("/tmp") : tmp, prefix, error);
}

TempDir::~TempDir() { Remove(); }

TempDir::TempDir(TempDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    Remove();
    path_ = std::exchange(other.path_, {});
  }
  return *this;
}

void TempDir::Remove() {
  if (path_.empty()) return;
  std::error_code ignored;
  fs::remove_all(path_, ignored);  // does not follow links inside it
  path_.clear();
}

}  // namespace trust::base
