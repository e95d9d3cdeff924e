#include "compiler/diag/render.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <tuple>

#include "base/utf8.h"
#include "compiler/diag/json_text.h"

namespace trust::diag {
namespace {

using source::LineColumn;
using source::SourceManager;
using source::SourceRange;

// Source lines longer than this are not echoed: a caret under a 100,000-character line
// helps nobody.
constexpr size_t kMaxEchoedLineBytes = 1000;

struct Place {
  std::string file;
  LineColumn begin;
  LineColumn end;
};

Place Locate(const SourceManager& sources, SourceRange range) {
  if (!range.valid()) return {};
  const auto& file = sources.file(range.file);
  return {file.display_path(), file.Locate(range.begin), file.Locate(range.end)};
}

std::string Paint(const std::string& text, const char* ansi, bool color) {
  if (!color) return text;
  return std::string("\x1b[") + ansi + "m" + text + "\x1b[0m";
}

const char* SeverityColor(Severity severity) {
  switch (severity) {
    case Severity::Error:
      return "1;31";
    case Severity::Warning:
      return "1;35";
    case Severity::Note:
      return "1;36";
  }
  return "0";
}

// File names and messages are escaped: a control character in either must not reach the
// terminal raw.
std::string Header(const Place& place, Severity severity, const std::string& message, bool color) {
  std::string out;
  if (!place.file.empty()) {
    out += Paint(EscapeControls(place.file) + ":" + std::to_string(place.begin.line) + ":" +
                     std::to_string(place.begin.column) + ":",
                 "1", color) +
           " ";
  }
  out += Paint(std::string(SeverityName(severity)) + ":", SeverityColor(severity), color);
  return out + " " + EscapeControls(message);
}

// `line` with each control character but tab as its Unicode control picture (U+2400-U+2421):
// visible, harmless to a terminal, and one column wide, so the caret still lines up.
std::string Pictured(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (char c : line) {
    auto byte = static_cast<unsigned char>(c);
    if (!IsControl(c) || c == '\t') {
      out += c;
      continue;
    }
    unsigned picture = byte == 0x7F ? 0x2421 : 0x2400 + byte;  // three UTF-8 bytes
    out += static_cast<char>(0xE0 | (picture >> 12));
    out += static_cast<char>(0x80 | ((picture >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (picture & 0x3F));
  }
  return out;
}

// "   12 |   trust endpoint_cert {" and "      |         ^~~~~~~~~~~~~"
std::string Snippet(const SourceManager& sources, SourceRange range, bool color) {
  const auto& file = sources.file(range.file);
  LineColumn begin = file.Locate(range.begin);
  std::string_view line = file.Line(begin.line);
  if (line.size() > kMaxEchoedLineBytes) return "";
  std::string number = std::to_string(begin.line);
  std::string gutter(std::max<size_t>(5, number.size()), ' ');
  std::string out = gutter.substr(number.size()) + number + " | " + Pictured(line) + "\n";
  // Indent with the line's own tabs so the caret lines up in any terminal.
  std::string caret;
  uint32_t column = 1;
  size_t i = 0;
  for (; i < line.size() && column < begin.column; ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;
    caret += line[i] == '\t' ? '\t' : ' ';
    ++column;
  }
  LineColumn end = file.Locate(range.end);
  uint32_t end_column = end.line == begin.line ? end.column : base::CountCodePoints(line) + 1;
  uint32_t width = std::max<uint32_t>(1, end_column > begin.column ? end_column - begin.column : 1);
  std::string marks = "^" + std::string(width - 1, '~');
  return out + gutter + " | " + caret + Paint(marks, "1;32", color) + "\n";
}

nlohmann::ordered_json JsonPlace(const Place& place) {
  nlohmann::ordered_json j;
  j["file"] = place.file;
  j["line"] = place.begin.line;
  j["column"] = place.begin.column;
  j["end_line"] = place.end.line;
  j["end_column"] = place.end.column;
  return j;
}

}  // namespace

std::vector<Diagnostic> Sorted(const std::vector<Diagnostic>& diagnostics,
                               const SourceManager& sources) {
  // Each diagnostic's place is located once, not at every comparison: a sort makes
  // O(n log n) comparisons, and locating is a search of the file's line starts.
  struct Keyed {
    Place place;
    std::string_view id;
    size_t index;  // into `diagnostics`; also the tie-break that keeps the sort stable
  };
  std::vector<Keyed> keyed;
  keyed.reserve(diagnostics.size());
  for (size_t i = 0; i < diagnostics.size(); ++i) {
    keyed.push_back({Locate(sources, diagnostics[i].range), Info(diagnostics[i].kind).id, i});
  }
  auto key = [&](const Keyed& k) {
    return std::tie(k.place.file, k.place.begin.line, k.place.begin.column, k.id,
                    diagnostics[k.index].message, k.index);
  };
  std::sort(keyed.begin(), keyed.end(),
            [&](const Keyed& a, const Keyed& b) { return key(a) < key(b); });
  std::vector<Diagnostic> sorted;
  sorted.reserve(diagnostics.size());
  for (const Keyed& k : keyed) sorted.push_back(diagnostics[k.index]);
  return sorted;
}

std::string RenderText(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources,
                       const RenderOptions& options) {
  std::string out;
  for (const Diagnostic& d : Sorted(diagnostics, sources)) {
    out += Header(Locate(sources, d.range), d.severity, d.message, options.color) + " [" +
           std::string(Info(d.kind).id) + "]\n";
    if (d.range.valid()) out += Snippet(sources, d.range, options.color);
    for (const Note& note : d.notes) {
      out +=
          Header(Locate(sources, note.range), Severity::Note, note.message, options.color) + "\n";
    }
  }
  return out;
}

std::string RenderJson(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources) {
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const Diagnostic& d : Sorted(diagnostics, sources)) {
    nlohmann::ordered_json j = JsonPlace(Locate(sources, d.range));
    j["severity"] = SeverityName(d.severity);
    j["id"] = Info(d.kind).id;
    j["message"] = d.message;
    j["notes"] = nlohmann::ordered_json::array();
    for (const Note& note : d.notes) {
      nlohmann::ordered_json n = JsonPlace(Locate(sources, note.range));
      n["message"] = note.message;
      j["notes"].push_back(std::move(n));
    }
    all.push_back(std::move(j));
  }
  return JsonText(all) + "\n";
}

namespace {

nlohmann::ordered_json SarifLocation(const Place& place, const std::string* message) {
  nlohmann::ordered_json location;
  location["physicalLocation"]["artifactLocation"]["uri"] = place.file;
  auto& region = location["physicalLocation"]["region"];
  region["startLine"] = place.begin.line;
  region["startColumn"] = place.begin.column;
  region["endLine"] = place.end.line;
  region["endColumn"] = place.end.column;
  if (message != nullptr) location["message"]["text"] = *message;
  return location;
}

nlohmann::ordered_json SarifRules() {
  nlohmann::ordered_json rules = nlohmann::ordered_json::array();
  for (Kind kind : AllKinds()) {
    const KindInfo& info = Info(kind);
    nlohmann::ordered_json rule;
    rule["id"] = info.id;
    rule["shortDescription"]["text"] = info.summary;
    rule["defaultConfiguration"]["level"] = SeverityName(info.default_severity);
    rules.push_back(std::move(rule));
  }
  return rules;
}

}  // namespace

std::string RenderSarif(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources,
                        const RenderOptions& options) {
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const Diagnostic& d : Sorted(diagnostics, sources)) {
    nlohmann::ordered_json result;
    result["ruleId"] = Info(d.kind).id;
    result["level"] = SeverityName(d.severity);
    result["message"]["text"] = d.message;
    if (d.range.valid()) {
      result["locations"].push_back(SarifLocation(Locate(sources, d.range), nullptr));
    }
    for (const Note& note : d.notes) {
      if (!note.range.valid()) continue;
      result["relatedLocations"].push_back(
          SarifLocation(Locate(sources, note.range), &note.message));
    }
    results.push_back(std::move(result));
  }
  nlohmann::ordered_json sarif;
  sarif["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  sarif["version"] = "2.1.0";
  nlohmann::ordered_json run;
  run["tool"]["driver"]["name"] = "trustc";
  run["tool"]["driver"]["version"] = options.tool_version;
  run["tool"]["driver"]["rules"] = SarifRules();
  run["results"] = std::move(results);
  sarif["runs"].push_back(std::move(run));
  return JsonText(sarif) + "\n";
}

}  // namespace trust::diag
