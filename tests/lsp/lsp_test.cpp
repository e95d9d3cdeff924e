// `trustc lsp` driven by a scripted client over pipes, as an editor would drive it.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "compiler/lsp/features.h"
#include "compiler/lsp/server.h"
#include "compiler/lsp/text.h"
#include "tests/lsp/lsp_client.h"
#include "tests/support/paths.h"

namespace trust::lsp::lsp_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

json Position(const std::string& text, const std::string& needle, size_t skip = 0) {
  size_t at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  lsp::Position p = OffsetToPosition(text, static_cast<uint32_t>(at + skip));
  return {{"line", p.line}, {"character", p.character}};
}

bool NoErrors(const json& diagnostics) {
  for (const json& d : diagnostics) {
    if (d["severity"] == 1) return false;
  }
  return true;
}

bool HasError(const json& diagnostics) { return !NoErrors(diagnostics); }

bool RefusesFifo(const json& diagnostics) {
  return diagnostics.dump().find("is not a regular file") != std::string::npos;
}

class LspTest : public ::testing::Test {
 protected:
  // The servers keep standard library copies in $XDG_CACHE_HOME: a directory of the tests,
  // not the user's cache. Runs before the suite's first fixture (and its server) exists.
  static void SetUpTestSuite() {
    static const fs::path cache =
        fs::temp_directory_path() / ("trust_lsp_test_cache_" + std::to_string(getpid()));
    ::setenv("XDG_CACHE_HOME", cache.c_str(), 1);
  }
  static void TearDownTestSuite() {
    if (const char* cache = std::getenv("XDG_CACHE_HOME")) fs::remove_all(cache);
  }
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("trust_lsp_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::copy(fs::path(test_support::SourceDir()) / "examples/ca-im-scim", dir_,
             fs::copy_options::recursive);
    dir_ = fs::canonical(dir_);
    // A second module for cross-module navigation.
    fs::create_directories(dir_ / "lib");
    std::ofstream(dir_ / "lib/shared.trust")
        << "cert root_ca { file \"../certs/dev/endpoint-ca.pem\" }\n";
    std::ofstream(dir_ / "extra.trust") << "import \"./lib/shared\"\n\ngateway g2 {\n  trust "
                                           "shared.root_ca { anchor for ssl }\n}\n";
    main_ = ReadText(dir_ / "main.trust");
    main_uri_ = PathToUri((dir_ / "main.trust").string());
    json init = client_.Request("initialize", {{"processId", nullptr},
                                               {"rootUri", PathToUri(dir_.string())},
                                               {"capabilities", json::object()}});
    ASSERT_TRUE(init.contains("result")) << init.dump();
    ASSERT_TRUE(init["result"]["capabilities"]["hoverProvider"].get<bool>());
    client_.Notify("initialized", json::object());
  }
  void TearDown() override {
    client_.Stop();  // a graceful exit removes the server's read-only std copies
    fs::remove_all(dir_);
  }

  void Open(const std::string& uri, const std::string& text) {
    client_.Notify("textDocument/didOpen",
                   {{"textDocument",
                     {{"uri", uri}, {"languageId", "trust"}, {"version", 1}, {"text", text}}}});
  }
  void Change(const std::string& uri, const std::string& text, int version) {
    client_.Notify("textDocument/didChange",
                   {{"textDocument", {{"uri", uri}, {"version", version}}},
                    {"contentChanges", json::array({{{"text", text}}})}});
  }
  json At(const std::string& method, const std::string& uri, const json& position) {
    return client_.Request(method, {{"textDocument", {{"uri", uri}}}, {"position", position}});
  }

  fs::path dir_;
  std::string main_;
  std::string main_uri_;
  Client client_;
};

TEST_F(LspTest, PublishesDiagnosticsAtTheRightRangeAndClearsThem) {
  Open(main_uri_, main_);
  client_.WaitDiagnostics(main_uri_, NoErrors);
  std::string broken = main_;
  size_t at = broken.find("trust endpoint_ca {");
  broken.replace(at, 19, "trust endpoint_cb {");
  Change(main_uri_, broken, 2);
  json diagnostics = client_.WaitDiagnostics(main_uri_, HasError);
  json expected = Position(broken, "trust endpoint_cb {", 6);
  bool found = false;
  for (const json& d : diagnostics) {
    if (d["severity"] == 1 && d["range"]["start"] == expected) {
      found = true;
      EXPECT_EQ(d["range"]["end"]["character"], expected["character"].get<int>() + 11);
      EXPECT_NE(d["message"].get<std::string>().find("endpoint_cb"), std::string::npos);
    }
  }
  EXPECT_TRUE(found) << diagnostics.dump(2);
  Change(main_uri_, main_, 3);
  client_.WaitDiagnostics(main_uri_, NoErrors);
  EXPECT_EQ(client_.Stop(), 0);
}

