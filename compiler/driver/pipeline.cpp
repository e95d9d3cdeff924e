#include "compiler/driver/pipeline.h"

#include <malloc.h>

#include "base/version.h"
#include "compiler/driver/load.h"
#include "compiler/sema/sema.h"
#include "compiler/sema/session.h"

namespace trust::driver {

std::unique_ptr<Compilation> Compile(const CompileOptions& options) {
  auto result = std::make_unique<Compilation>();
  // The check's own cache, unless a session lends its: gone (flushed) once the program is
  // checked, so that its index is not held beside the artifacts.
  std::unique_ptr<facts::FactsCache> own_cache =
      options.session == nullptr ? sema::NewCheckCache() : nullptr;
  facts::FactsCache* trees = own_cache && own_cache->has_directory() ? own_cache.get() : nullptr;
  result->loaded = source::MeasurePhase(options.timings, "parse", [&] {
    return LoadProgram(
        {options.root_path, options.stdlib_dir, options.allow_outside_root, options.overlay, trees},
        result->sources, result->emitter);
  });
  if (!result->loaded || result->loaded->syntax_errors) return result;
  result->program =
      sema::Check(*result->loaded,
                  {options.defines, options.allow_outside_root, options.build_time, options.timings,
                   options.partial, options.no_baseline, options.session,
                   own_cache ? own_cache.get() : &options.session->facts()},
                  result->sources, result->emitter);
  own_cache.reset();
  if (options.release_syntax_trees) {
    sema::ReleaseSyntaxTrees(*result->loaded);
    // glibc keeps freed pages for reuse; hand them back, so that what comes after (the artifact
    // list, lowering) adds to what the IR holds, not to what parsing and checking once held.
    ::malloc_trim(0);
  }
  // A partial program (errors, kept for answers) is never lowered: it is not output.
  if (!result->program || result->emitter.HasErrors()) return result;
  result->artifacts = artifacts::ListArtifacts(
      *result->program, std::string("trustc ") + TRUST_VERSION, options.sign_key);
  return result;
}

}  // namespace trust::driver
