#include "compiler/importer/names.h"

#include <cstdio>

#include "base/utf8.h"
#include "compiler/parse/keywords.h"
#include "compiler/source/source.h"

namespace trust::importer {
namespace {

bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Lower-cased text with every run of characters outside `keep` (besides [a-z0-9]) turned into
// one `sep`, trimmed of separators at both ends.
std::string Collapse(std::string_view text, std::string_view keep, char sep) {
  std::string out;
  for (char raw : text) {
    char c = Lower(raw);
    if (IsAlnum(c) || keep.find(c) != std::string_view::npos) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != sep) {
      out.push_back(sep);
    }
  }
  while (!out.empty() && out.back() == sep) out.pop_back();
  return out;
}

}  // namespace

bool IsIdentifier(std::string_view text) {
  if (text.empty() || (text[0] >= '0' && text[0] <= '9')) return false;
  for (char c : text) {
    if (!IsAlnum(Lower(c)) && c != '_') return false;
  }
  return !IsKeyword(text);
}

bool IsKeyword(std::string_view word) { return parse::IsKeyword(word); }

std::string Identifier(std::string_view text, std::string_view fallback) {
  std::string out = Collapse(text, "", '_');
  if (out.size() > 48) out.resize(48);
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) return std::string(fallback);
  if (out[0] >= '0' && out[0] <= '9') out.insert(0, "_");
  if (IsKeyword(out)) out += "_";
  return out;
}

std::string FileStem(std::string_view text, std::string_view fallback) {
  std::string out = Collapse(text, "-", '_');
  while (!out.empty() && (out[0] == '-' || out[0] == '_')) out.erase(0, 1);
  if (out.size() > 64) out.resize(64);
  return out.empty() ? std::string(fallback) : out;
}

std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    unsigned char u = static_cast<unsigned char>(c);
    size_t sequence = base::Utf8SequenceAt(text, i);
    if (sequence > 1) {
      out.append(text.substr(i, sequence));  // UTF-8 passes through: source is UTF-8
      i += sequence - 1;
    } else if (sequence == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for a stray byte (bundles are checked; an alias may not be)
    } else if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '$') {
      out += "$$";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      char buffer[16];
      std::snprintf(buffer, sizeof(buffer), "\\u{%X}", u);
      out += buffer;
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string NameScope::Claim(const std::string& base) {
  std::string name = base;
  for (int n = 2; taken_.contains(name); ++n) name = base + "_" + std::to_string(n);
  taken_.insert(name);
  return name;
}

}  // namespace trust::importer
