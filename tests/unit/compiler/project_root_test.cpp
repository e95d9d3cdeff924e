// The project-root rule's text fast path (sema::InsideRoot, sema::RelativeToRoot) answers as the
// path iterators do, for plain real paths and for every shape it leaves to them.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "compiler/sema/program.h"

namespace trust::sema {
namespace {

namespace fs = std::filesystem;

// The rule as it was written before the fast path: component by component.
bool InsideByComponents(const fs::path& root, const fs::path& real) {
  auto [root_end, unused] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
  return root_end == root.end();
}

TEST(ProjectRoot, TextAndComponentsAgree) {
  const std::vector<std::string> roots = {"/", "/w", "/w/p", "/w/p/", "/w//p", "/w/./p", "/w/p/.."};
  const std::vector<std::string> paths = {
      "/",          "/w",       "/w/p",         "/w/p/",        "/w/pq",
      "/w/p/c.der", "/w/p/a/b", "/w/p/../q",    "/w/p/./c.der", "/w//p/c",
      "/w/p//c",    "/w/p/..",  "/w/p/.",       "/x/p/c.der",   "/w/pp/c.der",
      "/w/p/c/",    "/w/p/...", "/w/p/.hidden", "relative",     "w/p/c.der",
      "",
  };
  for (const std::string& root : roots) {
    for (const std::string& path : paths) {
      SCOPED_TRACE(root + " | " + path);
      EXPECT_EQ(InsideRoot(root, path), InsideByComponents(root, path));
      EXPECT_EQ(RelativeToRoot(path, root),
                fs::path(path).lexically_relative(root).generic_string());
    }
  }
}

TEST(ProjectRoot, APlainPathUnderTheRootIsItsSuffix) {
  EXPECT_TRUE(InsideRoot("/w/p", "/w/p/certs/c.der"));
  EXPECT_FALSE(InsideRoot("/w/p", "/w/pq/c.der"));
  EXPECT_EQ(RelativeToRoot("/w/p/certs/c.der", "/w/p"), "certs/c.der");
  EXPECT_EQ(RelativeToRoot("/w/p", "/w/p"), ".");
  EXPECT_EQ(RelativeToRoot("/w/p/c.der", "/"), "w/p/c.der");
}

}  // namespace
}  // namespace trust::sema
