// The command-line options every compiling command shares, and how they become CompileOptions:
// the one place that reads -D, --now, --werror and the rest, for trustc's commands, the
// language server and the golden test alike. Subcommands register themselves in a
// CommandTable.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/driver/pipeline.h"

namespace trust::driver {

struct CommonFlags {
  std::vector<std::string> defines;
  std::string stdlib_dir;
  bool allow_outside_root = false;
  std::string now;
  bool werror = false;
  std::string diagnostics_format = "text";
  bool quiet = false;
};

// Thrown while preparing a command; RunCli prints it and exits with 2.
struct UsageError {
  std::string message;
};

struct Command {
  CLI::App* app;
  std::function<int()> run;  // the exit code
};
using CommandTable = std::vector<Command>;

// The flags of every command that compiles, on `command`.
void AddCommonFlags(CLI::App& command, CommonFlags& flags);
// The parsed flags as CompileOptions for root `file`: -D, --stdlib, --allow-outside-root, and
// the build time from --now, SOURCE_DATE_EPOCH or the clock. Throws UsageError.
CompileOptions MakeOptions(const std::string& file, const CommonFlags& flags);
// The diagnostics the flags show: warnings as errors with --werror, errors only with --quiet.
std::vector<diag::Diagnostic> ShownDiagnostics(const Compilation& compilation,
                                               const CommonFlags& flags);

}  // namespace trust::driver
