#include "compiler/diag/diagnostic.h"

#include <algorithm>
#include <array>

namespace trust::diag {
namespace {

constexpr std::array kInfos = {
#define TRUST_DIAG(id, severity, lint, summary) KindInfo{#id, Severity::severity, lint, summary},
#include "compiler/diag/diagnostic_kind.def"
};

}  // namespace

const KindInfo& Info(Kind kind) { return kInfos.at(static_cast<size_t>(kind)); }

const std::vector<Kind>& AllKinds() {
  static const std::vector<Kind> kinds = [] {
    std::vector<Kind> all;
    for (size_t i = 0; i < kInfos.size(); ++i) all.push_back(static_cast<Kind>(i));
    return all;
  }();
  return kinds;
}

std::optional<Kind> KindFromId(std::string_view id) {
  for (size_t i = 0; i < kInfos.size(); ++i) {
    if (kInfos[i].id == id) return static_cast<Kind>(i);
  }
  return std::nullopt;
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::Note:
      return "note";
    case Severity::Warning:
      return "warning";
    case Severity::Error:
      return "error";
  }
  return "error";
}

void Emitter::Emit(Diagnostic diagnostic) { diagnostics_.push_back(std::move(diagnostic)); }

void Emitter::Emit(Kind kind, source::SourceRange range, std::string message,
                   std::vector<Note> notes) {
  Emit({kind, Info(kind).default_severity, range, std::move(message), std::move(notes)});
}

int Emitter::CountAtLeast(Severity severity) const {
  return static_cast<int>(
      std::count_if(diagnostics_.begin(), diagnostics_.end(),
                    [&](const Diagnostic& d) { return d.severity >= severity; }));
}

std::string Quote(std::string_view name) { return "`" + EscapeControls(name) + "`"; }

bool IsControl(char c) {
  auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7F;
}

std::string EscapeControls(std::string_view text, bool keep_line_breaks) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (!IsControl(c) || (keep_line_breaks && c == '\n')) {
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += "\\u{";
      if (byte >= 0x10) out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
      out += '}';
    }
  }
  return out;
}

}  // namespace trust::diag
