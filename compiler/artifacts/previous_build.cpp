#include "compiler/artifacts/previous_build.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include "base/parallel.h"
#include "compiler/artifacts/sha256.h"

namespace trust::artifacts {
namespace fs = std::filesystem;

namespace {

// SHA-256 (hex) of an open regular file that fstat said holds `size` bytes, read in blocks so
// that memory does not grow with its size. A read that comes short of what was asked is the
// end of the file, so a small file takes one read, not a second one that returns nothing (a
// warm build hashes thousands of them).
std::optional<std::string> HashFile(int fd, off_t size) {
  Sha256 sha256;
  std::vector<char> block(std::min<size_t>(static_cast<size_t>(size) + 1, size_t{1} << 16));
  for (;;) {
    ssize_t n = ::read(fd, block.data(), block.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    sha256.Update(block.data(), static_cast<size_t>(n));
    if (static_cast<size_t>(n) < block.size()) return sha256.HexDigest();
  }
}

// Whether `file` may be linked into the next build and hashes to `sum`: kLinkable; kTampered
// when it is ours but hashes to something else; kNo when it is not ours to link.
Reuse CheckLinkable(const fs::path& file, const std::string& sum) {
  struct stat st {};
  int fd = OpenLinkable(file, &st);
  if (fd < 0) return Reuse::kNo;
  std::optional<std::string> actual = HashFile(fd, st.st_size);
  ::close(fd);
  return actual && *actual == sum ? Reuse::kLinkable : Reuse::kTampered;
}

// "HEX  path" lines, as SHA256SUMS and .trustc-inputs hold them. With `complete`, also whether
// the file was read whole and every line was one.
std::map<std::string, std::string> ReadHashLines(const fs::path& file, bool* complete = nullptr) {
  std::map<std::string, std::string> by_path;
  std::ifstream in(file);
  bool every_line = static_cast<bool>(in);
  std::string line;
  while (std::getline(in, line)) {
    size_t gap = line.find("  ");
    if (gap == 64 && line.size() > 66) {
      by_path.emplace(line.substr(gap + 2), line.substr(0, gap));
    } else {
      every_line = false;
    }
  }
  if (complete != nullptr) *complete = every_line && !in.bad();
  return by_path;
}

}  // namespace

fs::path OutputDirectory(const std::string& dir) {
  fs::path normal = fs::path(dir).lexically_normal();
  if (normal.filename().empty()) normal = normal.parent_path();
  return normal;
}

int OpenLinkable(const fs::path& file, struct stat* status) {
  int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return -1;
  bool linkable = ::fstat(fd, status) == 0 && S_ISREG(status->st_mode) && status->st_nlink == 1 &&
                  status->st_uid == ::geteuid() && (status->st_mode & 07777) == 0644;
  if (!linkable) {
    ::close(fd);
    return -1;
  }
  return fd;
}

Reuse PreviousBuild::ReuseFor(const std::string& path, const std::string& input_key) const {
  if (input_key.empty() || dir.empty()) return Reuse::kNo;
  auto input = inputs.find(path);
  if (input == inputs.end() || input->second != input_key) return Reuse::kNo;
  auto verdict = checked.find(input->first);
  return verdict == checked.end() ? Reuse::kNo : verdict->second;
}

PreviousBuild ReadPreviousBuild(const fs::path& dir) {
  PreviousBuild previous;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(fs::symlink_status(dir, ec))) return previous;
  previous.dir = dir;
  previous.sums = ReadHashLines(dir / "SHA256SUMS");
  previous.inputs = ReadHashLines(dir / kInputsFile);
  return previous;
}

PreviousBuildCheck::PreviousBuildCheck(const std::string& dir)
    : thread_([this, dir = OutputDirectory(dir)] { Run(dir); }) {}

PreviousBuildCheck::~PreviousBuildCheck() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void PreviousBuildCheck::Run(fs::path dir) {
  try {
    previous_ = ReadPreviousBuild(dir);
    files_.reserve(previous_.inputs.size());
    for (const auto& [path, key] : previous_.inputs) {
      if (auto sum = previous_.sums.find(path); sum != previous_.sums.end()) {
        files_.push_back({path, &sum->second});
      }
    }
  } catch (const std::exception&) {  // out of memory: nothing is reused
    previous_ = PreviousBuild();
    files_.clear();
  }
  listed_ = true;
  CheckFiles();
}

// Checks files_ from next_ on, until none is left or the check is stopped; each file is taken by
// one thread only.
void PreviousBuildCheck::CheckFiles() {
  for (size_t i = next_++; i < files_.size() && !stop_; i = next_++) {
    files_[i].reuse = CheckLinkable(previous_.dir / files_[i].path, *files_[i].sum);
  }
}

const PreviousBuild& PreviousBuildCheck::Wait() {
  if (waited_) return previous_;
  waited_ = true;
  // A rebuild that compiled faster than this thread checked helps it to the end.
  if (listed_) CheckFiles();
  thread_.join();
  previous_.checked.reserve(files_.size());
  for (const File& file : files_) previous_.checked.emplace(file.path, file.reuse);
  return previous_;
}

std::optional<size_t> VerifyBuild(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(dir, ec))) return std::nullopt;
  bool complete = false;
  std::map<std::string, std::string> sums = ReadHashLines(fs::path(dir) / "SHA256SUMS", &complete);
  if (!complete || sums.empty()) return std::nullopt;
  // Every file but the records must be listed; then each is hashed (base/parallel.h).
  std::vector<std::pair<fs::path, const std::string*>> listed_files;
  fs::recursive_directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    fs::file_status status = it->symlink_status(ec);
    if (ec) return std::nullopt;
    if (fs::is_directory(status)) continue;
    std::string path = it->path().lexically_relative(dir).generic_string();
    bool record = path == "SHA256SUMS" || path == kInputsFile || path == kBuildRecordFile;
    if (record && fs::is_regular_file(status)) continue;
    auto listed = sums.find(path);
    if (listed == sums.end()) return std::nullopt;
    listed_files.emplace_back(it->path(), &listed->second);
  }
  if (ec || listed_files.size() != sums.size()) return std::nullopt;
  bool all_same = base::AllHold(listed_files.size(), base::FileCheckThreads(), [&](size_t i) {
    // Kept only if a rebuild could link it.
    return CheckLinkable(listed_files[i].first, *listed_files[i].second) == Reuse::kLinkable;
  });
  if (!all_same) return std::nullopt;
  return listed_files.size();
}

}  // namespace trust::artifacts
