// The language features, one function per LSP request. Each takes the request's params and
// returns its result; a malformed request throws (nlohmann::json::exception or
// std::invalid_argument) and the server answers with an error.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "compiler/lsp/workspace.h"

namespace trust::lsp {

// A request that is well-formed but cannot be answered (formatting a file with a syntax
// error): the server replies with LSP's RequestFailed and this message, which editors show.
struct RequestFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

nlohmann::json References(Workspace& workspace, const nlohmann::json& params);
nlohmann::json DocumentHighlight(Workspace& workspace, const nlohmann::json& params);
nlohmann::json Rename(Workspace& workspace, const nlohmann::json& params);
nlohmann::json CodeActions(Workspace& workspace, const nlohmann::json& params);
nlohmann::json ResolveCodeAction(Workspace& workspace, const nlohmann::json& action);
nlohmann::json CodeLenses(Workspace& workspace, const nlohmann::json& params);

// Shared by the feature files: the document, unit, module and offset a request points at.
struct Place {
  const Document* document = nullptr;
  const Unit* unit = nullptr;  // null when no compilation shows the document
  size_t module = 0;
  uint32_t offset = 0;  // in the compiled text of the module
};
const Document& DocumentOf(Workspace& workspace, const nlohmann::json& params);
Place Locate(Workspace& workspace, const nlohmann::json& params);
nlohmann::json RangeJson(const LineIndex& lines, source::SourceRange range);

nlohmann::json Hover(Workspace& workspace, const nlohmann::json& params);
nlohmann::json Definition(Workspace& workspace, const nlohmann::json& params);
// The outline (DocumentSymbol[]) as JSON text, written directly: the server keeps it as text.
std::string DocumentSymbolsText(Workspace& workspace, const nlohmann::json& params);
nlohmann::json Completion(Workspace& workspace, const nlohmann::json& params);
nlohmann::json Formatting(Workspace& workspace, const nlohmann::json& params);

}  // namespace trust::lsp
