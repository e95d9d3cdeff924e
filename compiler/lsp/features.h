// The language features, one function per LSP request. Each takes the request's params and
// returns its result; a malformed request throws (nlohmann::json::exception or
// std::invalid_argument) and the server answers with an error.
#pragma once

#include <nlohmann/json.hpp>

#include "compiler/lsp/workspace.h"

namespace trust::lsp {

nlohmann::json Hover(Workspace& workspace, const nlohmann::json& params);
nlohmann::json Definition(Workspace& workspace, const nlohmann::json& params);
nlohmann::json DocumentSymbols(Workspace& workspace, const nlohmann::json& params);
nlohmann::json Completion(Workspace& workspace, const nlohmann::json& params);
nlohmann::json Formatting(Workspace& workspace, const nlohmann::json& params);

}  // namespace trust::lsp
