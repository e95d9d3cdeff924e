#include "compiler/lsp/lsp_command.h"

#include <unistd.h>

#include <csignal>
#include <cstdlib>

#include "compiler/lsp/server.h"

namespace trust::lsp {

void AddLspCommand(CLI::App& app, driver::CommonFlags& flags, driver::CommandTable& table) {
  CLI::App* command = app.add_subcommand(
      "lsp", "Language server (LSP over stdin/stdout) for editors; see docs/editors.md");
  driver::AddCommonFlags(*command, flags);
  // Clients such as vscode-languageclient may pass --stdio; stdio is the only transport.
  static bool stdio = true;  // accepted and ignored
  command->add_flag("--stdio", stdio, "Use stdin and stdout (the default and only transport)");
  table.push_back({command, [&flags] {
                     driver::CompileOptions base = driver::MakeOptions("", flags);
                     // Without --now or SOURCE_DATE_EPOCH, "days left" follows the clock of a
                     // long-running server rather than its start time.
                     bool refresh_clock =
                         flags.now.empty() && std::getenv("SOURCE_DATE_EPOCH") == nullptr;
                     // A client that goes away must end the server, not kill it mid-write.
                     std::signal(SIGPIPE, SIG_IGN);
                     return Server(base, refresh_clock, STDIN_FILENO, STDOUT_FILENO).Run();
                   }});
}

}  // namespace trust::lsp
