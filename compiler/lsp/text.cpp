#include "compiler/lsp/text.h"

#include <algorithm>

namespace trust::lsp {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Length in bytes of the UTF-8 sequence starting with `lead`; invalid bytes count as one.
uint32_t SequenceLength(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
  if (lead >= 0xC2) return 2;
  return 1;
}

// Offset of the first byte of 0-based `line`, or text.size() past the last line.
uint32_t LineStart(std::string_view text, uint32_t line) {
  size_t at = 0;
  for (uint32_t i = 0; i < line; ++i) {
    size_t newline = text.find('\n', at);
    if (newline == std::string_view::npos) return static_cast<uint32_t>(text.size());
    at = newline + 1;
  }
  return static_cast<uint32_t>(at);
}

}  // namespace

std::string UriToPath(std::string_view uri) {
  constexpr std::string_view kScheme = "file://";
  if (!uri.starts_with(kScheme)) return "";
  uri.remove_prefix(kScheme.size());
  // "file://host/path": only the local host is meaningful.
  size_t slash = uri.find('/');
  if (slash == std::string_view::npos) return "";
  uri.remove_prefix(slash);
  std::string path;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && HexValue(uri[i + 1]) >= 0 &&
        HexValue(uri[i + 2]) >= 0) {
      path += static_cast<char>(HexValue(uri[i + 1]) * 16 + HexValue(uri[i + 2]));
      i += 2;
    } else {
      path += uri[i];
    }
  }
  return path;
}

std::string PathToUri(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file://";
  for (char c : path) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || std::string_view("/-._~").find(c) != std::string_view::npos) {
      uri += c;
    } else {
      uri += '%';
      uri += kHex[byte >> 4];
      uri += kHex[byte & 15];
    }
  }
  return uri;
}

Position OffsetToPosition(std::string_view text, uint32_t offset) {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text.size()));
  Position position;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      line_start = i + 1;
    }
  }
  for (size_t i = line_start; i < offset;) {
    uint32_t length = SequenceLength(static_cast<unsigned char>(text[i]));
    position.character += length == 4 ? 2 : 1;  // astral characters are surrogate pairs
    i += length;
  }
  return position;
}

uint32_t PositionToOffset(std::string_view text, Position position) {
  uint32_t at = LineStart(text, position.line);
  uint32_t units = 0;
  while (at < text.size() && text[at] != '\n' && units < position.character) {
    uint32_t length = SequenceLength(static_cast<unsigned char>(text[at]));
    units += length == 4 ? 2 : 1;
    at = std::min<uint32_t>(at + length, static_cast<uint32_t>(text.size()));
  }
  // A position inside "\r\n" stays before the line break.
  if (at > 0 && at < text.size() && text[at] == '\n' && text[at - 1] == '\r') --at;
  return at;
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(static_cast<uint32_t>(i + 1));
  }
}

Position LineIndex::PositionOf(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto line = static_cast<uint32_t>(after - line_starts_.begin() - 1);
  uint32_t line_start = line_starts_[line];
  Position position = OffsetToPosition(text_.substr(line_start), offset - line_start);
  return {line, position.character};
}

Position EndPosition(std::string_view text) {
  return OffsetToPosition(text, static_cast<uint32_t>(text.size()));
}

}  // namespace trust::lsp
