#include "compiler/sema/session.h"

#include <sys/stat.h>

#include "base/version.h"

namespace trust::sema {
namespace fs = std::filesystem;

namespace {

bool SameTime(const timespec& a, const timespec& b) {
  return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

}  // namespace

CheckSession::CheckSession()
    // Facts computed by another version (perhaps with a bug since fixed) are not reused.
    : facts_(facts::FactsCache::DefaultDirectory(), "trustc " TRUST_VERSION) {}

bool CheckSession::FileStamp::operator==(const FileStamp& other) const {
  return device == other.device && inode == other.inode && size == other.size &&
         SameTime(modified, other.modified) && SameTime(changed, other.changed);
}

std::optional<CheckSession::FileStamp> CheckSession::Stamp(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return FileStamp{st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim};
}

const CheckSession::CertificateFile* CheckSession::Find(const fs::path& path,
                                                        const FileStamp& stamp) const {
  auto it = files_.find(path.native());
  if (it == files_.end() || !(it->second.first == stamp)) return nullptr;
  return &it->second.second;
}

void CheckSession::Remember(const fs::path& path, const FileStamp& stamp, CertificateFile file) {
  files_.insert_or_assign(path.native(), std::pair{stamp, std::move(file)});
}

}  // namespace trust::sema
