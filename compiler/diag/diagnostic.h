// Diagnostics: the closed set of IDs (diagnostic_kind.def), the Diagnostic value, and the
// Emitter through which every phase reports. Phases never print and never throw.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/source/source.h"

namespace trust::diag {

enum class Kind {
#define TRUST_DIAG(id, severity, lint, summary) id,
#include "compiler/diag/diagnostic_kind.def"
};

enum class Severity { Note, Warning, Error };

struct KindInfo {
  std::string_view id;
  Severity default_severity;
  bool is_lint;
  std::string_view summary;
};

const KindInfo& Info(Kind kind);
const std::vector<Kind>& AllKinds();
std::optional<Kind> KindFromId(std::string_view id);
std::string_view SeverityName(Severity severity);

struct Note {
  source::SourceRange range;  // may be invalid: a note without a place
  std::string message;
};

struct Diagnostic {
  Kind kind;
  Severity severity;
  source::SourceRange range;
  std::string message;
  std::vector<Note> notes;
};

// Collects diagnostics; renderers sort them when printing.
class Emitter {
 public:
  void Emit(Diagnostic diagnostic);
  // The common case: default severity of the kind.
  void Emit(Kind kind, source::SourceRange range, std::string message,
            std::vector<Note> notes = {});
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  int CountAtLeast(Severity severity) const;
  bool HasErrors() const { return CountAtLeast(Severity::Error) > 0; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// "`name`": how names are quoted in messages.
std::string Quote(std::string_view name);

// True for U+0000-U+001F and U+007F, the characters no artifact carries (control_character).
bool IsControl(char c);
// `text` with every control character written as the language's escape (`\u{1b}`, `\t`, ...),
// so that a hostile name can neither cut nor repaint a terminal line. With `keep_line_breaks`,
// newlines (which separate the lines of a multi-line output) stay as they are.
std::string EscapeControls(std::string_view text, bool keep_line_breaks = false);

}  // namespace trust::diag
