// A scripted LSP client for tests: runs `trustc lsp` with pipes, sends requests and
// notifications, and collects the diagnostics the server publishes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "compiler/lsp/transport.h"

namespace trust::lsp::lsp_test {

class Client {
 public:
  explicit Client(const std::vector<std::string>& extra_args = {});
  ~Client();

  void Notify(const std::string& method, const nlohmann::json& params);
  void SendRaw(const std::string& bytes);
  // Sends a request and waits for its response (the whole message: result or error).
  nlohmann::json Request(const std::string& method, const nlohmann::json& params);
  // Waits for a response with `id` to something sent with SendRaw.
  nlohmann::json Response(const nlohmann::json& id);
  // Waits until the latest diagnostics published for `uri` satisfy `accept`.
  // Forgets what was last published for `uri`, so that WaitDiagnostics waits for the next
  // publication even when it would say the same.
  void ForgetDiagnostics(const std::string& uri) { diagnostics_.erase(uri); }
  nlohmann::json WaitDiagnostics(const std::string& uri,
                                 bool (*accept)(const nlohmann::json& diagnostics));
  // The next message with an error and a null id (answers to unparseable input).
  nlohmann::json NullIdError();
  // Sends shutdown and exit; the server's exit status.
  int Stop();
  bool Alive();
  pid_t pid() const { return pid_; }
  // When the last message read had arrived whole, before it was parsed: what the server's
  // latency is measured to (a benchmark separates it from this client's own JSON parsing).
  std::chrono::steady_clock::time_point received() const { return received_; }

 private:
  std::optional<nlohmann::json> Next();  // nullopt on timeout or end of output

  pid_t pid_ = -1;
  int to_server_ = -1;
  int from_server_ = -1;
  std::unique_ptr<Reader> reader_;
  int next_id_ = 1;
  std::map<std::string, nlohmann::json> diagnostics_;
  std::vector<nlohmann::json> pending_;  // responses read while waiting for something else
  std::chrono::steady_clock::time_point received_;
};

}  // namespace trust::lsp::lsp_test
