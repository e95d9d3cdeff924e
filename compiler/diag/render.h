// Renderers: the human text format of docs/language.md ("Diagnostics"), JSON and SARIF 2.1.0.
// Every renderer prints diagnostics sorted by file, line and column.
#pragma once

#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"

namespace trust::diag {

enum class Format { kText, kJson, kSarif };

struct RenderOptions {
  bool color = false;
  std::string tool_version;  // for SARIF
};

// Sorted copy: by file path, line, column, then ID, so output never depends on emit order.
std::vector<Diagnostic> Sorted(const std::vector<Diagnostic>& diagnostics,
                               const source::SourceManager& sources);

std::string RenderText(const std::vector<Diagnostic>& diagnostics,
                       const source::SourceManager& sources, const RenderOptions& options);
std::string RenderJson(const std::vector<Diagnostic>& diagnostics,
                       const source::SourceManager& sources);
std::string RenderSarif(const std::vector<Diagnostic>& diagnostics,
                        const source::SourceManager& sources, const RenderOptions& options);

}  // namespace trust::diag
