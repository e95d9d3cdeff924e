// Latencies of `trustc lsp` on a generated file of about 10,000 lines, over pipes as an editor
// talks to it. Prints the median and the worst of each request until its reply has arrived,
// and the same until this client has parsed the reply; measures, never judges.
//   bench_lsp LINES CERT_DIR   (run by tests/bench/lsp/bench_lsp.sh, which makes CERT_DIR)
// The program: LINES/6 certificates of 5 lines each (c0.pem, c1.pem, ... in CERT_DIR: the
// gateway refuses the same certificate twice) and a gateway that trusts every one of them on
// a line of its own, so every name is declared and used.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "compiler/lsp/text.h"
#include "tests/lsp/lsp_client.h"

namespace trust::lsp::lsp_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kRuns = 15;

std::string Program(int lines) {
  int certs = lines / 6;
  std::string text = "import \"std/layer7\"\n\n";
  for (int i = 0; i < certs; ++i) {
    std::string n = std::to_string(i);
    text += "cert c" + n + " {\n  file \"certs/c" + n + ".pem\"\n  name \"C " + n +
            "\"  // certificate " + n + "\n}\n\n";
  }
  text += "gateway g {\n";
  for (int i = 0; i < certs; ++i) text += "  trust c" + std::to_string(i) + " { anchor for ssl }\n";
  return text + "}\n";
}

json At(const std::string& uri, const std::string& text, size_t offset) {
  Position p = OffsetToPosition(text, static_cast<uint32_t>(offset));
  return {{"textDocument", {{"uri", uri}}},
          {"position", {{"line", p.line}, {"character", p.character}}}};
}

double Ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

double Median(std::vector<double>& samples) {
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

// Two figures per request: until the reply had arrived whole (the server's latency, what an
// editor waits for before its own JSON parser runs), and until this client had parsed it too
// (nlohmann's parser; an editor's is usually faster).
struct Samples {
  std::vector<double> received, parsed;
  void Add(Clock::time_point start, Clock::time_point received_at) {
    received.push_back(std::chrono::duration<double, std::milli>(received_at - start).count());
    parsed.push_back(Ms(start));
  }
};

void Report(const char* what, std::vector<double> samples) {
  double median = Median(samples);
  std::printf("%-44s median %8.1f ms   max %8.1f ms   (%zu runs)\n", what, median, samples.back(),
              samples.size());
}

void Report(const char* what, Samples samples) {
  double received = Median(samples.received), parsed = Median(samples.parsed);
  std::printf("%-44s median %8.1f ms   max %8.1f ms   (%zu runs; parsed: %.1f / %.1f ms)\n", what,
              received, samples.received.back(), samples.received.size(), parsed,
              samples.parsed.back());
}

// A reply without a result (or with a null or empty one) ends the run: a fast wrong answer is
// no measurement.
void ExpectResult(const char* what, const json& reply) {
  if (!reply.contains("result") || reply["result"].is_null() || reply["result"].empty()) {
    std::fprintf(stderr, "%s failed: %s\n", what, reply.dump().substr(0, 300).c_str());
    std::exit(1);
  }
}

// Times `request` kRuns times.
template <typename F>
void Time(const char* what, const Client& client, F request) {
  Samples samples;
  for (int i = 0; i < kRuns; ++i) {
    auto start = Clock::now();
    json reply = request();
    samples.Add(start, client.received());
    ExpectResult(what, reply);
  }
  Report(what, samples);
}

// Times `request` right after an edit has been analysed, when nothing computed for the old
// text can be reused: the edit alternately adds and removes a comment at the end.
template <typename F>
void TimeAfterEdit(const char* what, Client& client, const std::string& uri,
                   const std::string& text, int& version, F request) {
  Samples samples;
  for (int i = 0; i < kRuns; ++i) {
    std::string edited = i % 2 == 0 ? text + "// edited\n" : text;
    client.ForgetDiagnostics(uri);
    client.Notify("textDocument/didChange",
                  {{"textDocument", {{"uri", uri}, {"version", ++version}}},
                   {"contentChanges", json::array({{{"text", edited}}})}});
    client.WaitDiagnostics(uri, [](const json&) { return true; });
    auto start = Clock::now();
    json reply = request();
    samples.Add(start, client.received());
    ExpectResult(what, reply);
  }
  Report(what, samples);
}

bool HasError(const json& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const json& d) { return d["severity"] == 1; });
}
bool NoError(const json& diagnostics) { return !HasError(diagnostics); }

