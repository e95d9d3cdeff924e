// trustc fmt: golden layouts of messy inputs; on every example and clean golden program,
// idempotence, comments kept, and meaning kept (artifacts byte-identical before and after);
// the --check / --write / stdout modes of the command.
#include "compiler/review/fmt.h"

#include <algorithm>
#include <set>

#include "compiler/artifacts/artifacts.h"
#include "compiler/parse/parse.h"
#include "tests/review/support.h"

namespace trust::review_test {
namespace {

std::optional<std::string> Fmt(const fs::path& path, const std::string& text) {
  source::SourceManager sources;
  diag::Emitter emitter;
  std::string error;
  auto out = review::FormatSource(path.filename().string(), text, sources, emitter, &error);
  EXPECT_TRUE(error.empty()) << error;
  return out;
}

std::vector<fs::path> FmtFixtures() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(ReviewDir() / "fmt")) {
    if (entry.path().extension() == ".trust") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Root programs: every examples/**/*.trust and every tests/golden/*.trust not named fail_*.
std::vector<fs::path> RootPrograms() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(SourceDir() / "examples")) {
    if (entry.path().extension() == ".trust") files.push_back(entry.path());
  }
  for (const auto& entry : fs::directory_iterator(SourceDir() / "tests" / "golden")) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".trust" && !name.starts_with("fail_")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::multiset<std::string> Comments(const std::string& text) {
  source::SourceManager sources;
  diag::Emitter emitter;
  source::FileId id = sources.Add("x.trust", text);
  std::multiset<std::string> comments;
  for (const auto& c : parse::Parse(sources.file(id), id, emitter).comments)
    comments.insert(c.text);
  return comments;
}

TEST(Fmt, GoldenLayoutsOfMessyInputs) {
  std::vector<fs::path> fixtures = FmtFixtures();
  ASSERT_GE(fixtures.size(), 3u);
  for (const fs::path& input : fixtures) {
    SCOPED_TRACE(input.string());
    std::optional<std::string> formatted = Fmt(input, ReadText(input));
    ASSERT_TRUE(formatted.has_value());
    ExpectGolden(fs::path(input).replace_extension(".formatted"), *formatted);
    EXPECT_EQ(Fmt(input, *formatted), formatted) << "not idempotent";
    EXPECT_EQ(Comments(ReadText(input)), Comments(*formatted)) << "comments lost";
  }
}

TEST(Fmt, IdempotentAndKeepsCommentsOnEveryProgram) {
  std::vector<fs::path> roots = RootPrograms();
  ASSERT_FALSE(roots.empty());
  for (const fs::path& root : roots) {
    SCOPED_TRACE(root.string());
    std::string text = ReadText(root);
    std::optional<std::string> once = Fmt(root, text);
    ASSERT_TRUE(once.has_value());
    EXPECT_EQ(Fmt(root, *once), once) << "fmt of fmt differs";
    EXPECT_EQ(Comments(text), Comments(*once));
  }
}

// Flags of a golden program's first line `// args: ...` (as tests/golden/golden_test.cpp reads
// them); --werror does not matter here.
driver::CompileOptions OptionsFor(const fs::path& root, const std::string& text) {
  driver::CompileOptions options;
  options.build_time = kNow;
  std::string first_line = text.substr(0, text.find('\n'));
  if (!first_line.starts_with("// args:")) return options;
  std::istringstream args(first_line.substr(8));
  for (std::string arg; args >> arg;) {
    if (arg == "-D" && args >> arg) {
      options.defines[arg.substr(0, arg.find('='))] = arg.substr(arg.find('=') + 1);
    } else if (arg == "--allow-outside-root") {
      options.allow_outside_root = true;
    }
  }
  (void)root;
  return options;
}

std::optional<artifacts::ArtifactSet> Build(driver::CompileOptions options, const fs::path& file) {
  options.root_path = file.string();
  auto compilation = driver::Compile(options);
  if (!compilation->program) return std::nullopt;
  // The root file's name is written into the artifacts; the formatted copy has another name.
  compilation->program->root_source = "main.trust";
  return artifacts::Collect(*compilation->program, "trustc test");
}

// The formatted text is written beside the original (a name not ending in .trust, so that no
// golden scanner picks it up), so imports and certificate files resolve alike; both builds must
// give byte-identical artifacts.
TEST(Fmt, KeepsMeaningOnEveryProgram) {
  for (const fs::path& root : RootPrograms()) {
    SCOPED_TRACE(root.string());
    std::string text = ReadText(root);
    std::optional<std::string> formatted = Fmt(root, text);
    ASSERT_TRUE(formatted.has_value());
    fs::path copy = root.parent_path() / ("." + root.filename().string() + ".fmt-test");
    WriteText(copy, *formatted);
    driver::CompileOptions options = OptionsFor(root, text);
    std::optional<artifacts::ArtifactSet> before = Build(options, root);
    std::optional<artifacts::ArtifactSet> after = Build(options, copy);
    fs::remove(copy);
    ASSERT_TRUE(before.has_value()) << "does not compile";
    ASSERT_TRUE(after.has_value()) << "the formatted program does not compile";
    EXPECT_TRUE(*before == *after) << "formatting changed the artifacts";
  }
}

TEST(Fmt, ExampleIsFormatted) {
  fs::path example = SourceDir() / "examples" / "ca-im-scim" / "main.trust";
  EXPECT_EQ(Fmt(example, ReadText(example)), ReadText(example));
}

// Blanks at the end of a comment's lines are invisible noise in diffs: fmt drops them.
TEST(Fmt, StripsTrailingBlanksInComments) {
  std::string text = "cert a { file \"a.pem\" }  // why \t \n/* one  \n two\t\n */  \n";
  EXPECT_EQ(Fmt("a.trust", text), "cert a { file \"a.pem\" }  // why\n\n/* one\n two\n */\n");
}

// Found by fuzz_parse: control bytes in comments once stood for the trailing comments' column.
TEST(Fmt, KeepsControlBytesInCommentsAndAlignsAroundThem) {
  std::string text = std::string("// own\x01line\n") + "cert a { file \"a.pem\" } // one\x01\n" +
                     "cert bb { file \"b.pem\" } /* \x01 */ // two\n";
  EXPECT_EQ(Fmt("a.trust", text), std::string("// own\x01line\n") +
                                      "cert a { file \"a.pem\" }  // one\x01\n\n" +
                                      "cert bb { file \"b.pem\" }  /* \x01 */ // two\n");
}

// Found by fuzz_parse: a lone CR ends a `//` comment as LF does, so what follows it is on a
// line of its own the first time already, as it is once the formatter has written LF.
TEST(Fmt, ALoneCarriageReturnIsALineBreak) {
  std::optional<std::string> once = Fmt("a.trust", "keystore a // one\r// two\r\r// three\n");
  EXPECT_EQ(once, "keystore a  // one\n\n// two\n\n// three\n");
  EXPECT_EQ(Fmt("a.trust", *once), once);
}

// The formatter's fast proof: the lexer's tokens, in order, and the comments must be equal.
TEST(Fmt, OnlyLayoutDiffersComparesTokensNotBlanks) {
  EXPECT_TRUE(review::OnlyLayoutDiffers("cert a {file \"x y\"}", "cert a {\n  file \"x y\"\n}\n"));
  EXPECT_TRUE(review::OnlyLayoutDiffers("\xEF\xBB\xBFtrust a.b", "trust a . b\n"));
  EXPECT_TRUE(review::OnlyLayoutDiffers("a // c \t\nb", "// c\na b"));  // a comment moved
  EXPECT_TRUE(review::OnlyLayoutDiffers("/* x  \n y */ a", "a /* x\n y */"));

  EXPECT_FALSE(review::OnlyLayoutDiffers("cert ab", "cert a b"));            // a name split
  EXPECT_FALSE(review::OnlyLayoutDiffers("trust a for x", "trust afor x"));  // two joined
  EXPECT_FALSE(review::OnlyLayoutDiffers("expiry warn_within 12d", "expiry warn_within 12 d"));
  EXPECT_FALSE(review::OnlyLayoutDiffers("note \"a b\"", "note \"a  b\""));  // in a string
  EXPECT_FALSE(review::OnlyLayoutDiffers("note \"a\\\" b\"", "note \"a\\\"  b\""));
  EXPECT_FALSE(review::OnlyLayoutDiffers("a b", "b a"));
  EXPECT_FALSE(review::OnlyLayoutDiffers("a {}", "a"));
  EXPECT_FALSE(review::OnlyLayoutDiffers("a // c\n", "a\n"));  // a comment lost
  EXPECT_FALSE(review::OnlyLayoutDiffers("a // c\n", "a // d\n"));
  EXPECT_FALSE(review::OnlyLayoutDiffers("a /* c */ b", "a / * c * / b"));
  EXPECT_FALSE(review::OnlyLayoutDiffers("a", "a // c\n"));  // a comment made up
}

// Every program is proven by the token comparison, except where the layout moves code: an
// import or a param written after a declaration goes to the top (the parse proves those).
TEST(Fmt, TheTokenProofCoversEveryProgramWhoseCodeStaysInPlace) {
  std::vector<fs::path> files = RootPrograms();
  for (const fs::path& fixture : FmtFixtures()) files.push_back(fixture);
  size_t moved = 0;
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    std::string text = ReadText(file);
    source::SourceManager sources;
    diag::Emitter emitter;
    source::FileId id = sources.Add(file.filename().string(), text);
    ast::Module module = parse::Parse(sources.file(id), id, emitter);
    uint32_t first_decl = module.decls.empty() ? UINT32_MAX : module.decls[0].range.begin;
    uint32_t last_header = 0;
    for (const auto& import : module.imports)
      last_header = std::max(last_header, import.range.begin);
    for (const auto& param : module.params) last_header = std::max(last_header, param.range.begin);
    bool code_moves = last_header > first_decl ||
                      (!module.params.empty() && !module.imports.empty() &&
                       module.params[0].range.begin < module.imports.back().range.begin);
    moved += code_moves ? 1 : 0;
    std::optional<std::string> formatted = Fmt(file, text);
    ASSERT_TRUE(formatted.has_value());
    EXPECT_EQ(review::OnlyLayoutDiffers(text, *formatted), !code_moves);
  }
  EXPECT_LT(moved, files.size() / 4) << "most programs keep their code in place";
}

