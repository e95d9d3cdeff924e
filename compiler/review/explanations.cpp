// The long explanations of diagnostic IDs, kept next to the registry in
// compiler/diag/explanations.def.
#include <map>
#include <sstream>

#include "compiler/review/explain.h"

namespace trust::review {
namespace {

// Wraps at word boundaries so that a terminal shows paragraphs, not one long line.
std::string Wrap(std::string_view text, size_t width) {
  std::istringstream words{std::string(text)};
  std::string word, out, line;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line + "\n";
}

}  // namespace

std::string_view Explanation(diag::Kind kind) {
  static const std::map<std::string_view, std::string_view> kTexts = {
#define TRUST_EXPLAIN(id, text) {#id, text},
#include "compiler/diag/explanations.def"
  };
  auto it = kTexts.find(diag::Info(kind).id);
  return it == kTexts.end() ? std::string_view() : it->second;
}

std::string ExplainRule(diag::Kind kind) {
  const diag::KindInfo& info = diag::Info(kind);
  std::string out = std::string(info.id) + " (" +
                    std::string(diag::SeverityName(info.default_severity)) +
                    (info.is_lint ? ", lint rule" : ", compiler error") +
                    "): " + std::string(info.summary) + "\n\n";
  out += Wrap(Explanation(kind), 88);
  if (info.is_lint) {
    out += "\nRe-level it for the whole program with `policy { rule " + std::string(info.id) +
           " error|warning|note|off }`;\nwaive it for one certificate or trust with `allow " +
           std::string(info.id) + " because \"REASON\"`.\n";
  } else {
    out += "\nThis is a compiler check: it cannot be waived or re-levelled.\n";
  }
  return out;
}

}  // namespace trust::review
