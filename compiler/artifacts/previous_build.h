// The build an output directory already holds, as the next build reads it: what its SHA256SUMS
// and .trustc-inputs list, and which of its files may be linked into the next build rather than
// made again. A file may be linked only if it is ours (a regular file of this user, mode 0644,
// with no other name: a hard link elsewhere could change it later) and still hashes to what
// SHA256SUMS lists: a tampered output directory is detected, never carried forward.
#pragma once

#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace trust::artifacts {

// The file in the output directory recording each reusable artifact's input key
// ("KEY  path" lines, sorted by path). Not listed in SHA256SUMS: it is a build record, not an
// artifact, and it only ever allows reuse of a file that still hashes to SHA256SUMS.
inline constexpr std::string_view kInputsFile = ".trustc-inputs";

// The file in the output directory recording what a clean build was made from as a whole (see
// compiler/driver/up_to_date.h); like .trustc-inputs, a build record and not in SHA256SUMS.
inline constexpr std::string_view kBuildRecordFile = ".trustc-build";

// `dir` as builds name it: normalised, without a trailing separator.
std::filesystem::path OutputDirectory(const std::string& dir);

// An open file of a previous build that may be linked into the next one (see above), or -1.
int OpenLinkable(const std::filesystem::path& file, struct stat* status);

enum class Reuse : uint8_t { kNo, kLinkable, kTampered };

// What the build being replaced recorded, by path. Lines that do not parse are ignored (their
// files are made again).
struct PreviousBuild {
  std::filesystem::path dir;                  // empty: none
  std::map<std::string, std::string> sums;    // path -> the SHA-256 SHA256SUMS lists
  std::map<std::string, std::string> inputs;  // path -> the input key .trustc-inputs lists
  // For each file with an input key and a sum: kLinkable when it may be linked, kTampered when
  // it is ours but no longer hashes to its sum (PreviousBuildCheck). Keys view `inputs`.
  std::unordered_map<std::string_view, Reuse> checked;

  // Whether the artifact at `path`, made from `input_key`, may be linked from this build: it was
  // made from the same key and was checked linkable. kTampered: the key matched but the file
  // did not hash to its sum.
  Reuse ReuseFor(const std::string& path, const std::string& input_key) const;
};

// The records of the build in `dir` (none when `dir` is no directory), no file checked.
PreviousBuild ReadPreviousBuild(const std::filesystem::path& dir);

// Reads and checks the build in an output directory from a thread of its own, started at once:
// a rebuild starts it before it compiles, so that hashing what it may reuse (tens of megabytes
// of bundles, thousands of certificates) uses the core that parsing and checking leave idle.
// Every file with an input key and a sum is opened as it would be linked and hashed. Wait gives
// the answers, helping with what is left; destroying the check stops it.
class PreviousBuildCheck {
 public:
  explicit PreviousBuildCheck(const std::string& dir);
  ~PreviousBuildCheck();
  PreviousBuildCheck(const PreviousBuildCheck&) = delete;
  PreviousBuildCheck& operator=(const PreviousBuildCheck&) = delete;

  const PreviousBuild& Wait();

 private:
  struct File {
    std::string_view path;   // a key of previous_.inputs
    const std::string* sum;  // its line of SHA256SUMS
    Reuse reuse = Reuse::kNo;
  };
  void Run(std::filesystem::path dir);
  void CheckFiles();

  PreviousBuild previous_;
  std::vector<File> files_;
  std::atomic<bool> listed_{false};  // previous_ read and files_ made: Wait may help
  std::atomic<bool> stop_{false};
  std::atomic<size_t> next_{0};  // the next of files_ to check
  bool waited_ = false;
  std::thread thread_;  // last: it starts in the constructor and uses all of the above
};

// The number of artifacts in `dir` when it holds exactly the files its SHA256SUMS lists, each
// a file a rebuild could link with the listed SHA-256, besides SHA256SUMS and the two build
// records; nullopt otherwise (a file changed, missing or added, a link, a signature, no
// SHA256SUMS). What a build that keeps `dir` as it is must first make sure of.
std::optional<size_t> VerifyBuild(const std::string& dir);

}  // namespace trust::artifacts
