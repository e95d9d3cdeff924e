#include "compiler/lsp/server.h"

#include <chrono>
#include <stdexcept>

#include "base/version.h"
#include "compiler/diag/json_text.h"
#include "compiler/lsp/features.h"
#include "compiler/lsp/transport.h"

namespace trust::lsp {
namespace {

using nlohmann::json;

// JSON-RPC and LSP error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
constexpr int kServerNotInitialized = -32002;
constexpr int kRequestFailed = -32803;

long long NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

json Capabilities() {
  return {{"textDocumentSync", {{"openClose", true}, {"change", 1}, {"save", true}}},
          {"hoverProvider", true},
          {"definitionProvider", true},
          {"documentSymbolProvider", true},
          {"documentFormattingProvider", true},
          {"referencesProvider", true},
          {"documentHighlightProvider", true},
          {"renameProvider", true},
          {"codeActionProvider",
           {{"resolveProvider", true},
            {"codeActionKinds", json::array({"quickfix", "source.format"})}}},
          {"codeLensProvider", {{"resolveProvider", false}}},
          {"completionProvider", {{"triggerCharacters", json::array({"."})}}}};
}

}  // namespace

Server::Server(driver::CompileOptions base, bool refresh_clock, int in_fd, int out_fd)
    : workspace_(std::move(base), refresh_clock), in_fd_(in_fd), out_fd_(out_fd) {}

int Server::Run() {
  Reader reader(in_fd_);
  while (!exit_code_) {
    int timeout = -1;
    if (dirty_) timeout = static_cast<int>(std::max(0LL, deadline_ms_ - NowMs()));
    std::string body;
    Reader::Status status = reader.Read(timeout, &body);
    if (status == Reader::Status::kEof) return shut_down_ ? 0 : 1;
    if (status == Reader::Status::kBadFrame) {
      ReplyError(nullptr, kParseError, "malformed message header or oversized message");
    } else if (status == Reader::Status::kMessage) {
      Handle(body);
    } else if (dirty_ && NowMs() >= deadline_ms_) {
      try {
        Publish();
      } catch (const std::exception&) {
        dirty_ = false;  // the next change tries again
      }
    }
  }
  return *exit_code_;
}

RpcError ErrorForException(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const RequestFailed& e) {
    return {kRequestFailed, e.what()};
  } catch (const json::exception& e) {
    return {kInvalidParams, e.what()};
  } catch (const std::invalid_argument& e) {
    return {kInvalidParams, e.what()};
  } catch (const std::exception& e) {
    return {kInternalError, std::string("internal error: ") + e.what()};
  } catch (...) {
    return {kInternalError, "internal error"};
  }
}

void Server::Handle(const std::string& body) {
  json message = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded()) {
    ReplyError(nullptr, kParseError, "the message is not JSON");
    return;
  }
  if (!message.is_object() || !message.contains("method") || !message["method"].is_string()) {
    // Responses to requests we never send, or junk: answer junk that carries an id.
    if (message.is_object() && message.contains("id") && !message.contains("result") &&
        !message.contains("error")) {
      ReplyError(message["id"], kInvalidRequest, "a request needs a method");
    }
    return;
  }
  Dispatch(message);
}

void Server::Dispatch(const json& message) {
  std::string method = message["method"];
  json params = message.contains("params") ? message["params"] : json::object();
  bool is_request = message.contains("id");
  json id = is_request ? message["id"] : json();
  try {
    if (!is_request) {
      Notification(method, params);
    } else if (!initialized_ && method != "initialize") {
      ReplyError(id, kServerNotInitialized, "initialize first");
    } else if (shut_down_) {
      ReplyError(id, kInvalidRequest, "the server is shutting down");
    } else if (IsCacheable(method)) {
      ReplyCached(id, method, params);
    } else if (std::optional<json> result = Request(method, params)) {
      Reply(id, std::move(*result));
    } else {
      ReplyError(id, kMethodNotFound, "unknown method " + method);
    }
  } catch (...) {
    // Half-typed input must never take the server down: answer and carry on.
    if (is_request) {
      RpcError error = ErrorForException(std::current_exception());
      ReplyError(id, error.code, error.message);
    }
  }
}