int Run(int lines, const fs::path& cert_dir) {
  fs::path dir = fs::temp_directory_path() / ("trust_bench_lsp_" + std::to_string(getpid()));
  fs::remove_all(dir);
  // Copies, not a link: a certificate behind a link out of the project is refused.
  fs::create_directories(dir);
  fs::copy(cert_dir, dir / "certs", fs::copy_options::recursive);
  std::string text = Program(lines);
  std::ofstream(dir / "main.trust") << text;
  std::string uri = PathToUri((dir / "main.trust").string());
  std::printf("trustc lsp on a generated file of %zu lines (%zu bytes)\n",
              static_cast<size_t>(std::count(text.begin(), text.end(), '\n')), text.size());

  // The server's standard library copies go with the rest, not into the user's cache.
  ::setenv("XDG_CACHE_HOME", (dir / "cache").c_str(), 1);
  Client client;
  client.Request("initialize", {{"processId", nullptr}, {"capabilities", json::object()}});
  client.Notify("initialized", json::object());
  auto open_start = Clock::now();
  client.Notify(
      "textDocument/didOpen",
      {{"textDocument", {{"uri", uri}, {"languageId", "trust"}, {"version", 1}, {"text", text}}}});
  client.WaitDiagnostics(uri, NoError);
  std::printf("%-44s %8.1f ms\n", "open: diagnostics published", Ms(open_start));

  // Diagnostics after the last change: alternately break and repair one name, and time from
  // sending the change to the publication that reflects it (the 200 ms debounce included).
  size_t use = text.rfind("trust c");
  std::string broken = text;
  broken.replace(use, 8, "trust x");
  std::vector<double> publish;
  for (int i = 0; i < kRuns + 1; ++i) {  // an even count: the text ends repaired
    bool breaking = i % 2 == 0;
    auto start = Clock::now();
    client.Notify("textDocument/didChange",
                  {{"textDocument", {{"uri", uri}, {"version", i + 2}}},
                   {"contentChanges", json::array({{{"text", breaking ? broken : text}}})}});
    client.WaitDiagnostics(uri, breaking ? HasError : NoError);
    publish.push_back(Ms(start));
  }
  Report("diagnostics after the last change", publish);

  size_t last_cert = text.rfind("cert c") + 6;
  size_t last_trust = text.rfind("trust c") + 7;
  size_t in_trust = text.rfind("for ssl") + 4;
  Time("hover (last certificate)", client,
       [&] { return client.Request("textDocument/hover", At(uri, text, last_cert)); });
  Time("definition (last trust)", client,
       [&] { return client.Request("textDocument/definition", At(uri, text, last_trust)); });
  Time("references (last certificate)", client, [&] {
    json params = At(uri, text, last_cert);
    params["context"] = {{"includeDeclaration", true}};
    return client.Request("textDocument/references", params);
  });
  Time("document highlight", client,
       [&] { return client.Request("textDocument/documentHighlight", At(uri, text, last_trust)); });
  Time("completion (after `for `, last line)", client,
       [&] { return client.Request("textDocument/completion", At(uri, text, in_trust)); });
  Time("completion (after `trust `, all certificates)", client,
       [&] { return client.Request("textDocument/completion", At(uri, text, last_trust)); });
  auto symbols = [&] {
    return client.Request("textDocument/documentSymbol", {{"textDocument", {{"uri", uri}}}});
  };
  Time("document symbols (repeated)", client, symbols);
  Time("code lens", client, [&] {
    return client.Request("textDocument/codeLens", {{"textDocument", {{"uri", uri}}}});
  });
  Time("code action (on the last certificate)", client, [&] {
    Position p = OffsetToPosition(text, static_cast<uint32_t>(last_cert));
    json at{{"line", p.line}, {"character", p.character}};
    return client.Request("textDocument/codeAction",
                          {{"textDocument", {{"uri", uri}}},
                           {"range", {{"start", at}, {"end", at}}},
                           {"context", {{"diagnostics", json::array()}}}});
  });
  auto formatting = [&] {
    return client.Request("textDocument/formatting", {{"textDocument", {{"uri", uri}}}});
  };
  Time("formatting (repeated)", client, formatting);
  int version = kRuns + 2;
  TimeAfterEdit("document symbols (first after an edit)", client, uri, text, version, symbols);
  TimeAfterEdit("formatting (first after an edit)", client, uri, text, version, formatting);
  client.Stop();
  fs::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace trust::lsp::lsp_test

int main(int argc, char** argv) {
  if (argc != 3 || std::atoi(argv[1]) <= 0) {
    std::fprintf(stderr, "usage: bench_lsp LINES CERT_DIR\n");
    return 2;
  }
  return trust::lsp::lsp_test::Run(std::atoi(argv[1]), argv[2]);
}
