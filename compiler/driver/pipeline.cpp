#include "compiler/driver/pipeline.h"

#include "compiler/sema/program.h"
#include "compiler/sema/sema.h"

namespace trust::driver {

std::unique_ptr<Compilation> Compile(const CompileOptions& options) {
  auto result = std::make_unique<Compilation>();
  std::optional<sema::LoadedProgram> loaded = source::MeasurePhase(options.timings, "parse", [&] {
    return sema::LoadProgram(
        {options.root_path, options.stdlib_dir, options.allow_outside_root, options.overlay},
        result->sources, result->emitter);
  });
  if (!loaded || loaded->syntax_errors) return result;
  result->program = sema::Check(*loaded,
                                {options.defines, options.allow_outside_root, options.build_time,
                                 options.timings, options.partial, options.no_baseline},
                                result->sources, result->emitter);
  return result;
}

}  // namespace trust::driver
