#include "compiler/parse/lexical_form.h"

#include <algorithm>

namespace trust::parse {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
// Never in a lexical form otherwise: bytes below 0x20 other than blanks are BAD_CHARs, kept as
// they are, so the mark is a control byte spelled out with its reason.
constexpr std::string_view kUnterminated = "\x01unterminated\x01";

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsLineEnd(char c) { return c == '\r' || c == '\n'; }

}  // namespace

size_t StringLiteralEnd(std::string_view text, size_t begin, bool* closed) {
  size_t i = begin + 1;
  while (i < text.size() && !IsLineEnd(text[i]) && text[i] != '"') {
    // A backslash escapes any one byte but a line end (the lexer's '\\' ~[\r\n]).
    i += text[i] == '\\' && i + 1 < text.size() && !IsLineEnd(text[i + 1]) ? 2 : 1;
  }
  bool quoted = i < text.size() && text[i] == '"';
  if (closed != nullptr) *closed = quoted;
  return quoted ? i + 1 : i;
}

size_t CommentEnd(std::string_view text, size_t begin, bool* closed) {
  if (closed != nullptr) *closed = true;
  if (text.substr(begin, 2) == "//") {
    return std::min(text.find_first_of("\r\n", begin), text.size());
  }
  size_t close = text.find("*/", begin + 2);
  if (close != std::string_view::npos) return close + 2;
  if (closed != nullptr) *closed = false;
  return text.size();
}

std::string LexicalForm(std::string_view text) {
  std::string form;
  form.reserve(text.size());
  bool separated = false;  // a blank, a comment or a BOM since the last byte kept
  auto keep = [&](std::string_view bytes) {
    if (separated && !form.empty()) form += ' ';
    separated = false;
    form += bytes;
  };
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (IsBlank(c)) {
      separated = true;
      ++i;
    } else if (text.substr(i, kByteOrderMark.size()) == kByteOrderMark) {
      separated = true;
      i += kByteOrderMark.size();
    } else if (text.substr(i, 2) == "//" || text.substr(i, 2) == "/*") {
      bool closed = true;
      i = CommentEnd(text, i, &closed);
      if (!closed) keep(kUnterminated);
      separated = true;
    } else if (c == '"') {
      bool closed = false;
      size_t end = StringLiteralEnd(text, i, &closed);
      keep(text.substr(i, end - i));
      if (!closed) keep(kUnterminated);
      i = end;
    } else {
      keep(text.substr(i, 1));
      ++i;
    }
  }
  return form;
}

}  // namespace trust::parse
