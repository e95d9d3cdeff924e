// The parse cache (driver::LoadProgram with LoadOptions::parse_cache): a module that parsed
// without a word is kept under its text's key and decoded by the next load instead of parsed; a
// parse that reported anything is not kept; a kept tree that does not decode is parsed again.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "compiler/ast/ast_codec.h"
#include "compiler/driver/load.h"
#include "compiler/facts/facts_cache.h"
#include "compiler/parse/parse.h"
#include "tests/support/temp_tree.h"

namespace trust::driver {
namespace {

namespace fs = std::filesystem;

constexpr const char* kProducer = "trustc test";
constexpr const char* kMain =
    "import \"./lib.trust\"\n"
    "gateway g { trust lib.root { for ssl } }\n";
constexpr const char* kLib = "cert root { file \"root.pem\" }\n";

class ParseCacheTest : public testing::Test {
 protected:
  void SetUp() override {
    test::WriteFile(project_.path() / "main.trust", kMain);
    test::WriteFile(project_.path() / "lib.trust", kLib);
  }

  // One load, as a build does it: its own cache over the directory, flushed at the end.
  std::optional<sema::LoadedProgram> Load(diag::Emitter& emitter) {
    facts::FactsCache cache(cache_.path(), kProducer);
    LoadOptions options;
    options.root_path = (project_.path() / "main.trust").string();
    options.parse_cache = &cache;
    return LoadProgram(options, sources_, emitter);
  }

  test::TempDir project_{"trustc-parse-cache-project"};
  test::TempDir cache_{"trustc-parse-cache"};
  source::SourceManager sources_;
};

TEST_F(ParseCacheTest, ACleanParseIsKeptForTheNextLoad) {
  diag::Emitter emitter;
  ASSERT_TRUE(Load(emitter).has_value());
  EXPECT_TRUE(emitter.diagnostics().empty());
  facts::FactsCache later(cache_.path(), kProducer);
  EXPECT_TRUE(later.Recall(ParsedModuleKey(kMain)).has_value());
  EXPECT_TRUE(later.Recall(ParsedModuleKey(kLib)).has_value());
  EXPECT_FALSE(later.Recall(ParsedModuleKey(std::string(kLib) + " ")).has_value());
}

// Proof that a load decodes rather than parses: a tree kept under main's key, with a name the
// text does not have, is the tree it gets.
TEST_F(ParseCacheTest, ALoadDecodesTheKeptTree) {
  {
    source::SourceManager sources;
    source::FileId id = sources.Add("main.trust", kMain);
    diag::Emitter emitter;
    ast::Module tree = parse::Parse(sources.file(id), id, emitter);
    ASSERT_TRUE(emitter.diagnostics().empty());
    tree.decls.at(0).name.name = "from_the_cache";
    facts::FactsCache cache(cache_.path(), kProducer);
    cache.Store(ParsedModuleKey(kMain), ast::EncodeModule(tree, kMain));
  }
  diag::Emitter emitter;
  std::optional<sema::LoadedProgram> program = Load(emitter);
  ASSERT_TRUE(program.has_value());
  EXPECT_EQ(program->modules.at(0).ast.decls.at(0).name.name, "from_the_cache");
  EXPECT_EQ(program->modules.at(1).ast.decls.at(0).name.name, "root");
}

TEST_F(ParseCacheTest, AParseThatReportsIsNotKept) {
  std::string broken = "cert root { file \"root.pem\"\n";
  test::WriteFile(project_.path() / "lib.trust", broken);
  for (int load = 0; load < 2; ++load) {
    diag::Emitter emitter;
    std::optional<sema::LoadedProgram> program = Load(emitter);
    ASSERT_TRUE(program.has_value());
    EXPECT_TRUE(program->syntax_errors) << "load " << load;
    EXPECT_EQ(emitter.CountAtLeast(diag::Severity::Error), 1) << "load " << load;
  }
  facts::FactsCache later(cache_.path(), kProducer);
  EXPECT_FALSE(later.Recall(ParsedModuleKey(broken)).has_value());
  EXPECT_TRUE(later.Recall(ParsedModuleKey(kMain)).has_value());
}

TEST_F(ParseCacheTest, AKeptTreeThatDoesNotDecodeIsParsedAgain) {
  {
    facts::FactsCache cache(cache_.path(), kProducer);
    cache.Store(ParsedModuleKey(kLib), "trustc ast 1\nnot a tree");
  }
  diag::Emitter emitter;
  std::optional<sema::LoadedProgram> program = Load(emitter);
  ASSERT_TRUE(program.has_value());
  EXPECT_TRUE(emitter.diagnostics().empty());
  ASSERT_EQ(program->modules.at(1).ast.decls.size(), 1u);
  EXPECT_EQ(program->modules.at(1).ast.decls.at(0).name.name, "root");
}

TEST_F(ParseCacheTest, WithoutACacheEveryModuleIsParsed) {
  LoadOptions options;
  options.root_path = (project_.path() / "main.trust").string();
  diag::Emitter emitter;
  ASSERT_TRUE(LoadProgram(options, sources_, emitter).has_value());
  EXPECT_TRUE(fs::is_empty(cache_.path()));
}

}  // namespace
}  // namespace trust::driver
