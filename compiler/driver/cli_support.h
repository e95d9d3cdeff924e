// What every trustc subcommand shares besides its options (options.h): printing diagnostics
// and summaries, and the registration of each group of subcommands.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>
#include <ostream>
#include <string>
#include <vector>

#include "compiler/driver/options.h"
#include "compiler/driver/pipeline.h"

#ifndef TRUSTC_VERSION
#define TRUSTC_VERSION "0.0.0"
#endif

namespace trust::driver {

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

}  // namespace trust::driver
