// `trustc lsp`: the language server as a trustc subcommand. It reads the options every
// compiling command shares (compiler/driver/options.h), nothing else of the CLI.
#pragma once

#include <CLI/CLI.hpp>

#include "compiler/driver/options.h"

namespace trust::lsp {

void AddLspCommand(CLI::App& app, driver::CommonFlags& flags, driver::CommandTable& table);

}  // namespace trust::lsp
