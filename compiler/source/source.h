// Source files and positions. Every AST node, IR entity and diagnostic refers to source
// through a SourceRange: a file id and a half-open byte range into that file's text.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace trust::source {

using FileId = int32_t;
inline constexpr FileId kNoFile = -1;

struct SourceRange {
  FileId file = kNoFile;
  uint32_t begin = 0;  // byte offset of the first character
  uint32_t end = 0;    // byte offset one past the last character
  bool valid() const { return file != kNoFile; }
};

// Joins two ranges of the same file into the range that covers both.
SourceRange Cover(SourceRange a, SourceRange b);

struct LineColumn {
  uint32_t line = 1;    // 1-based
  uint32_t column = 1;  // 1-based, counted in Unicode code points
};

class SourceFile {
 public:
  SourceFile(std::string display_path, std::string text);
  const std::string& display_path() const { return display_path_; }
  const std::string& text() const { return text_; }
  LineColumn Locate(uint32_t offset) const;
  // The text of a 1-based line, without its line break.
  std::string_view Line(uint32_t line) const;

 private:
  std::string display_path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

// Owns every file of a compilation; FileIds index into it.
class SourceManager {
 public:
  FileId Add(std::string display_path, std::string text);
  const SourceFile& file(FileId id) const { return *files_.at(static_cast<size_t>(id)); }
  size_t size() const { return files_.size(); }

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;  // stable addresses
};

}  // namespace trust::source
