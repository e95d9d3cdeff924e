#include "compiler/driver/pipeline.h"

#include <malloc.h>

#include "base/version.h"
#include "compiler/driver/load.h"
#include "compiler/sema/sema.h"

namespace trust::driver {
namespace {

constexpr size_t kTrimAboveFreeBytes = size_t{64} << 20;

}  // namespace

std::unique_ptr<Compilation> Compile(const CompileOptions& options) {
  auto result = std::make_unique<Compilation>();
  // One cache for the whole compilation: the loader keeps syntax trees in it, the check
  // certificate facts. The language server's session has a cache of its own, and parses.
  std::unique_ptr<facts::FactsCache> cache =
      options.session == nullptr ? sema::BuildFactsCache() : nullptr;
  result->loaded = source::MeasurePhase(options.timings, "parse", [&] {
    return LoadProgram({options.root_path, options.stdlib_dir, options.allow_outside_root,
                        options.overlay, cache.get()},
                       result->sources, result->emitter);
  });
  if (!result->loaded || result->loaded->syntax_errors) return result;
  result->program = sema::Check(
      *result->loaded,
      {options.defines, options.allow_outside_root, options.build_time, options.timings,
       options.partial, options.no_baseline, options.session, cache.get(), options.read_ahead},
      result->sources, result->emitter);
  if (options.release_syntax_trees) {
    sema::ReleaseSyntaxTrees(*result->loaded);
    // glibc keeps freed pages for reuse; hand them back, so that what comes after (the artifact
    // list, lowering) adds to what the IR holds, not to what parsing and checking once held.
    // Only when that is much: pages handed back are faulted in again by lowering, one by one,
    // which cost a small rebuild more than it saved (about 30 ms at 10,000 certificates, whose
    // trees free about 12 MB; 100,000 free ten times that).
    if (::mallinfo2().fordblks > kTrimAboveFreeBytes) ::malloc_trim(0);
  }
  // New certificate facts and syntax trees are written to the cache now, before lowering (the
  // certificates keep what they need of it).
  if (cache) source::MeasurePhase(options.timings, "cache write", [&] { cache.reset(); });
  // A partial program (errors, kept for answers) is never lowered: it is not output.
  if (!options.list_artifacts || !result->program || result->emitter.HasErrors()) return result;
  // Each artifact's input key is made here, from the whole IR: timed, as the rest of a build is.
  result->artifacts = source::MeasurePhase(options.timings, "artifact list", [&] {
    return artifacts::ListArtifacts(*result->program, std::string("trustc ") + TRUST_VERSION,
                                    options.sign_key);
  });
  return result;
}

}  // namespace trust::driver
