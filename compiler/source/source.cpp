#include "compiler/source/source.h"

#include <algorithm>

#include "base/utf8.h"

namespace trust::source {

SourceRange Cover(SourceRange a, SourceRange b) {
  if (!a.valid()) return b;
  if (!b.valid() || a.file != b.file) return a;
  return {a.file, std::min(a.begin, b.begin), std::max(a.end, b.end)};
}

SourceFile::SourceFile(std::string display_path, std::string text)
    : display_path_(std::move(display_path)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

LineColumn SourceFile::Locate(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto line_index = static_cast<uint32_t>(next - line_starts_.begin() - 1);
  uint32_t start = line_starts_[line_index];
  std::string_view before(text_.data() + start, offset - start);
  return {line_index + 1, base::CountCodePoints(before) + 1};
}

std::string_view SourceFile::Line(uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  uint32_t start = line_starts_[line - 1];
  uint32_t end = line < line_starts_.size() ? line_starts_[line] : text_.size();
  std::string_view text(text_.data() + start, end - start);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

FileId SourceManager::Add(std::string display_path, std::string text) {
  files_.push_back(std::make_unique<SourceFile>(std::move(display_path), std::move(text)));
  return static_cast<FileId>(files_.size() - 1);
}

}  // namespace trust::source
