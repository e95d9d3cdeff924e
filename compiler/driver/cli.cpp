#include "compiler/driver/cli.h"

#include <iostream>
#include <string>
#include <vector>

#include "base/version.h"
#include "compiler/driver/cli_support.h"
#include "compiler/driver/program_doc.h"
#include "compiler/lsp/lsp_command.h"
#include "runtime/x509/certificate.h"

namespace trust::driver {
namespace {

// `trustc nosuchcmd`: name the command (CLI11 alone says "A subcommand is required"). trustc's
// own options take no value, so the first word that is not an option is the command.
bool RejectUnknownCommand(const CLI::App& app, int argc, char** argv, int* code) {
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word.starts_with("-")) continue;
    std::vector<std::string> names;
    for (const CLI::App* command : app.get_subcommands({})) {
      if (command->get_name() == word) return false;
      if (!command->get_group().empty()) names.push_back(command->get_name());  // not hidden
    }
    std::cerr << "trustc: unknown command '" << word << "'\ncommands:";
    for (const std::string& name : names) std::cerr << " " << name;
    std::cerr << "\nRun with --help for more information.\n";
    *code = 2;
    return true;
  }
  return false;
}

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App app{"trustc: a policy-as-code compiler for certificate trust", "trustc"};
  app.set_version_flag("--version", std::string("trustc ") + TRUST_VERSION);
  app.require_subcommand(1);
  CommonFlags flags;
  CommandTable commands;
  AddCompileCommands(app, flags, commands);
  AddReviewCommands(app, flags, commands);
  AddImportCommands(app, flags, commands);
  lsp::AddLspCommand(app, flags, commands);
  // Hidden --help-man / --completion: keep right before parse, after every subcommand.
  if (int code = 0; trust::cli::HandleDocRequest(app, trust::cli::TrustcDoc(TRUST_VERSION), argc,
                                                 argv, std::cout, std::cerr, &code)) {
    return code;
  }
  if (int code = 0; RejectUnknownCommand(app, argc, argv, &code)) return code;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;  // usage error, whatever CLI11's own code
  }
  try {
    for (const Command& command : commands) {
      if (command.app->parsed()) return command.run();
    }
  } catch (const UsageError& e) {
    std::cerr << "trustc: error: " << e.message << "\n";
    return 2;
  } catch (const x509::DerUnavailable& e) {
    // Unwinding removed any staging directory: nothing was written.
    std::cerr << "trustc: error: " << e.what() << "\n";
    return 1;
  }
  return 2;
}

}  // namespace trust::driver
