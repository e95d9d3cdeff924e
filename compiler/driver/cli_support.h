// What every trustc subcommand shares: the common flags, turning them into CompileOptions,
// and printing diagnostics. Subcommands register themselves in a CommandTable.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>
#include <ostream>
#include <string>
#include <vector>

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

void AddCommonFlags(CLI::App& command, CommonFlags& flags);
CompileOptions MakeOptions(const std::string& file, const CommonFlags& flags);
// Applies --werror and --quiet and prints the diagnostics: text to stderr, a JSON or SARIF
// document to `machine` (stdout for check, build and import, whose output it then is; stderr
// for the commands whose stdout is an answer). True if the input failed.
bool Report(const Compilation& compilation, const CommonFlags& flags,
            std::ostream& machine = std::cout);
// "FILE: 0 error(s), 1 warning(s), 2 note(s)"
std::string Summary(const std::string& file, const Compilation& compilation);

// Where the one-line summary goes: stdout, unless stdout holds a JSON or SARIF document.
std::ostream& SummaryStream(const CommonFlags& flags);

// compile_commands.cpp: check, build.
void AddCompileCommands(CLI::App& app, CommonFlags& flags, CommandTable& table);
// import_commands.cpp: import, pin.
void AddImportCommands(CLI::App& app, CommonFlags& flags, CommandTable& table);
// review_commands.cpp: fmt, diff, graph, explain, explain-rule.
void AddReviewCommands(CLI::App& app, CommonFlags& flags, CommandTable& table);
// compiler/lsp/lsp_command.cpp: lsp.
void AddLspCommands(CLI::App& app, CommonFlags& flags, CommandTable& table);

}  // namespace trust::driver
