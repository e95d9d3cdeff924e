// File tests: every tests/golden/**/*.trust is compiled and its diagnostics (and, when it
// compiles, its IR) are compared with sidecar files. `fail_*.trust` must produce an error; every
// other file must compile without one. TRUST_UPDATE_GOLDEN=1 rewrites the sidecars.
//
// A clean file also has one sidecar per artifact `trustc build` would write:
// `NAME.GATEWAY.install.bundle`, `NAME.GATEWAY.delete.bundle`, `NAME.GATEWAY.graphman.json`,
// `NAME.GATEWAY.graphman.delete.json`, `NAME.KEYSTORE.manifest.json`.
//
// A first line `// args: ...` passes flags, parsed as trustc parses them (driver::AddCommonFlags,
// MakeOptions, ShownDiagnostics): -D NAME=VALUE, --allow-outside-root, --werror, ...
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "compiler/diag/render.h"
#include "compiler/driver/options.h"
#include "tests/support/paths.h"

namespace trust {
namespace {

namespace fs = std::filesystem;

// The build time of every golden test, unless its args say otherwise.
constexpr const char* kGoldenNow = "2027-01-15T00:00:00Z";

fs::path GoldenDir() { return fs::path(test_support::SourceDir()) / "tests" / "golden"; }

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct Outcome {
  std::string diagnostics;
  std::string ir;
  std::map<std::string, std::string> artifacts;  // sidecar suffix -> bytes
  bool has_error = false;
  std::set<std::string> ids;
};

// The flags of a golden file's `// args:` line, through trustc's own option parsing.
driver::CommonFlags FlagsFor(const std::string& relative) {
  driver::CommonFlags flags;
  flags.now = kGoldenNow;
  CLI::App app{"golden"};
  driver::AddCommonFlags(app, flags);
  std::string first_line = ReadText(GoldenDir() / relative).substr(0, 200);
  first_line = first_line.substr(0, first_line.find('\n'));
  if (first_line.starts_with("// args:")) app.parse(first_line.substr(8));
  return flags;
}

// Paths in diagnostics are as given: relative to tests/golden, which is the working directory.
Outcome Compile(const std::string& relative) {
  fs::current_path(GoldenDir());
  driver::CommonFlags flags = FlagsFor(relative);
  driver::CompileOptions options = driver::MakeOptions(relative, flags);
  options.list_artifacts = true;  // as `trustc build` does
  auto compilation = driver::Compile(options);
  Outcome outcome;
  std::vector<diag::Diagnostic> diagnostics = driver::ShownDiagnostics(*compilation, flags);
  for (const diag::Diagnostic& d : diagnostics) {
    outcome.has_error = outcome.has_error || d.severity == diag::Severity::Error;
    outcome.ids.insert(std::string(diag::Info(d.kind).id));
  }
  outcome.diagnostics = diag::RenderText(diagnostics, compilation->sources, {});
  if (!compilation->program || outcome.has_error) return outcome;
  outcome.ir = ir::Dump(*compilation->program);
  // What `trustc build` would write, made one at a time; the sidecars hold the bundles and
  // manifests.
  for (const artifacts::Artifact& artifact : compilation->artifacts) {
    if (!artifact.path.starts_with("gateways/") && !artifact.path.starts_with("keystores/")) {
      continue;
    }
    std::string error;
    std::optional<std::string> bytes = artifacts::MakeBytes(artifact, &error);
    EXPECT_TRUE(bytes.has_value()) << relative << ": " << artifact.path << ": " << error;
    outcome.artifacts["." + artifact.path.substr(artifact.path.find('/') + 1)] = bytes.value_or("");
  }
  return outcome;
}

bool Updating() {
  const char* update = std::getenv("TRUST_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

void Expect(const fs::path& sidecar, const std::string& actual) {
  if (Updating()) {
    if (actual.empty()) {
      fs::remove(sidecar);
    } else {
      std::ofstream(sidecar, std::ios::binary) << actual;
    }
    return;
  }
  std::string expected = fs::exists(sidecar) ? ReadText(sidecar) : "";
  EXPECT_EQ(expected, actual) << "golden mismatch: " << sidecar.string()
                              << " (TRUST_UPDATE_GOLDEN=1 rewrites it)";
}

class GoldenTest : public testing::Test {
 public:
  explicit GoldenTest(std::string relative) : relative_(std::move(relative)) {}

  void TestBody() override {
    Outcome outcome = Compile(relative_);
    bool must_fail = fs::path(relative_).filename().string().starts_with("fail_");
    if (must_fail) {
      EXPECT_TRUE(outcome.has_error) << relative_ << " is named fail_ but compiled cleanly";
    } else {
      EXPECT_FALSE(outcome.has_error) << relative_ << " has errors but is not named fail_*:\n"
                                      << outcome.diagnostics;
    }
    fs::path base = GoldenDir() / relative_;
    Expect(fs::path(base).replace_extension(".stderr"), outcome.diagnostics);
    Expect(fs::path(base).replace_extension(".ir"), outcome.ir);
    for (const auto& [suffix, bytes] : outcome.artifacts) {
      Expect(fs::path(base).replace_extension(suffix), bytes);
    }
  }

 private:
  std::string relative_;
};

std::vector<std::string> GoldenFiles() {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(GoldenDir())) {
    if (entry.path().extension() != ".trust") continue;
    std::string relative = entry.path().lexically_relative(GoldenDir()).generic_string();
    // Modules imported by a test live in directories named `lib`; they are not roots.
    if (relative.find("lib/") != std::string::npos) continue;
    files.push_back(relative);
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(GoldenCoverage, EveryDiagnosticIdIsProducedByAGolden) {
  std::set<std::string> produced;
  for (const std::string& file : GoldenFiles()) {
    Outcome outcome = Compile(file);
    produced.insert(outcome.ids.begin(), outcome.ids.end());
  }
  for (diag::Kind kind : diag::AllKinds()) {
    std::string id(diag::Info(kind).id);
    EXPECT_TRUE(produced.contains(id)) << "no golden test produces [" << id << "]";
  }
}

TEST(GoldenCoverage, EveryDiagnosticIdIsDocumented) {
  std::string docs = ReadText(fs::path(test_support::SourceDir()) / "docs" / "diagnostics.md");
  for (diag::Kind kind : diag::AllKinds()) {
    std::string id(diag::Info(kind).id);
    EXPECT_NE(docs.find("| `" + id + "` |"), std::string::npos)
        << "docs/diagnostics.md does not list [" << id << "]";
  }
}

}  // namespace
}  // namespace trust

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  for (const std::string& file : trust::GoldenFiles()) {
    std::string name = file;
    for (char& c : name) {
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    testing::RegisterTest("Golden", name.c_str(), nullptr, file.c_str(), __FILE__, __LINE__,
                          [file]() -> testing::Test* { return new trust::GoldenTest(file); });
  }
  return RUN_ALL_TESTS();
}