std::optional<json> Server::Request(const std::string& method, const json& params) {
  if (method == "initialize") {
    initialized_ = true;
    return json{{"capabilities", Capabilities()},
                {"serverInfo", {{"name", "trustc"}, {"version", TRUST_VERSION}}}};
  }
  if (method == "shutdown") {
    shut_down_ = true;
    return json(nullptr);
  }
  // Answers are computed on the latest text, not on what the debounce last saw.
  if (dirty_) Publish();
  if (method == "textDocument/hover") return Hover(workspace_, params);
  if (method == "textDocument/definition") return Definition(workspace_, params);
  if (method == "textDocument/completion") return Completion(workspace_, params);
  if (method == "textDocument/formatting") return Formatting(workspace_, params);
  if (method == "textDocument/references") return References(workspace_, params);
  if (method == "textDocument/documentHighlight") return DocumentHighlight(workspace_, params);
  if (method == "textDocument/rename") return Rename(workspace_, params);
  if (method == "textDocument/codeAction") return CodeActions(workspace_, params);
  if (method == "codeAction/resolve") return ResolveCodeAction(workspace_, params);
  if (method == "textDocument/codeLens") return CodeLenses(workspace_, params);
  return std::nullopt;
}

// The two requests whose results are kept until the next analysis, as JSON text: the outline
// is written as text directly (features.cpp, OutlineWriter), the formatting edits serialized by
// the library.
bool Server::IsCacheable(const std::string& method) {
  return method == "textDocument/documentSymbol" || method == "textDocument/formatting";
}

void Server::ReplyCached(const json& id, const std::string& method, const json& params) {
  if (dirty_) Publish();  // which empties the cache
  std::string key = method + '\n' + params.at("textDocument").at("uri").get<std::string>();
  auto cached = cached_results_.find(key);
  if (cached == cached_results_.end()) {
    std::string text = method == "textDocument/documentSymbol"
                           ? DocumentSymbolsText(workspace_, params)
                           : diag::JsonText(Formatting(workspace_, params), -1);
    cached = cached_results_.emplace(key, std::move(text)).first;
  }
  // Only the envelope is put together here; the id is serialized by the library.
  WriteMessage(out_fd_, R"({"jsonrpc":"2.0","id":)" + diag::JsonText(id, -1) + R"(,"result":)" +
                            cached->second + "}");
}

void Server::Notification(const std::string& method, const json& params) {
  if (method == "exit") {
    exit_code_ = shut_down_ ? 0 : 1;
    return;
  }
  if (!initialized_) return;
  if (method == "textDocument/didOpen") {
    const json& document = params.at("textDocument");
    workspace_.Open(document.at("uri"), document.at("text"), document.value("version", 0));
  } else if (method == "textDocument/didChange") {
    const json& document = params.at("textDocument");
    const json& changes = params.at("contentChanges");
    // Full sync: the last change holds the whole text.
    if (changes.empty()) return;
    workspace_.Open(document.at("uri"), changes.back().at("text"), document.value("version", 0));
  } else if (method == "textDocument/didClose") {
    workspace_.Close(params.at("textDocument").at("uri"));
  } else if (method != "textDocument/didSave") {
    return;  // initialized, $/cancelRequest, workspace/didChangeConfiguration, ...
  }
  dirty_ = true;
  deadline_ms_ = NowMs() + kDebounceMs;
}

void Server::Publish() {
  dirty_ = false;
  cached_results_.clear();
  for (auto& [uri, diagnostics] : workspace_.Analyze()) {
    Send({{"jsonrpc", "2.0"},
          {"method", "textDocument/publishDiagnostics"},
          {"params", {{"uri", uri}, {"diagnostics", diagnostics}}}});
  }
}

void Server::Send(const json& message) {
  // Replace invalid UTF-8 (a half-typed file can hold any bytes) instead of throwing.
  WriteMessage(out_fd_, diag::JsonText(message, -1));
}

void Server::Reply(const json& id, json result) {
  // Assigned, not put in an initializer list, which would copy a large result.
  json message = json::object();
  message["jsonrpc"] = "2.0";
  message["id"] = id;
  message["result"] = std::move(result);
  Send(message);
}

void Server::ReplyError(const json& id, int code, const std::string& message) {
  Send({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

}  // namespace trust::lsp
