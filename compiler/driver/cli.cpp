#include "compiler/driver/cli.h"

#include <iostream>

#include "compiler/driver/cli_support.h"
#include "runtime/cli/program_docs.h"

namespace trust::driver {

int RunCli(int argc, char** argv) {
  CLI::App app{"trustc: a policy-as-code compiler for certificate trust", "trustc"};
  app.set_version_flag("--version", std::string("trustc ") + TRUSTC_VERSION);
  app.require_subcommand(1);
  CommonFlags flags;
  CommandTable commands;
  AddCompileCommands(app, flags, commands);
  AddReviewCommands(app, flags, commands);
  AddImportCommands(app, flags, commands);
  AddLspCommands(app, flags, commands);
  // Hidden --help-man / --completion: keep right before parse, after every subcommand.
  if (int code = 0; trust::cli::HandleDocRequest(app, trust::cli::TrustcDoc(TRUSTC_VERSION), argc,
                                                 argv, std::cout, std::cerr, &code)) {
    return code;
  }
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
  }
  return 2;
}

}  // namespace trust::driver
