// String literals: escapes and interpolation, with diagnostics at the exact character.
#include <cctype>
#include <cstdint>
#include <string>

#include "base/utf8.h"
#include "compiler/parse/parse.h"

namespace trust::parse {
namespace {

using ast::StrPart;
using source::SourceRange;

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

class Cooker {
 public:
  Cooker(std::string_view raw, source::FileId file, uint32_t begin, diag::Emitter& emitter)
      : raw_(raw), file_(file), base_(begin + 1), emitter_(emitter) {}

  ast::Str Run() {
    ast::Str str;
    str.range = {file_, base_ - 1, base_ + static_cast<uint32_t>(raw_.size()) + 1};
    while (pos_ < raw_.size()) {
      if (text_.empty()) text_start_ = pos_;
      char c = raw_[pos_];
      if (c == '\\') {
        Escape();
      } else if (c == '$') {
        Dollar(str);
      } else {
        text_ += c;
        ++pos_;
      }
    }
    FlushText(str);
    str.SetRaw(raw_);
    return str;
  }

 private:
  SourceRange Range(size_t from, size_t to) const {
    return {file_, base_ + static_cast<uint32_t>(from), base_ + static_cast<uint32_t>(to)};
  }

  void FlushText(ast::Str& str) {
    if (text_.empty()) return;
    str.parts.push_back({StrPart::Kind::kText, std::move(text_), Range(text_start_, pos_)});
    text_.clear();
  }

  void Escape() {
    size_t start = pos_++;
    if (pos_ >= raw_.size()) return Bad(start, "a `\\` ends the string");
    char c = raw_[pos_++];
    switch (c) {
      case '\\':
        text_ += '\\';
        return;
      case '"':
        text_ += '"';
        return;
      case 'n':
        text_ += '\n';
        return;
      case 't':
        text_ += '\t';
        return;
      case 'u':
        return Unicode(start);
      default:
        return Bad(start, "unknown escape `\\" + std::string(1, c) +
                              "`; expected one of `\\\\`, `\\\"`, `\\n`, `\\t`, `\\u{HEX}`");
    }
  }

  void Unicode(size_t start) {
    if (pos_ >= raw_.size() || raw_[pos_] != '{') return Bad(start, "expected `{` after `\\u`");
    size_t digits_start = ++pos_;
    while (pos_ < raw_.size() && std::isxdigit(static_cast<unsigned char>(raw_[pos_]))) ++pos_;
    size_t digits = pos_ - digits_start;
    if (pos_ >= raw_.size() || raw_[pos_] != '}' || digits == 0 || digits > 6) {
      if (pos_ < raw_.size() && raw_[pos_] == '}') ++pos_;  // underline the whole `\u{...}`
      return Bad(start, "expected 1 to 6 hex digits and `}` in `\\u{...}`");
    }
    uint32_t cp = std::stoul(std::string(raw_.substr(digits_start, digits)), nullptr, 16);
    ++pos_;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return Bad(start, "`\\u{...}` is not a Unicode scalar value");
    }
    base::AppendUtf8(text_, cp);
  }

  void Bad(size_t start, std::string message) {
    emitter_.Emit(diag::Kind::bad_escape, Range(start, pos_), std::move(message));
  }

  void Dollar(ast::Str& str) {
    size_t start = pos_;
    if (pos_ + 1 < raw_.size() && raw_[pos_ + 1] == '$') {
      text_ += '$';
      pos_ += 2;
      return;
    }
    if (pos_ + 1 >= raw_.size() || raw_[pos_ + 1] != '{') {
      ++pos_;
      return BadInterpolation(start, "a `$` must start `${...}`; write `$$` for a literal `$`");
    }
    size_t close = raw_.find('}', pos_);
    if (close == std::string_view::npos) {
      pos_ = raw_.size();
      return BadInterpolation(start, "`${` is never closed with `}`");
    }
    std::string_view inner = raw_.substr(pos_ + 2, close - pos_ - 2);
    pos_ = close + 1;
    Interpolation(str, start, inner);
  }

  void Interpolation(ast::Str& str, size_t start, std::string_view inner) {
    StrPart part;
    part.range = Range(start, pos_);
    if (inner.substr(0, 4) == "env:") {
      part.kind = StrPart::Kind::kEnv;
      part.text = std::string(inner.substr(4));
      if (!IsEnvName(part.text)) {
        return BadInterpolation(start, "`${env:" + part.text +
                                           "}` needs an environment variable name "
                                           "([A-Za-z_][A-Za-z0-9_]*)");
      }
    } else {
      part.kind = StrPart::Kind::kParam;
      part.text = std::string(inner);
      if (!IsParamRef(part.text)) {
        return BadInterpolation(start, "`${" + part.text +
                                           "}` is not `${param}`, `${module.param}` or "
                                           "`${env:NAME}`");
      }
    }
    FlushText(str);
    str.parts.push_back(std::move(part));
  }

  static bool IsEnvName(std::string_view s) {
    if (s.empty() || !IsIdentStart(s[0])) return false;
    for (char c : s) {
      if (!IsIdentChar(c)) return false;
    }
    return true;
  }

  static bool IsParamRef(std::string_view s) {
    size_t dot = s.find('.');
    if (dot == std::string_view::npos) return IsEnvName(s);
    return IsEnvName(s.substr(0, dot)) && IsEnvName(s.substr(dot + 1));
  }

  void BadInterpolation(size_t start, std::string message) {
    emitter_.Emit(diag::Kind::bad_interpolation, Range(start, pos_), std::move(message));
  }

  std::string_view raw_;
  source::FileId file_;
  uint32_t base_;  // offset of the first character after the opening quote
  diag::Emitter& emitter_;
  size_t pos_ = 0;
  size_t text_start_ = 0;
  std::string text_;
};

}  // namespace

ast::Str CookString(std::string_view raw, source::FileId file, uint32_t begin,
                    diag::Emitter& emitter) {
  return Cooker(raw, file, begin, emitter).Run();
}

}  // namespace trust::parse
