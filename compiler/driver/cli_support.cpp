#include "compiler/driver/cli_support.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "compiler/diag/render.h"

namespace trust::driver {

bool Report(const Compilation& compilation, const CommonFlags& flags, std::ostream& machine) {
  std::vector<diag::Diagnostic> shown = ShownDiagnostics(compilation, flags);
  diag::RenderOptions options;
  options.color = isatty(STDERR_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
  options.tool_version = TRUSTC_VERSION;
  if (flags.diagnostics_format == "json") {
    machine << diag::RenderJson(shown, compilation.sources) << std::flush;
  } else if (flags.diagnostics_format == "sarif") {
    machine << diag::RenderSarif(shown, compilation.sources, options) << std::flush;
  } else {
    std::cerr << diag::RenderText(shown, compilation.sources, options);
  }
  return std::any_of(shown.begin(), shown.end(),
                     [](const auto& d) { return d.severity == diag::Severity::Error; });
}

std::ostream& SummaryStream(const CommonFlags& flags) {
  return flags.diagnostics_format == "text" || flags.diagnostics_format.empty() ? std::cout
                                                                                : std::cerr;
}

std::string Summary(const std::string& file, const Compilation& compilation) {
  int errors = 0, warnings = 0, notes = 0;
  for (const auto& d : compilation.emitter.diagnostics()) {
    (d.severity == diag::Severity::Error     ? errors
     : d.severity == diag::Severity::Warning ? warnings
                                             : notes)++;
  }
  return file + ": " + std::to_string(errors) + " error(s), " + std::to_string(warnings) +
         " warning(s), " + std::to_string(notes) + " note(s)";
}

}  // namespace trust::driver
