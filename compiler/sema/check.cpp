// The sequence of sema passes; each pass's file says what it checks.
#include "compiler/sema/context.h"
#include "compiler/sema/sema.h"

namespace trust::sema {
namespace {

void CheckAllDuplicateItems(Context& cx) {
  for (const Module& module : cx.program.modules) {
    for (const ast::Decl& decl : module.ast.decls) CheckDuplicateItems(cx, decl.items);
  }
}

}  // namespace

std::optional<ir::Program> Check(const LoadedProgram& program, const CheckOptions& options,
                                 const source::SourceManager& sources, diag::Emitter& emitter) {
  Context cx(program, options, sources, emitter);
  cx.out.root_source = program.modules[0].real_path.filename().generic_string();
  cx.out.build_time = options.build_time;
  source::PhaseTimes* timings = options.timings;
  source::MeasurePhase(timings, "resolve", [&] {
    CheckAllDuplicateItems(cx);
    cx.BuildScopes();
    cx.EvaluateParams();
    CheckPolicy(cx);
  });
  source::MeasurePhase(timings, "certificates", [&] { cx.LoadAllCerts(); });
  source::MeasurePhase(timings, "rules", [&] {
    CheckGateways(cx);
    CheckKeystores(cx);
    RunLint(cx);
  });
  if (emitter.HasErrors() && !options.partial) return std::nullopt;
  return std::move(cx.out);
}

}  // namespace trust::sema
