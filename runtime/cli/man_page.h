// Documentation generated from a CLI11 App tree: man pages (roff) and bash/zsh completion
// scripts. Both trustc and trust-apply use it, so it depends on CLI11 alone: the runtime must
// never link the compiler. Everything is derived from the same App that prints --help, so the
// man pages and completions cannot drift from the program.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace trust::cli {

// (term, meaning) pairs: exit codes, environment variables.
using Entries = std::vector<std::pair<std::string, std::string>>;

// What --help does not know: the parts of a man page that are not options.
struct ProgramDoc {
  std::string version;      // "0.1.0"
  std::string description;  // extra paragraph(s) for the top-level page; "\n\n" separates
  Entries exit_status;      // for every page...
  std::map<std::string, Entries> command_exit_status;  // ...unless overridden by command name
  Entries environment;
  std::vector<std::string> see_also;  // "trust-apply(1)"; the program's other pages are added
};

// The page name of `command`: "trustc" for the root, "trustc-check" for a subcommand.
std::string PageName(const CLI::App& command);

// The section-one man page of `command`, which is `root` or one of its visible descendants.
std::string ManPage(const CLI::App& command, const ProgramDoc& doc);

// Every visible command of the tree, root first, depth first.
std::vector<const CLI::App*> AllCommands(const CLI::App& root);

// Completion scripts for the whole tree.
std::string BashCompletion(const CLI::App& root);
std::string ZshCompletion(const CLI::App& root);

// Handles the hidden documentation flags, which must come first on the command line:
//   --help-man [SUBCOMMAND...]   print the man page of the program or of a subcommand
//   --write-man-pages DIR        write NAME.1 for every command, removing stale NAME-*.1 pages
//   --completion bash|zsh        print a completion script
//   --write-completions DIR      write DIR/NAME.bash and DIR/_NAME
// Call it after every subcommand is registered and before App::parse. Returns true (and sets
// *exit_code) when argv asked for documentation.
bool HandleDocRequest(const CLI::App& root, const ProgramDoc& doc, int argc,
                      const char* const* argv, std::ostream& out, std::ostream& err,
                      int* exit_code);

}  // namespace trust::cli
