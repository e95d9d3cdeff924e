// The whole compiler in one screen: load (read and parse every module, load.h) → check
// (resolve, certificates, rules, lint; compiler/sema) → ir::Program → the artifact list
// (lowering to bundles and manifests, checksums; compiler/artifacts). Every command that
// compiles (build, check, diff, graph, explain, import, the language server) and the golden
// test go through Compile; writing the artifacts stays with artifacts::WriteBuild.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/artifacts/artifacts.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/ir/ir.h"
#include "compiler/sema/program.h"
#include "compiler/sema/sema.h"
#include "compiler/source/phase_times.h"
#include "compiler/source/source.h"

namespace trust::driver {

struct CompileOptions {
  std::string root_path;
  std::map<std::string, std::string> defines;
  std::optional<std::string> stdlib_dir;
  bool allow_outside_root = false;
  int64_t build_time = 0;
  // Unsaved editor buffers by resolved absolute path (see LoadOptions::overlay).
  const std::map<std::string, std::string>* overlay = nullptr;
  source::PhaseTimes* timings = nullptr;  // --timings
  bool partial = false;      // keep the program despite errors (sema::CheckOptions::partial)
  bool no_baseline = false;  // ignore the import baseline (sema::CheckOptions::no_baseline)
  std::string sign_key;      // build --sign-key: the artifacts end with SHA256SUMS.sig
  sema::CheckSession* session = nullptr;  // the language server's (sema::CheckOptions::session)
  // Certificate files `build` read already, in its up-to-date check (sema::CheckOptions).
  sema::CertificateBytesReadAhead* read_ahead = nullptr;
  // Free the syntax trees once the program is checked (sema::ReleaseSyntaxTrees), before the
  // artifacts are listed: for `check` and `build`, which read only the IR and the sources after.
  bool release_syntax_trees = false;
  // List the artifacts (Compilation::artifacts, each with its input key): only `build` and
  // `diff` read them; making the keys walks the whole IR, which `check` and the language
  // server need not pay for.
  bool list_artifacts = false;
};

struct Compilation {
  Compilation() = default;
  // The artifacts point into `program`: a Compilation stays where Compile made it.
  Compilation(const Compilation&) = delete;
  Compilation& operator=(const Compilation&) = delete;

  source::SourceManager sources;
  diag::Emitter emitter;
  std::optional<sema::LoadedProgram> loaded;  // the parsed modules; unset if the root is unread
  std::optional<ir::Program> program;         // set when there were no errors (or `partial`)
  // What `trustc build` writes, in its order (artifacts::ListArtifacts): set only when asked
  // (CompileOptions::list_artifacts) and the program compiled without errors. Each is lowered when
  // it is made.
  std::vector<artifacts::Artifact> artifacts;
};

std::unique_ptr<Compilation> Compile(const CompileOptions& options);

}  // namespace trust::driver
