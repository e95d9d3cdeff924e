#include "tests/lsp/lsp_client.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <utility>

#include "tests/support/paths.h"
#include "tests/support/process.h"

namespace trust::lsp::lsp_test {
namespace {

using nlohmann::json;
constexpr int kTimeoutMs = 30000;

}  // namespace

Client::Client(const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv = {test_support::TrustcPath(), "lsp"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  test::PipedProcess server = test::SpawnWithPipes(argv);
  if (server.pid < 0) throw std::runtime_error("cannot start " + argv[0]);
  pid_ = server.pid;
  to_server_ = server.to_child;
  from_server_ = server.from_child;
  signal(SIGPIPE, SIG_IGN);
  reader_ = std::make_unique<Reader>(from_server_);
}

Client::~Client() {
  if (to_server_ >= 0) close(to_server_);
  if (from_server_ >= 0) close(from_server_);
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    test::WaitFor(pid_);
  }
}

void Client::Notify(const std::string& method, const json& params) {
  WriteMessage(to_server_, json{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}}.dump());
}

void Client::SendRaw(const std::string& bytes) {
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = write(to_server_, bytes.data() + written, bytes.size() - written);
    if (n <= 0) throw std::runtime_error("the server closed its input");
    written += static_cast<size_t>(n);
  }
}

std::optional<json> Client::Next() {
  std::string body;
  if (reader_->Read(kTimeoutMs, &body) != Reader::Status::kMessage) return std::nullopt;
  received_ = std::chrono::steady_clock::now();
  json message = json::parse(body);
  if (message.value("method", "") == "textDocument/publishDiagnostics") {
    diagnostics_[message["params"]["uri"]] = message["params"]["diagnostics"];
  }
  return message;
}

json Client::Request(const std::string& method, const json& params) {
  int id = next_id_++;
  WriteMessage(to_server_,
               json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}.dump());
  return Response(id);
}

json Client::Response(const json& id) {
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if ((*it)["id"] == id) {
      json found = std::move(*it);
      pending_.erase(it);
      return found;
    }
  }
  while (std::optional<json> message = Next()) {
    if (!message->contains("id") || message->contains("method")) continue;
    if ((*message)["id"] == id) return std::move(*message);
    pending_.push_back(std::move(*message));
  }
  throw std::runtime_error("no response to request " + id.dump());
}

json Client::NullIdError() { return Response(nullptr); }

json Client::WaitDiagnostics(const std::string& uri, bool (*accept)(const json&)) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
  if (diagnostics_.count(uri) && accept(diagnostics_[uri])) return diagnostics_[uri];
  while (std::chrono::steady_clock::now() < deadline) {
    std::optional<json> message = Next();
    if (!message) break;
    if (message->contains("id") && !message->contains("method")) pending_.push_back(*message);
    if (diagnostics_.count(uri) && accept(diagnostics_[uri])) return diagnostics_[uri];
  }
  throw std::runtime_error("no matching diagnostics for " + uri);
}

bool Client::Alive() {
  json response = Request("shutdown_probe_unknown_method", json::object());
  return response.contains("error");
}

int Client::Stop() {
  if (pid_ <= 0) return -1;
  json response = Request("shutdown", nullptr);
  if (!response.contains("result")) return -1;
  Notify("exit", nullptr);
  int status = test::WaitFor(pid_);
  pid_ = -1;
  return status;
}

}  // namespace trust::lsp::lsp_test
