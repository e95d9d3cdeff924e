// The fields of a build record (.trustc-build, format 2; driver/up_to_date.h says what it is
// for), as the up-to-date check reads them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trust::driver {

inline constexpr int kBuildRecordFormat = 2;

// A file the recorded build read: the path it resolved and where that led, both relative to
// the project root, and the SHA-256 (hex) of its content; a certificate file also the size read.
struct RecordedFile {
  std::string named;
  std::string real;
  std::string sha256;
  std::optional<uint64_t> size;
};

struct BuildRecord {
  std::string key;         // everything besides the files that decides the result
  int64_t dates_from = 0;  // the window of build times in which the result is the same
  int64_t dates_until = 0;
  std::string root;  // the SHA-256 of the root file's content
  uint64_t notes = 0;
  std::vector<RecordedFile> modules;  // the imported modules, the standard library's not
  std::vector<RecordedFile> certificates;
};

// The record `text` holds, or nullopt unless it is one of this format, whole: an object with
// exactly the fields above, each of its type, every module entry [named, real, sha256] and every
// certificate entry [named, real, sha256, size]. Read with the JSON library's event interface,
// straight into these fields: a document tree of 100,000 entries took longer to build and free
// than the entries took to compare.
std::optional<BuildRecord> ParseBuildRecord(std::string_view text);

}  // namespace trust::driver
