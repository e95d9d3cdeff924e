// Editor coordinates: `file://` URIs and LSP positions (0-based line, UTF-16 code units), and
// their conversion to the compiler's paths and byte offsets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trust::lsp {

struct Position {
  uint32_t line = 0;
  uint32_t character = 0;  // UTF-16 code units
};

// "file:///a%20b/c.trust" -> "/a b/c.trust"; empty for any other scheme.
std::string UriToPath(std::string_view uri);
// An absolute path -> "file://..." with the characters URIs reserve percent-encoded.
std::string PathToUri(std::string_view path);

// Byte offset <-> position in a UTF-8 text. Out-of-range inputs clamp to the nearest valid
// place (end of the line, end of the text), as clients expect.
Position OffsetToPosition(std::string_view text, uint32_t offset);
uint32_t PositionToOffset(std::string_view text, Position position);

// The same conversions for many offsets into one text: the line starts are found once, then
// each lookup costs a binary search and a walk along one line (document symbols and
// diagnostics of a 10,000-line file stay linear).
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  Position PositionOf(uint32_t offset) const;

 private:
  std::string_view text_;
  std::vector<uint32_t> line_starts_;
};

// The position one past the last character: the end of a whole-document edit.
Position EndPosition(std::string_view text);

}  // namespace trust::lsp
