// parse/tree_cache.h: a kept syntax tree is the tree the parser made, byte for byte and range
// for range; bytes that are not such a tree are refused, never guessed at; and the loader
// takes a kept tree instead of parsing.
#include "compiler/parse/tree_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "compiler/driver/load.h"
#include "compiler/facts/facts_cache.h"
#include "compiler/parse/parse.h"
#include "compiler/review/fmt.h"
#include "tests/support/temp_tree.h"

namespace trust::parse {
namespace {

namespace fs = std::filesystem;

struct Parsed {
  source::SourceManager sources;
  diag::Emitter emitter;
  source::FileId id = source::kNoFile;
  ast::Module module;
};

std::unique_ptr<Parsed> ParseText(const std::string& text) {
  auto parsed = std::make_unique<Parsed>();
  parsed->id = parsed->sources.Add("test.trust", text);
  parsed->module = Parse(parsed->sources.file(parsed->id), parsed->id, parsed->emitter);
  return parsed;
}

std::string ReadWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every golden program that parses cleanly: templates, imports, params, interpolations,
// comments, every kind of block.
std::vector<fs::path> CleanGoldenPrograms() {
  std::vector<fs::path> programs;
  for (const auto& entry : fs::directory_iterator(fs::path(TRUST_SOURCE_DIR) / "tests" / "golden")) {
    if (entry.path().extension() != ".trust") continue;
    if (ParseText(ReadWhole(entry.path()))->emitter.diagnostics().empty()) {
      programs.push_back(entry.path());
    }
  }
  std::sort(programs.begin(), programs.end());
  return programs;
}

TEST(TreeCache, AKeptTreeIsTheParsedTree) {
  std::vector<fs::path> programs = CleanGoldenPrograms();
  ASSERT_GT(programs.size(), 20u);
  for (const fs::path& program : programs) {
    SCOPED_TRACE(program.filename().string());
    std::string text = ReadWhole(program);
    auto parsed = ParseText(text);
    std::string bytes = EncodeTree(parsed->module);
    std::optional<ast::Module> decoded = DecodeTree(bytes, parsed->id, text.size());
    ASSERT_TRUE(decoded.has_value());
    // Every field the encoding carries comes back, and the formatter (which reads every node,
    // its ranges and the comments) prints the same program from either tree.
    EXPECT_EQ(EncodeTree(*decoded), bytes);
    EXPECT_EQ(review::Format(*decoded, text), review::Format(parsed->module, text));
    EXPECT_EQ(decoded->file, parsed->id);
    ASSERT_EQ(decoded->decls.size(), parsed->module.decls.size());
    for (size_t i = 0; i < decoded->decls.size(); ++i) {
      EXPECT_EQ(decoded->decls[i].range.begin, parsed->module.decls[i].range.begin);
      EXPECT_EQ(decoded->decls[i].range.end, parsed->module.decls[i].range.end);
      EXPECT_EQ(decoded->decls[i].range.file, parsed->id);
    }
  }
}

TEST(TreeCache, BytesThatAreNoTreeAreRefused) {
  std::string text = ReadWhole(fs::path(TRUST_SOURCE_DIR) / "tests" / "golden" / "defines.trust");
  auto parsed = ParseText(text);
  ASSERT_TRUE(parsed->emitter.diagnostics().empty());
  std::string bytes = EncodeTree(parsed->module);
  // Every proper prefix: a torn record.
  for (size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_FALSE(DecodeTree(bytes.substr(0, size), parsed->id, text.size())) << size;
  }
  // Trailing bytes, another magic, ranges past the end of a shorter text.
  EXPECT_FALSE(DecodeTree(bytes + "x", parsed->id, text.size()));
  EXPECT_FALSE(DecodeTree("x" + bytes.substr(1), parsed->id, text.size()));
  EXPECT_FALSE(DecodeTree(bytes, parsed->id, text.size() / 2));
  // Any single byte changed decodes to a tree or to nothing, never to a crash (the fuzz target
  // of the pack covers the rest).
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string changed = bytes;
    changed[i] = static_cast<char>(changed[i] ^ 0xFF);
    (void)DecodeTree(changed, parsed->id, text.size());
  }
}

TEST(TreeCache, TheKeyIsTheExactText) {
  EXPECT_EQ(TreeKey("cert a { file \"a.pem\" }"), TreeKey("cert a { file \"a.pem\" }"));
  // A blank moves every range after it: another tree.
  EXPECT_NE(TreeKey("cert a { file \"a.pem\" }"), TreeKey("cert a  { file \"a.pem\" }"));
  EXPECT_EQ(TreeKey("").size(), 32u);
}

// The loader takes the kept tree rather than parsing: a tree planted under a module's key (as
// only this user's cache could hold one) is what it loads.
TEST(TreeCache, TheLoaderReusesAKeptTree) {
  test::TempDir temp("trust-tree-cache");
  fs::path root = temp.path() / "main.trust";
  std::string text = "cert a { file \"a.pem\" }\n";
  std::ofstream(root) << text;
  fs::path cache_dir = temp.path() / "cache";
  auto load = [&](facts::FactsCache& cache) {
    source::SourceManager sources;
    diag::Emitter emitter;
    auto loaded = driver::LoadProgram({root.string(), std::nullopt, false, nullptr, &cache},
                                      sources, emitter);
    EXPECT_TRUE(emitter.diagnostics().empty());
    return loaded->modules[0].ast.decls.at(0).name.name;
  };
  {
    facts::FactsCache cache(cache_dir, "trustc test");
    EXPECT_EQ(load(cache), "a");
  }  // flushed
  {
    // What the loader kept is this text's tree, and a load with it gives the same module.
    facts::FactsCache cache(cache_dir, "trustc test");
    std::optional<std::string> kept = cache.StoredBytes(TreeKey(text));
    ASSERT_TRUE(kept.has_value());
    auto parsed = ParseText(text);
    EXPECT_EQ(*kept, EncodeTree(parsed->module));
    EXPECT_EQ(load(cache), "a");
  }
  // Another program's tree of the same length, kept under this text's key in a new cache.
  fs::path planted_dir = temp.path() / "planted";
  {
    auto other = ParseText("cert b { file \"a.pem\" }\n");
    facts::FactsCache cache(planted_dir, "trustc test");
    cache.StoreBytes(TreeKey(text), EncodeTree(other->module));
  }
  facts::FactsCache cache(planted_dir, "trustc test");
  EXPECT_EQ(load(cache), "b");
}

}  // namespace
}  // namespace trust::parse
