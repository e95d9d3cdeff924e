// The whole compiler in one screen: load (parse every module) → check (resolve, certificates,
// rules, lint) → ir::Program. Lowering to artifacts starts from the program.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "compiler/diag/diagnostic.h"
#include "compiler/ir/ir.h"
#include "compiler/source/phase_times.h"
#include "compiler/source/source.h"

namespace trust::driver {

struct CompileOptions {
  std::string root_path;
  std::map<std::string, std::string> defines;
  std::optional<std::string> stdlib_dir;
  bool allow_outside_root = false;
  int64_t build_time = 0;
  // Unsaved editor buffers by resolved absolute path (see sema::LoadOptions::overlay).
  const std::map<std::string, std::string>* overlay = nullptr;
  source::PhaseTimes* timings = nullptr;  // --timings
  bool partial = false;      // keep the program despite errors (sema::CheckOptions::partial)
  bool no_baseline = false;  // ignore the import baseline (sema::CheckOptions::no_baseline)
};

struct Compilation {
  source::SourceManager sources;
  diag::Emitter emitter;
  std::optional<ir::Program> program;  // set when there were no errors (or `partial`)
};

std::unique_ptr<Compilation> Compile(const CompileOptions& options);

}  // namespace trust::driver
