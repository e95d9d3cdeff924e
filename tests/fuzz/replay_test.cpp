// Runs every file of tests/fuzz/corpus/<target>/ and tests/fuzz/regressions/<target>/ through
// the fuzzed entry points in the normal build: the seed corpora double as smoke tests and every
// crash the fuzzers ever found stays fixed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_entry.h"
#include "tests/support/paths.h"

namespace trust::fuzz {
// How GoogleTest shows a target (ctest's labels): by name, not as the bytes of its pointers.
// In Target's namespace, not the unnamed one, for argument-dependent lookup to find it.
void PrintTo(const Target& target, std::ostream* out) { *out << target.name; }

namespace {
namespace fs = std::filesystem;

std::vector<fs::path> FilesUnder(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().filename() != "README.md") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class ReplayTest : public testing::TestWithParam<Target> {};

TEST_P(ReplayTest, CorpusAndRegressions) {
  const Target& target = GetParam();
  fs::path root = fs::path(test_support::SourceDir()) / "tests/fuzz";
  std::vector<fs::path> corpus = FilesUnder(root / "corpus" / target.inputs);
  EXPECT_FALSE(corpus.empty()) << "no seed corpus for " << target.name;
  std::vector<fs::path> files = corpus;
  for (auto& path : FilesUnder(root / "regressions" / target.inputs)) files.push_back(path);
  for (const fs::path& path : files) {
    SCOPED_TRACE(path.string());
    std::string bytes = ReadAll(path);
    target.entry(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
}

// targets.tsv (which the build and scripts/fuzz.sh read) and kTargets (which pairs each name
// with its entry point) must name the same targets, in the same order, with the same inputs.
TEST(FuzzTargets, TheTableAndTheEntryPointsAgree) {
  std::ifstream table(fs::path(test_support::SourceDir()) / "tests/fuzz/targets.tsv");
  ASSERT_TRUE(table) << "tests/fuzz/targets.tsv";
  std::vector<std::string> rows;
  for (std::string line; std::getline(table, line);) {
    if (!line.empty() && line[0] != '#') rows.push_back(line);
  }
  std::vector<std::string> expected;
  for (const Target& target : kTargets) {
    expected.push_back(std::string(target.name) + "\t" + std::string(target.inputs));
  }
  EXPECT_EQ(rows, expected);
}

INSTANTIATE_TEST_SUITE_P(Fuzz, ReplayTest, testing::ValuesIn(kTargets),
                         [](const testing::TestParamInfo<Target>& param_info) {
                           return std::string(param_info.param.name);
                         });

}  // namespace
}  // namespace trust::fuzz
