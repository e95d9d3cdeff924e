// What consecutive checks in one process may share. The language server checks the program
// again after every edit; without a session each check would read the facts cache's pack from
// disk, and resolve, read and hash every certificate file again (a third of a check of 1,700
// certificates). A check without a session (trustc build, check, diff, explain) reads
// everything afresh.
#pragma once

#include <sys/types.h>

#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "compiler/facts/facts_cache.h"
#include "runtime/x509/certificate.h"

namespace trust::sema {

class CheckSession {
 public:
  CheckSession();

  // Read once, on the first check; what the session decoded is appended when it ends.
  facts::FactsCache& facts() { return facts_; }

  // A file as stat(2) sees it through every link. A file rewritten in place changes its size,
  // modification or change time; one replaced by rename changes its inode.
  struct FileStamp {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    timespec modified{};
    timespec changed{};
    bool operator==(const FileStamp& other) const;
  };
  static std::optional<FileStamp> Stamp(const std::filesystem::path& path);

  // A certificate file that loaded without error: where it resolved and what it holds.
  struct CertificateFile {
    std::filesystem::path real;
    std::shared_ptr<const x509::Certificate> certificate;
  };
  // What `path` held when it had `stamp`, if it was remembered then. The stamp is taken before
  // the read that is remembered: a file changed during that read gets a new stamp and is read
  // again. A link retargeted to another name of the same inode keeps the stamp and so the
  // remembered real path; only a hard-linked twin outside the root could tell, and `build`
  // (no session) resolves every path again.
  const CertificateFile* Find(const std::filesystem::path& path, const FileStamp& stamp) const;
  void Remember(const std::filesystem::path& path, const FileStamp& stamp, CertificateFile file);

 private:
  facts::FactsCache facts_;
  std::unordered_map<std::string, std::pair<FileStamp, CertificateFile>> files_;
};

}  // namespace trust::sema
