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

nlohmann::json Hover(Workspace& workspace, const nlohmann::json& params);
nlohmann::json Definition(Workspace& workspace, const nlohmann::json& params);
nlohmann::json DocumentSymbols(Workspace& workspace, const nlohmann::json& params);
nlohmann::json Completion(Workspace& workspace, const nlohmann::json& params);
nlohmann::json Formatting(Workspace& workspace, const nlohmann::json& params);

}  // namespace trust::lsp