TEST_F(LspTest, HoverShowsCertificateFacts) {
  Open(main_uri_, main_);
  json hover =
      At("textDocument/hover", main_uri_, Position(main_, "trust provisioning_ca from", 8));
  ASSERT_TRUE(hover["result"].is_object()) << hover.dump();
  std::string text = hover["result"]["contents"]["value"];
  EXPECT_NE(text.find("OU=Provisioning Services,O=Identity Management"), std::string::npos);
  EXPECT_NE(text.find("5dca5708831c980fb0887649f1a48ff55a2cdd790401b9a9ba46d73eaf75b2be"),
            std::string::npos);
  EXPECT_NE(text.find("days"), std::string::npos);
  EXPECT_NE(text.find("api_gateway"), std::string::npos) << text;  // where it is used
  // Short, and the same on every machine: no absolute paths, a handful of lines.
  EXPECT_EQ(text.find(dir_.string()), std::string::npos) << text;
  EXPECT_LE(std::count(text.begin(), text.end(), '\n'), 8) << text;
  // Other declarations: kind and place.
  hover = At("textDocument/hover", main_uri_, Position(main_, "gateway api_gateway", 10));
  EXPECT_NE(hover["result"]["contents"]["value"].get<std::string>().find("gateway"),
            std::string::npos);
}

TEST_F(LspTest, DefinitionAcrossModulesAndIntoTheStandardLibrary) {
  std::string extra = ReadText(dir_ / "extra.trust");
  std::string extra_uri = PathToUri((dir_ / "extra.trust").string());
  Open(extra_uri, extra);
  json location = At("textDocument/definition", extra_uri, Position(extra, "shared.root_ca", 9));
  ASSERT_TRUE(location["result"].is_object()) << location.dump();
  EXPECT_EQ(location["result"]["uri"], PathToUri((dir_ / "lib/shared.trust").string()));
  EXPECT_EQ(location["result"]["range"]["start"], (json{{"line", 0}, {"character", 5}}));

  Open(main_uri_, main_);
  location = At("textDocument/definition", main_uri_, Position(main_, "layer7.client_ca", 8));
  ASSERT_TRUE(location["result"].is_object()) << location.dump();
  std::string std_path = UriToPath(location["result"]["uri"].get<std::string>());
  EXPECT_TRUE(std_path.ends_with("layer7.trust")) << std_path;
  std::string std_text = ReadText(std_path);
  uint32_t offset = PositionToOffset(
      std_text, {location["result"]["range"]["start"]["line"].get<uint32_t>(),
                 location["result"]["range"]["start"]["character"].get<uint32_t>()});
  EXPECT_EQ(std_text.substr(offset, 9), "client_ca");
}

