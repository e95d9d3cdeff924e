// Round trip of every bundle trustc writes: for every example (examples/**/*.trust) and every
// golden program that builds a gateway (tests/golden/*.trust not named fail_*, with its
// `// args:` flags and the golden build time), build → import the install bundle(s) → build
// again gives the same bundles, install and delete, BYTE FOR BYTE.
//
// Why byte-identical and not only structurally equal: every GOID is derived from the gateway
// name and the entity names (trusted certificate name, provider name, provider + login), which
// import keeps (`name "..."` when an entity name is not a valid identifier); the gateway name
// comes from the bundle file name `GATEWAY.install.bundle`; trustc's generator comment makes
// import keep `mapping by_id` (absent, the default `by_name`); flags absent from trustc's
// bundles do not occur (it writes every key). Two things that are not trust do differ and are
// held equal here: the identifiers and certificate file names in the imported source (named
// from entity names and subject CNs, never written into a bundle), and the generator comment's
// source name, which is the root file's name: the imported program is written under the
// original's file name so that the comment matches too. Not compared: keystore manifests,
// since import reads keystores, not manifests (keystore_import_test.cpp covers keystores).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/artifacts/artifacts.h"
#include "compiler/driver/pipeline.h"
#include "compiler/importer/importer.h"
#include "tests/importer/shell.h"
#include "tests/support/paths.h"

namespace trust {
namespace {

namespace fs = std::filesystem;

// The build time of the golden tests, 2027-01-15T00:00:00Z, used for the examples too.
constexpr int64_t kGoldenNow = 1799971200;

const fs::path kSource = fs::path(test_support::SourceDir());

struct Case {
  fs::path root;  // absolute path of the root .trust file
  driver::CompileOptions options;
};

// Flags of a golden program's first line `// args: ...`, as tests/golden/golden_test.cpp reads
// them; --werror changes no artifact.
driver::CompileOptions OptionsFor(const fs::path& root) {
  driver::CompileOptions options;
  options.root_path = root.string();
  options.build_time = kGoldenNow;
  std::string text = test::ReadFile(root);
  std::string first_line = text.substr(0, text.find('\n'));
  if (!first_line.starts_with("// args:")) return options;
  std::istringstream args(first_line.substr(8));
  for (std::string arg; args >> arg;) {
    if (arg == "-D" && args >> arg) {
      size_t eq = arg.find('=');
      options.defines[arg.substr(0, eq)] = arg.substr(eq + 1);
    } else if (arg == "--allow-outside-root") {
      options.allow_outside_root = true;
    }
  }
  return options;
}

std::vector<Case> Cases() {
  std::vector<fs::path> roots;
  for (const auto& entry : fs::recursive_directory_iterator(kSource / "examples")) {
    if (entry.path().extension() == ".trust") roots.push_back(entry.path());
  }
  for (const auto& entry : fs::directory_iterator(kSource / "tests" / "golden")) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".trust" && !name.starts_with("fail_")) {
      roots.push_back(entry.path());
    }
  }
  std::sort(roots.begin(), roots.end());
  std::vector<Case> cases;
  for (const fs::path& root : roots) cases.push_back({root, OptionsFor(root)});
  return cases;
}

// The RESTMAN bundles. The Graphman ones also carry users' certificates, which RESTMAN bundles
// cannot, so they do not survive a RESTMAN import; tests/graphman round-trips them.
std::map<std::string, std::string> Bundles(const artifacts::ArtifactSet& artifacts) {
  std::map<std::string, std::string> bundles;
  for (const auto& [path, bytes] : artifacts) {
    if (path.starts_with("gateways/") && path.ends_with(".bundle")) bundles[path] = bytes;
  }
  return bundles;
}

std::string Errors(const driver::Compilation& compilation) {
  std::string errors;
  for (const diag::Diagnostic& d : compilation.emitter.diagnostics()) {
    if (d.severity == diag::Severity::Error) errors += d.message + "\n";
  }
  return errors;
}

class RoundTripTest : public test::TempDirTest {
 protected:
  // Imports `bundles` (file name -> bytes, written to a directory first) into DIR/NAME and
  // returns the written source; certificate files are written beside it.
  std::string ImportInto(const std::map<std::string, std::string>& bundles, const fs::path& dir,
                         const std::string& name) {
    fs::create_directories(tmp_ / "bundles");
    fs::create_directories(dir);
    importer::ImportOptions options;
    for (const auto& [file, bytes] : bundles) {
      fs::path path = tmp_ / "bundles" / file;
      std::ofstream(path, std::ios::binary) << bytes;
      options.bundles.push_back(path.string());
    }
    options.output = (dir / name).string();
    options.now = kGoldenNow;
    std::string error;
    std::optional<importer::ImportResult> result = importer::Import(options, &error);
    EXPECT_TRUE(result.has_value()) << error;
    if (!result) return "";
    std::ofstream(dir / name, std::ios::binary) << result->source;
    for (const auto& [file, pem] : result->cert_files) {
      std::ofstream(dir / file, std::ios::binary) << pem;
    }
    return result->source;
  }

  std::unique_ptr<driver::Compilation> CompileImported(const fs::path& file) {
    driver::CompileOptions options;
    options.root_path = file.string();
    options.build_time = kGoldenNow;
    return driver::Compile(options);
  }
};

TEST_F(RoundTripTest, EveryExampleAndBundleGoldenRebuildsByteIdenticalBundles) {
  size_t examples = 0;
  size_t goldens = 0;
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.root.string());
    auto original = driver::Compile(c.options);
    ASSERT_TRUE(original->program.has_value()) << Errors(*original);
    std::map<std::string, std::string> before =
        Bundles(artifacts::Collect(*original->program, "trustc test"));
    std::map<std::string, std::string> installs;
    for (const auto& [path, bytes] : before) {
      if (path.ends_with(".install.bundle")) installs[fs::path(path).filename().string()] = bytes;
    }
    if (installs.empty()) continue;  // no gateway: nothing to import
    (c.root.string().find("/examples/") != std::string::npos ? examples : goldens)++;

    fs::path dir = tmp_ / c.root.stem();
    std::string source = ImportInto(installs, dir, c.root.filename().string());
    auto imported = CompileImported(dir / c.root.filename());
    ASSERT_TRUE(imported->program.has_value()) << Errors(*imported) << source;
    EXPECT_EQ(Errors(*imported), "") << source;
    std::map<std::string, std::string> after =
        Bundles(artifacts::Collect(*imported->program, "trustc test"));

    ASSERT_EQ(after.size(), before.size()) << source;
    for (const auto& [path, bytes] : before) {
      ASSERT_TRUE(after.contains(path)) << path << "\n" << source;
      EXPECT_EQ(after[path], bytes) << path << "\n" << source;
    }

    // A fixed point: importing the rebuilt bundles writes the same source again.
    std::map<std::string, std::string> reinstalls;
    for (const auto& [path, bytes] : after) {
      if (path.ends_with(".install.bundle")) {
        reinstalls[fs::path(path).filename().string()] = bytes;
      }
    }
    fs::remove_all(tmp_ / "bundles");
    EXPECT_EQ(ImportInto(reinstalls, tmp_ / (c.root.stem().string() + "-again"),
                         c.root.filename().string()),
              source);
    fs::remove_all(tmp_ / "bundles");
  }
  // Guards against a scan that silently finds nothing.
  EXPECT_GE(examples, 1u);
  EXPECT_GE(goldens, 10u);
}

}  // namespace
}  // namespace trust
