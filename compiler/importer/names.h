// Names in generated source: identifiers that are valid and not keywords, unique within a
// scope; file names that are safe on every file system; strings escaped per the language.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace trust::importer {

// True for the reserved words of the language (grammar/TrustLexer.g4).
bool IsKeyword(std::string_view word);

// [A-Za-z_][A-Za-z0-9_]* and not a keyword.
bool IsIdentifier(std::string_view text);

// A valid, non-keyword identifier from free text: lower case, runs of anything outside
// [a-z0-9] become one '_', no leading digit; `fallback` when nothing usable is left.
std::string Identifier(std::string_view text, std::string_view fallback);

// A file-name stem from free text: [a-z0-9_-] only (no dot, no slash), not starting with '-', at
// most 64 characters.
std::string FileStem(std::string_view text, std::string_view fallback);

// A string literal with quotes: `\\`, `\"`, `$$`, `\n`, `\t` and `\u{..}` for other controls.
std::string Quote(std::string_view text);

// Hands out names unique within one scope: `base`, then `base_2`, `base_3`, ...
class NameScope {
 public:
  std::string Claim(const std::string& base);
  bool Taken(const std::string& name) const { return taken_.contains(name); }
  void Reserve(const std::string& name) { taken_.insert(name); }

 private:
  std::set<std::string> taken_;
};

}  // namespace trust::importer
