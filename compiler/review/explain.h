// `trustc explain` and `trustc explain-rule`: everything the program says about one certificate
// or one user, and the long explanation of a diagnostic ID.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/ir/ir.h"
#include "compiler/source/source.h"

namespace trust::review {

// NAME is a certificate as written in the program (`x`, `module.x`), a certificate's display
// name, or `gateway.provider.user` (provider by identifier or display name). Returns nullopt
// when NAME names nothing; *error then lists what would have matched.
std::optional<std::string> Explain(const ir::Program& program, const source::SourceManager& sources,
                                   const std::string& name, std::string* error);

// The long text of a diagnostic ID (compiler/diag/explanations.def), empty if there is none.
std::string_view Explanation(diag::Kind kind);

// "ID: severity, lint rule or compiler error, summary, long text, how to re-level or waive".
std::string ExplainRule(diag::Kind kind);

}  // namespace trust::review