// The stdlib copies used to go to the predictable $TMPDIR/trustc-lsp-std-<pid>, reusing a
// directory someone else made and following links in it. Now: a fresh private directory.
TEST_F(LspTest, StdlibCopiesIgnoreAPlantedDirectory) {
  fs::path tmp = dir_ / "tmp";
  fs::create_directories(tmp);
  // The server inherits the environment: point it at our TMPDIR, then restore ours.
  const char* tmpdir = std::getenv("TMPDIR");
  const char* runtime_dir = std::getenv("XDG_RUNTIME_DIR");
  std::string saved_tmpdir = tmpdir ? tmpdir : "",
              saved_runtime_dir = runtime_dir ? runtime_dir : "";
  // And no lasting place (no cache directory): the private per-server copy is what is left.
  const char* cache = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  std::string saved_cache = cache ? cache : "", saved_home = home ? home : "";
  ::setenv("TMPDIR", tmp.c_str(), 1);
  ::unsetenv("XDG_RUNTIME_DIR");
  ::unsetenv("XDG_CACHE_HOME");
  ::unsetenv("HOME");
  Client server;
  tmpdir ? ::setenv("TMPDIR", saved_tmpdir.c_str(), 1) : ::unsetenv("TMPDIR");
  if (runtime_dir) ::setenv("XDG_RUNTIME_DIR", saved_runtime_dir.c_str(), 1);
  if (cache) ::setenv("XDG_CACHE_HOME", saved_cache.c_str(), 1);
  if (home) ::setenv("HOME", saved_home.c_str(), 1);
  fs::path planted = tmp / ("trustc-lsp-std-" + std::to_string(server.pid()));
  fs::create_directories(planted);
  fs::create_symlink(tmp / "created-elsewhere", planted / "layer7.trust");
  server.Request("initialize", {{"processId", nullptr},
                                {"rootUri", PathToUri(dir_.string())},
                                {"capabilities", json::object()}});
  server.Notify("initialized", json::object());
  server.Notify("textDocument/didOpen",
                {{"textDocument",
                  {{"uri", main_uri_}, {"languageId", "trust"}, {"version", 1}, {"text", main_}}}});
  json location = server.Request("textDocument/definition",
                                 {{"textDocument", {{"uri", main_uri_}}},
                                  {"position", Position(main_, "layer7.client_ca", 8)}});
  ASSERT_TRUE(location["result"].is_object()) << location.dump();
  fs::path std_path = UriToPath(location["result"]["uri"].get<std::string>());
  EXPECT_FALSE(fs::exists(tmp / "created-elsewhere"));
  EXPECT_NE(std_path.parent_path(), planted);
  EXPECT_EQ(std_path.parent_path().parent_path(), tmp);
  EXPECT_NE(ReadText(std_path).find("client_ca"), std::string::npos);
  struct stat st {};
  ASSERT_EQ(::lstat(std_path.parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);  // mkdtemp: nobody else can add files
  ASSERT_EQ(::lstat(std_path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0444u);
  EXPECT_EQ(server.Stop(), 0);
  EXPECT_FALSE(fs::exists(std_path.parent_path()));  // removed on a graceful exit
}

TEST_F(LspTest, SymbolsCompletionAndFormatting) {
  Open(main_uri_, main_);
  json symbols =
      client_.Request("textDocument/documentSymbol", {{"textDocument", {{"uri", main_uri_}}}});
  std::set<std::string> names;
  for (const json& s : symbols["result"]) names.insert(s["name"].get<std::string>());
  for (const char* name : {"stage", "gateway_ssl", "api_gateway", "connector_server"}) {
    EXPECT_TRUE(names.count(name)) << name << " in " << symbols.dump();
  }
  std::string messy = "cert   a {file \"x.pem\"}\n\n\n\ngateway g {trust a {anchor\n for ssl}}\n";
  std::string messy_uri = PathToUri((dir_ / "messy.trust").string());
  Open(messy_uri, messy);
  json edits = client_.Request("textDocument/formatting",
                               {{"textDocument", {{"uri", messy_uri}}},
                                {"options", {{"tabSize", 2}, {"insertSpaces", true}}}});
  ASSERT_TRUE(edits["result"].is_array()) << edits.dump();
  ASSERT_EQ(edits["result"].size(), 1u);
  std::string formatted = edits["result"][0]["newText"];
  EXPECT_NE(formatted.find("cert a {"), std::string::npos) << formatted;
  EXPECT_NE(formatted.find("\n  trust a {\n"), std::string::npos) << formatted;
}

// The outline is written as text without a JSON tree (features.cpp, OutlineWriter): the
// reply must still be the protocol's DocumentSymbol[], names escaped, "children" only where
// there are some, "detail" only on declarations.
TEST_F(LspTest, TheOutlineIsDocumentSymbolsWithEscapedNames) {
  std::string text =
      "param p = \"x\"\n"
      "cert a { file \"certs/none.pem\" }\n"
      "gateway g {\n"
      "  trust a { for ssl }\n"
      "  identity_provider idp {\n"
      "    credentials x509\n"
      "    user \"Zo\u00eb \\\"Q\\\"\" { dn \"CN=z\" }\n"
      "  }\n"
      "}\n";
  std::string uri = PathToUri((dir_ / "outline.trust").string());
  Open(uri, text);
  json reply = client_.Request("textDocument/documentSymbol", {{"textDocument", {{"uri", uri}}}});
  const json& symbols = reply["result"];
  ASSERT_EQ(symbols.size(), 3u) << reply.dump();
  EXPECT_EQ(symbols[0], json::parse(R"({"kind":14,"name":"p",
      "range":{"start":{"line":0,"character":0},"end":{"line":0,"character":13}},
      "selectionRange":{"start":{"line":0,"character":6},"end":{"line":0,"character":7}}})"));
  EXPECT_EQ(symbols[1]["detail"], "certificate");
  EXPECT_FALSE(symbols[1].contains("children"));
  const json& gateway = symbols[2];
  EXPECT_EQ(gateway["name"], "g");
  EXPECT_EQ(gateway["kind"], 2);
  EXPECT_EQ(gateway["selectionRange"], json::parse(R"({"start":{"line":2,"character":8},
      "end":{"line":2,"character":9}})"));
  ASSERT_EQ(gateway["children"].size(), 2u) << gateway.dump();
  EXPECT_EQ(gateway["children"][0]["name"], "trust a");
  EXPECT_FALSE(gateway["children"][0].contains("children"));
  EXPECT_FALSE(gateway["children"][0].contains("detail"));
  const json& provider = gateway["children"][1];
  EXPECT_EQ(provider["name"], "identity_provider idp");
  ASSERT_EQ(provider["children"].size(), 1u) << provider.dump();
  EXPECT_EQ(provider["children"][0]["name"], "user \"Zo\u00eb \\\"Q\\\"\"");
  EXPECT_EQ(provider["children"][0]["kind"], 8);
}

// The outline and the formatted text are kept between requests: an edit must replace them.
TEST_F(LspTest, AnEditReplacesTheKeptOutlineAndFormatting) {
  Open(main_uri_, main_);
  auto symbol_names = [&] {
    json reply =
        client_.Request("textDocument/documentSymbol", {{"textDocument", {{"uri", main_uri_}}}});
    std::set<std::string> names;
    for (const json& s : reply["result"]) names.insert(s["name"].get<std::string>());
    return names;
  };
  auto formatted = [&] {
    json reply =
        client_.Request("textDocument/formatting", {{"textDocument", {{"uri", main_uri_}}}});
    return reply["result"].empty() ? std::string()
                                   : reply["result"][0]["newText"].get<std::string>();
  };
  EXPECT_EQ(symbol_names().count("added_later"), 0u);
  EXPECT_EQ(symbol_names().count("added_later"), 0u);  // the kept answer
  std::string before = formatted();
  Change(main_uri_, main_ + "\ncert   added_later { file \"missing.pem\" }\n", 2);
  EXPECT_EQ(symbol_names().count("added_later"), 1u);
  std::string after = formatted();
  EXPECT_NE(after, before);
  EXPECT_NE(after.find("cert added_later {"), std::string::npos) << after;
}

// Labels and details offered at the end of `prefix`, typed as a new line before the gateway.
class CompletionTest : public LspTest {
 protected:
  std::map<std::string, std::string> At(const std::string& typed, const std::string& where) {
    std::string text = main_;
    size_t at = text.find(where);
    text.insert(at, typed);
    Change(main_uri_, text, ++version_);
    lsp::Position end = OffsetToPosition(text, static_cast<uint32_t>(at + typed.size()));
    json reply = LspTest::At("textDocument/completion", main_uri_,
                             {{"line", end.line}, {"character", end.character}});
    std::map<std::string, std::string> items;
    for (const json& item : reply["result"]["items"]) items[item["label"]] = item["detail"];
    return items;
  }
  int version_ = 1;
};

TEST_F(CompletionTest, OffersWhatTheGrammarAndScopeAllowHere) {
  Open(main_uri_, main_);
  const std::string in_trust = "    revocation off because";  // inside `trust provisioning_ca`
  const std::string in_gateway = "  // Outbound TLS";         // a new item of the gateway
  auto items = At("for ", in_trust);
  EXPECT_TRUE(items.count("ssl") && items.count("signing_client_certs"));
  EXPECT_FALSE(items.count("import") || items.count("cert") || items.count("gateway_ssl"));
  items = At("for ssl, ", in_trust);
  EXPECT_TRUE(items.count("saml_issuer"));
  items = At("allow ", in_trust);
  EXPECT_TRUE(items.count("revocation_off"));
  EXPECT_FALSE(items.count("ssl"));
  items = At("", in_gateway);
  EXPECT_TRUE(items.count("trust") && items.count("identity_provider"));
  EXPECT_FALSE(items.count("import") || items.count("file") || items.count("anchor"));
  items = At("trust ", in_gateway);
  ASSERT_TRUE(items.count("gateway_ssl"));
  EXPECT_NE(items["gateway_ssl"].find("expires"), std::string::npos) << items["gateway_ssl"];
  EXPECT_FALSE(items.count("api_gateway") || items.count("layer7.client_ca") ||
               items.count("ca_im.connector_server"));
  items = At("trust gateway_ssl from ", in_gateway);
  EXPECT_TRUE(items.count("layer7.client_ca"));
  EXPECT_FALSE(items.count("gateway_ssl"));
  items = At("trust gateway_ssl from layer7.", in_gateway);
  EXPECT_TRUE(items.count("client_ca") && items.count("server_ca"));
  items = At("", "cert endpoint_ca");
  EXPECT_TRUE(items.count("import") && items.count("cert") && items.count("gateway"));
  items = At("cert x { file \"certs/", "cert endpoint_ca");
  EXPECT_TRUE(items.count("dev/"));
  items = At("cert x { file \"certs/dev/", "cert endpoint_ca");
  EXPECT_TRUE(items.count("endpoint-ca.pem"));
  items = At("cert x { file \"certs/${", "cert endpoint_ca");
  EXPECT_TRUE(items.count("stage"));
  const std::string in_user = "      cert eta_server";  // a new item of the user block
  items = At("", in_user);
  EXPECT_TRUE(items.count("attach") && items.count("dn") && items.count("cert"));
  EXPECT_FALSE(items.count("anchor"));
  items = At("attach ", in_user);
  EXPECT_TRUE(items.count("gateway_ssl") && items.count("eta_server"));
}

TEST_F(LspTest, GarbageNeverKillsTheServer) {
  client_.SendRaw("Content-Length: 5\r\n\r\n{bad}");
  EXPECT_EQ(client_.NullIdError()["error"]["code"], -32700);
  client_.SendRaw("X-Nonsense: 1\r\n\r\n");
  EXPECT_EQ(client_.NullIdError()["error"]["code"], -32700);
  client_.SendRaw("Content-Length: 2\r\n\r\n[]");
  json unknown = client_.Request("textDocument/frobnicate", json::object());
  EXPECT_EQ(unknown["error"]["code"], -32601);
  EXPECT_NE(unknown["error"]["message"].get<std::string>().find("textDocument/frobnicate"),
            std::string::npos);
  json not_open =
      At("textDocument/hover", "file:///nowhere.trust", {{"line", 0}, {"character", 0}});
  EXPECT_TRUE(not_open.contains("error"));
  json bad_params = client_.Request("textDocument/hover", {{"textDocument", 42}});
  EXPECT_TRUE(bad_params.contains("error"));
  Open(main_uri_, main_);
  for (const json& junk :
       {json{{"textDocument", {{"uri", main_uri_}}}, {"position", {{"line", 0}}}},
        json{{"textDocument", {{"uri", main_uri_}}}, {"range", "x"}},
        json{{"title", "Format document"}, {"data", {{"format", 5}}}},
        json{{"data", {{"format", "file:///nowhere.trust"}}}}, json::array(), json(nullptr)}) {
    for (const char* method :
         {"textDocument/rename", "textDocument/codeAction", "codeAction/resolve",
          "textDocument/references", "textDocument/codeLens", "textDocument/documentHighlight"}) {
      json reply = client_.Request(method, junk);
      EXPECT_TRUE(reply.contains("result") || reply.contains("error")) << method << junk;
    }
  }
  // Half-typed documents: every prefix of the example, answered at every step.
  Open(main_uri_, "");
  for (size_t cut = 0; cut < main_.size(); cut += 97) {
    std::string half = main_.substr(0, cut);
    Change(main_uri_, half, static_cast<int>(cut) + 2);
    lsp::Position end = EndPosition(half);
    json position{{"line", end.line}, {"character", end.character}};
    for (const char* method :
         {"textDocument/hover", "textDocument/definition", "textDocument/completion",
          "textDocument/references", "textDocument/documentHighlight"}) {
      json response = At(method, main_uri_, position);
      ASSERT_TRUE(response.contains("result") || response.contains("error")) << method << cut;
    }
    json rename = client_.Request(
        "textDocument/rename",
        {{"textDocument", {{"uri", main_uri_}}}, {"position", position}, {"newName", "n"}});
    ASSERT_TRUE(rename.contains("result") || rename.contains("error")) << cut;
    json actions = client_.Request("textDocument/codeAction",
                                   {{"textDocument", {{"uri", main_uri_}}},
                                    {"range", {{"start", position}, {"end", position}}},
                                    {"context", {{"diagnostics", json::array()}}}});
    ASSERT_TRUE(actions.contains("result")) << actions.dump() << cut;
    for (const json& action : actions["result"]) {
      if (!action.contains("edit")) client_.Request("codeAction/resolve", action);
    }
    client_.Request("textDocument/codeLens", {{"textDocument", {{"uri", main_uri_}}}});
    client_.Request("textDocument/formatting", {{"textDocument", {{"uri", main_uri_}}}});
  }
  // A huge line, non-ASCII text and positions beyond the end of the text.
  Change(main_uri_,
         "cert x { file \"" + std::string(3 * 1024 * 1024, 'a') + "\u00e9\U0001F600\" }\n", 1000);
  json hover = At("textDocument/hover", main_uri_, {{"line", 99}, {"character", 9999}});
  EXPECT_TRUE(hover.contains("result")) << hover.dump().substr(0, 200);
  client_.WaitDiagnostics(main_uri_, HasError);
  // A FIFO as a certificate file would block a reader forever: it is refused instead.
  ASSERT_EQ(mkfifo((dir_ / "certs/dev/fifo.pem").c_str(), 0600), 0);
  Change(main_uri_, "cert f { file \"certs/dev/fifo.pem\" }\n", 1001);
  client_.WaitDiagnostics(main_uri_, RefusesFifo);
  EXPECT_TRUE(client_.Alive());
  EXPECT_EQ(client_.Stop(), 0);
}

// The standard library's copies are read-only and keep their path across a restart, so an
// editor's buffers and jump lists stay valid; a link planted in their place is not followed.
TEST_F(LspTest, StdlibCopiesAreStableAcrossRestarts) {
  fs::path cache = dir_ / "cache";
  auto definition = [&] {
    const char* saved = std::getenv("XDG_CACHE_HOME");
    std::string saved_value = saved ? saved : "";
    ::setenv("XDG_CACHE_HOME", cache.c_str(), 1);
    Client server;
    saved ? ::setenv("XDG_CACHE_HOME", saved_value.c_str(), 1) : ::unsetenv("XDG_CACHE_HOME");
    server.Request("initialize", {{"processId", nullptr}, {"capabilities", json::object()}});
    server.Notify(
        "textDocument/didOpen",
        {{"textDocument",
          {{"uri", main_uri_}, {"languageId", "trust"}, {"version", 1}, {"text", main_}}}});
    json location = server.Request("textDocument/definition",
                                   {{"textDocument", {{"uri", main_uri_}}},
                                    {"position", Position(main_, "layer7.client_ca", 8)}});
    EXPECT_EQ(server.Stop(), 0);
    return UriToPath(location["result"].value("uri", ""));
  };
  std::string first = definition();
  ASSERT_TRUE(first.starts_with((cache / "trustc" / "std-").string())) << first;
  EXPECT_TRUE(fs::exists(first));  // kept after the server exits
  struct stat st {};
  ASSERT_EQ(::lstat(first.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0444u);
  EXPECT_EQ(definition(), first);
  // A link in its place: refused, and the server falls back to a private copy.
  fs::remove(first);
  fs::create_symlink(dir_ / "elsewhere", first);
  std::string fallback = definition();
  EXPECT_NE(fallback, first);
  EXPECT_TRUE(fallback.ends_with("layer7.trust")) << fallback;
  EXPECT_FALSE(fs::exists(dir_ / "elsewhere"));
}

// An unrelated wrong name on first open: the certificate's facts and its uses still show.
TEST_F(LspTest, HoverAnswersInAFileWithAnUnrelatedErrorOnFirstOpen) {
  std::string broken = main_;
  broken.replace(broken.find("trust endpoint_ca {"), 19, "trust endpoint_cb {");
  Open(main_uri_, broken);
  client_.WaitDiagnostics(main_uri_, HasError);
  json hover =
      At("textDocument/hover", main_uri_, Position(broken, "trust provisioning_ca from", 8));
  ASSERT_TRUE(hover["result"].is_object()) << hover.dump();
  std::string text = hover["result"]["contents"]["value"];
  EXPECT_NE(text.find("OU=Provisioning Services"), std::string::npos) << text;
  EXPECT_NE(text.find("api_gateway"), std::string::npos) << text;
  EXPECT_NE(text.find("the program has errors"), std::string::npos) << text;
  json definition =
      At("textDocument/definition", main_uri_, Position(broken, "trust provisioning_ca", 8));
  EXPECT_TRUE(definition["result"].is_object()) << definition.dump();
  json symbols =
      client_.Request("textDocument/documentSymbol", {{"textDocument", {{"uri", main_uri_}}}});
  EXPECT_GE(symbols["result"].size(), 5u) << symbols.dump();
}

// Formatting a file with a syntax error is an error the editor shows, not a silent no-op.
TEST_F(LspTest, FormattingASyntaxErrorAnswersWithAnError) {
  std::string broken = main_ + "\ncert {\n";
  Open(main_uri_, broken);
  json answer =
      client_.Request("textDocument/formatting", {{"textDocument", {{"uri", main_uri_}}}});
  ASSERT_TRUE(answer.contains("error")) << answer.dump();
  EXPECT_EQ(answer["error"]["code"], -32803);
  EXPECT_NE(answer["error"]["message"].get<std::string>().find("syntax error on line"),
            std::string::npos)
      << answer.dump();
}

// Applies a WorkspaceEdit's edits for `uri` to `text`, last first so offsets stay valid.
std::string Apply(std::string text, const json& edit, const std::string& uri) {
  std::vector<json> edits(edit["changes"][uri].begin(), edit["changes"][uri].end());
  auto offset = [&](const json& p) {
    return PositionToOffset(text, {p["line"].get<uint32_t>(), p["character"].get<uint32_t>()});
  };
  std::sort(edits.begin(), edits.end(), [&](const json& a, const json& b) {
    return offset(a["range"]["start"]) > offset(b["range"]["start"]);
  });
  for (const json& e : edits) {
    uint32_t begin = offset(e["range"]["start"]);
    text.replace(begin, offset(e["range"]["end"]) - begin, e["newText"].get<std::string>());
  }
  return text;
}

size_t CountRule(const json& diagnostics, const std::string& rule) {
  size_t n = 0;
  for (const json& d : diagnostics) n += d.value("code", "") == rule ? 1 : 0;
  return n;
}

bool OneRevocationOff(const json& diagnostics) {
  return CountRule(diagnostics, "revocation_off") == 1;
}

class EditTest : public LspTest {
 protected:
  // The action titled `title` (a prefix) offered at `needle`, or null.
  json ActionAt(const std::string& text, const std::string& needle, const std::string& title) {
    json at = Position(text, needle);
    json reply =
        client_.Request("textDocument/codeAction", {{"textDocument", {{"uri", main_uri_}}},
                                                    {"range", {{"start", at}, {"end", at}}},
                                                    {"context", {{"diagnostics", json::array()}}}});
    for (const json& action : reply["result"]) {
      if (!action["title"].get<std::string>().starts_with(title)) continue;
      if (action.contains("edit")) return action;
      // Resolved on choice, as editors do.
      return client_.Request("codeAction/resolve", action)["result"];
    }
    ADD_FAILURE() << "no action " << title << " in " << reply.dump();
    return nullptr;
  }
  // Applies the action and re-checks: the new text compiles without errors.
  std::string ApplyAndRecheck(const std::string& text, const json& action) {
    if (action.is_null()) return text;
    std::string changed = Apply(text, action["edit"], main_uri_);
    Change(main_uri_, changed, ++version_);
    client_.WaitDiagnostics(main_uri_, NoErrors);
    return changed;
  }
  int version_ = 1;
};

TEST_F(EditTest, CodeActionsEditAndTheResultCompiles) {
  std::string text = main_;
  text.replace(text.find("trust endpoint_ca {"), 19, "trust endpoint_cb {");
  Open(main_uri_, text);
  client_.WaitDiagnostics(main_uri_, HasError);
  text = ApplyAndRecheck(text, ActionAt(text, "endpoint_cb", "Change to `endpoint_ca`"));
  EXPECT_NE(text.find("trust endpoint_ca {"), std::string::npos);

  // Pin: the file's SHA-256, which the compiler then checks against the file.
  text = ApplyAndRecheck(text, ActionAt(text, "cert eta_server", "Pin this certificate"));
  EXPECT_NE(text.find("cert eta_server { file \"certs/${stage}/eta_server.pem\" sha256 \""),
            std::string::npos)
      << text;

  // A reason: without one the line does not parse.
  std::string reason = "revocation off because \"endpoint CA publishes no CRL\"";
  text.replace(text.find(reason), reason.size(), "revocation off");
  Change(main_uri_, text, ++version_);
  client_.WaitDiagnostics(main_uri_, HasError);
  text = ApplyAndRecheck(text, ActionAt(text, "    revocation off\n", "Add a reason"));
  EXPECT_NE(text.find("revocation off because \"TODO: the reason\""), std::string::npos);

  // Waive: an `allow` in the trust, and the finding is gone there.
  size_t before = CountRule(client_.WaitDiagnostics(main_uri_, NoErrors), "revocation_off");
  text = ApplyAndRecheck(text,
                         ActionAt(text, "endpoint_ca {\n    anchor", "Waive revocation_off here"));
  EXPECT_NE(text.find("    allow revocation_off because \"TODO: why this is acceptable here\"\n"),
            std::string::npos)
      << text;
  ASSERT_EQ(before, 2u);  // provisioning_ca and endpoint_ca
  json after = client_.WaitDiagnostics(main_uri_, OneRevocationOff);
  EXPECT_TRUE(NoErrors(after)) << after.dump();

  // Format document: the action's edit is the formatter's.
  std::string messy = text;
  messy.replace(messy.find("cert endpoint_ca {"), 18, "cert   endpoint_ca    {");
  Change(main_uri_, messy, ++version_);
  text = ApplyAndRecheck(messy, ActionAt(messy, "cert ", "Format document"));
  EXPECT_NE(text.find("\ncert endpoint_ca {"), std::string::npos);
}

TEST_F(EditTest, ReferencesHighlightRenameAndLenses) {
  Open(main_uri_, main_);
  json refs = At("textDocument/references", main_uri_, Position(main_, "cert provisioning_ca", 6));
  EXPECT_EQ(refs["result"].size(), 3u) << refs.dump();  // declared, gateway trust, provider trust
  json highlights =
      At("textDocument/documentHighlight", main_uri_, Position(main_, "trust provisioning_ca", 7));
  EXPECT_EQ(highlights["result"].size(), 3u) << highlights.dump();

  std::string extra = ReadText(dir_ / "extra.trust");
  std::string extra_uri = PathToUri((dir_ / "extra.trust").string());
  std::string shared_uri = PathToUri((dir_ / "lib/shared.trust").string());
  Open(extra_uri, extra);
  json params{{"textDocument", {{"uri", extra_uri}}},
              {"position", Position(extra, "shared.root_ca", 8)},
              {"newName", "edge_ca"}};
  json rename = client_.Request("textDocument/rename", params);
  ASSERT_TRUE(rename["result"].is_object()) << rename.dump();
  EXPECT_EQ(Apply(extra, rename["result"], extra_uri).find("shared.edge_ca") != std::string::npos,
            true);
  EXPECT_EQ(Apply(ReadText(dir_ / "lib/shared.trust"), rename["result"], shared_uri),
            "cert edge_ca { file \"../certs/dev/endpoint-ca.pem\" }\n");
  // Into a clash, a keyword or the standard library: refused with a reason.
  json clash =
      client_.Request("textDocument/rename", {{"textDocument", {{"uri", main_uri_}}},
                                              {"position", Position(main_, "cert eta_server", 6)},
                                              {"newName", "endpoint_ca"}});
  ASSERT_TRUE(clash.contains("error")) << clash.dump();
  EXPECT_NE(clash["error"]["message"].get<std::string>().find("already declared"),
            std::string::npos);
  json keyword =
      client_.Request("textDocument/rename", {{"textDocument", {{"uri", main_uri_}}},
                                              {"position", Position(main_, "cert eta_server", 6)},
                                              {"newName", "gateway"}});
  EXPECT_TRUE(keyword.contains("error")) << keyword.dump();
  json std_rename =
      client_.Request("textDocument/rename", {{"textDocument", {{"uri", main_uri_}}},
                                              {"position", Position(main_, "layer7.client_ca", 8)},
                                              {"newName", "x"}});
  EXPECT_TRUE(std_rename.contains("error")) << std_rename.dump();

  json lenses = client_.Request("textDocument/codeLens", {{"textDocument", {{"uri", main_uri_}}}});
  std::string titles;
  for (const json& lens : lenses["result"])
    titles += lens["command"]["title"].get<std::string>() + "\n";
  EXPECT_NE(titles.find("expires in "), std::string::npos) << titles;
  EXPECT_NE(titles.find("used 2 times"), std::string::npos) << titles;  // gateway_ssl: 2 keystores
}

// A handler that fails inside a known method is our bug, not an unknown method: -32603 with
// the reason, never -32601 (which once answered any std::out_of_range). The client's bad
// params stay -32602, and a request that cannot be served -32803.
TEST(RpcErrorTest, EachKindOfFailureHasItsOwnCode) {
  RpcError bug = ErrorForException(std::make_exception_ptr(std::out_of_range("vector::at")));
  EXPECT_EQ(bug.code, -32603);
  EXPECT_EQ(bug.message, "internal error: vector::at");
  EXPECT_EQ(ErrorForException(std::make_exception_ptr(std::logic_error("x"))).code, -32603);
  EXPECT_EQ(ErrorForException(std::make_exception_ptr(42)).code, -32603);

  nlohmann::json params = nlohmann::json::object();
  try {
    (void)params.at("textDocument");
    FAIL() << "json::at did not throw";
  } catch (...) {
    EXPECT_EQ(ErrorForException(std::current_exception()).code, -32602);
  }
  EXPECT_EQ(ErrorForException(std::make_exception_ptr(std::invalid_argument("bad"))).code, -32602);
  EXPECT_EQ(ErrorForException(std::make_exception_ptr(RequestFailed("cannot format"))).code,
            -32803);
}

}  // namespace
}  // namespace trust::lsp::lsp_test
