// `trustc lsp`: the Language Server Protocol over stdio, single-threaded. Diagnostics are
// recomputed once the client has been quiet for kDebounceMs after a change, or at once before
// answering a request that needs them.
#pragma once

#include <exception>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "compiler/driver/pipeline.h"
#include "compiler/lsp/workspace.h"

namespace trust::lsp {

// Short enough that a 10,000-line file (about 100 ms to compile) shows its diagnostics within
// 300 ms of the last keystroke; long enough not to recompile between keystrokes.
inline constexpr int kDebounceMs = 150;

// The JSON-RPC error that answers a request whose handler threw `error`: the client's fault
// (bad params: -32602; a request that cannot be served: -32803) or ours (anything else, say
// an .at() out of range: -32603 "internal error"). Never -32601, which only an unknown method
// gets.
struct RpcError {
  int code;
  std::string message;
};
RpcError ErrorForException(const std::exception_ptr& error);

class Server {
 public:
  Server(driver::CompileOptions base, bool refresh_clock, int in_fd, int out_fd);
  // Serves until `exit` or end of input; the process exit code (0 after `shutdown`).
  int Run();

 private:
  void Handle(const std::string& body);
  void Dispatch(const nlohmann::json& message);
  // The result of a request; nothing for a method the server does not know.
  std::optional<nlohmann::json> Request(const std::string& method, const nlohmann::json& params);
  void Notification(const std::string& method, const nlohmann::json& params);
  // Replies that depend only on the analysed text (an outline, the formatted file) are kept
  // until the next analysis: editors ask for the outline again on every cursor move, and a
  // 10,000-line file's outline is most of a megabyte of JSON.
  static bool IsCacheable(const std::string& method);
  void ReplyCached(const nlohmann::json& id, const std::string& method,
                   const nlohmann::json& params);
  void Publish();
  void Send(const nlohmann::json& message);
  void Reply(const nlohmann::json& id, nlohmann::json result);
  void ReplyError(const nlohmann::json& id, int code, const std::string& message);

  Workspace workspace_;
  int in_fd_;
  int out_fd_;
  bool initialized_ = false;
  bool shut_down_ = false;
  std::optional<int> exit_code_;
  bool dirty_ = false;  // documents changed since the last analysis
  long long deadline_ms_ = 0;
  std::map<std::string, std::string> cached_results_;  // method + uri -> serialized result
};

}  // namespace trust::lsp
