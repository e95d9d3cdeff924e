// `trustc lsp`: registers the language server as a subcommand (linked into trust_driver).
#include <unistd.h>

#include <csignal>
#include <cstdlib>

#include "compiler/driver/cli_support.h"
#include "compiler/lsp/server.h"

namespace trust::driver {

void AddLspCommands(CLI::App& app, CommonFlags& flags, CommandTable& table) {
  CLI::App* command = app.add_subcommand(
      "lsp", "Language server (LSP over stdin/stdout) for editors; see docs/editors.md");
  AddCommonFlags(*command, flags);
  // Clients such as vscode-languageclient may pass --stdio; stdio is the only transport.
  static bool stdio = true;  // accepted and ignored
  command->add_flag("--stdio", stdio, "Use stdin and stdout (the default and only transport)");
  table.push_back({command, [&flags] {
                     CompileOptions base = MakeOptions("", flags);
                     // Without --now or SOURCE_DATE_EPOCH, "days left" follows the clock of a
                     // long-running server rather than its start time.
                     bool refresh_clock =
                         flags.now.empty() && std::getenv("SOURCE_DATE_EPOCH") == nullptr;
                     // A client that goes away must end the server, not kill it mid-write.
                     std::signal(SIGPIPE, SIG_IGN);
                     return lsp::Server(base, refresh_clock, STDIN_FILENO, STDOUT_FILENO).Run();
                   }});
}

}  // namespace trust::driver