TEST(FmtCommand, CheckWriteAndStdout) {
  TempDir temp;
  std::string messy = "cert a {file \"a.pem\"}\n";
  WriteText(temp.path() / "messy.trust", messy);
  WriteText(temp.path() / "clean.trust", "cert a { file \"a.pem\" }\n");
  test::ProcessResult check = Trustc("fmt --check clean.trust messy.trust", temp.path());
  EXPECT_EQ(check.status, 1);
  EXPECT_EQ(check.out, "messy.trust\n");
  EXPECT_EQ(Trustc("fmt --check clean.trust", temp.path()).status, 0);
  test::ProcessResult out = Trustc("fmt messy.trust", temp.path());
  EXPECT_EQ(out.status, 0);
  EXPECT_EQ(out.out, "cert a { file \"a.pem\" }\n");
  EXPECT_EQ(ReadText(temp.path() / "messy.trust"), messy) << "stdout mode must not write";
  EXPECT_EQ(Trustc("fmt --write messy.trust", temp.path()).status, 0);
  EXPECT_EQ(ReadText(temp.path() / "messy.trust"), "cert a { file \"a.pem\" }\n");
  size_t files = std::distance(fs::directory_iterator(temp.path()), fs::directory_iterator());
  EXPECT_EQ(files, 2u) << "--write left a temporary file behind";
  WriteText(temp.path() / "broken.trust", "cert {\n");
  EXPECT_EQ(Trustc("fmt --check broken.trust", temp.path()).status, 1);
  EXPECT_EQ(Trustc("fmt --check --write clean.trust", temp.path()).status, 2);
}

}  // namespace
}  // namespace trust::review_test
