// Semantic analysis: from the loaded program (ASTs and imports) to the resolved ir::Program.
//
// Invariants established by Check when it returns a program: every name resolves to a
// declaration of the right kind; templates are merged; params are interpolated and only
// keystore paths, password files and require_endpoint addresses keep `${env:...}`; every
// certificate file was read, parsed and matched its pin and expectations; every rule of
// language sections 3-5 was checked and every lint finding reported. It returns nullopt when
// any error was reported (warnings with --werror are the driver's business), unless
// `partial` asks for what resolved anyway: then the invariants hold only for what did.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "compiler/diag/diagnostic.h"
#include "compiler/facts/facts_cache.h"
#include "compiler/ir/ir.h"
#include "compiler/sema/program.h"
#include "compiler/source/phase_times.h"

namespace trust::sema {

class CheckSession;  // session.h

struct CheckOptions {
  std::map<std::string, std::string> defines;  // -D NAME=VALUE
  bool allow_outside_root = false;
  int64_t build_time = 0;                 // seconds since the epoch
  source::PhaseTimes* timings = nullptr;  // --timings: where check spends its time
  // Return the program despite errors: a name that failed to resolve is simply missing from
  // it. For answers about the rest (explain, graph, the language server), never for output.
  bool partial = false;
  // --no-baseline: allows whose reason is ir::kBaselineReason are dropped, so the findings the
  // import baseline waived are reported again.
  bool no_baseline = false;
  // Shared with the checks before and after this one (session.h); null: read everything.
  CheckSession* session = nullptr;
  // The compilation's cache (BuildFactsCache), which its loader used too; null: the session's,
  // or else one of the check's own.
  facts::FactsCache* facts = nullptr;
  // Certificate files the build read already (program.h); null: read each.
  CertificateBytesReadAhead* read_ahead = nullptr;
};

// The facts cache of a compilation without a session: the cache directory's, for facts computed
// by this version only. It holds every certificate of the program until the build is written,
// so their DER goes to the directory's spill file (facts/der_spill.h).
std::unique_ptr<facts::FactsCache> BuildFactsCache();

std::optional<ir::Program> Check(const LoadedProgram& program, const CheckOptions& options,
                                 const source::SourceManager& sources, diag::Emitter& emitter);

}  // namespace trust::sema
