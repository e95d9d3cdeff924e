// The syntax tree's storage: ast::Boxed (an optional on the heap, for the fields most items
// leave empty) and sema::ReleaseSyntaxTrees (what `trustc build` frees before lowering).
#include "compiler/ast/ast.h"

#include <gtest/gtest.h>

#include <utility>

#include "compiler/sema/program.h"

namespace trust {
namespace {

ast::Ref MakeRef(const std::string& module, const std::string& name) {
  ast::Ref ref;
  ref.module = ast::Ident{module, {}};
  ref.name = ast::Ident{name, {}};
  return ref;
}

TEST(Boxed, EmptyByDefaultAndFromNullopt) {
  ast::Boxed<ast::Ref> none;
  EXPECT_FALSE(none.has_value());
  EXPECT_FALSE(static_cast<bool>(none));
  ast::Boxed<ast::Ref> set = MakeRef("c0", "cert1");
  set = std::nullopt;
  EXPECT_FALSE(set.has_value());
}

TEST(Boxed, CopiesCopyTheValue) {
  ast::Item item;
  item.from = MakeRef("layer7", "client_ca");
  ast::Item copy = item;
  ASSERT_TRUE(copy.from.has_value());
  EXPECT_NE(&*copy.from, &*item.from);
  copy.from->name.name = "server_ca";
  EXPECT_EQ(item.from->Text(), "layer7.client_ca");
  EXPECT_EQ(copy.from->Text(), "layer7.server_ca");
  copy = ast::Item{};
  EXPECT_FALSE(copy.from.has_value());
  EXPECT_EQ(item.from->Text(), "layer7.client_ca");
}

TEST(Boxed, MovesTakeTheValue) {
  ast::Boxed<ast::Ident> name = ast::Ident{"ssl", {}};
  const ast::Ident* held = &*name;
  ast::Boxed<ast::Ident> moved = std::move(name);
  EXPECT_EQ(&*moved, held);
  EXPECT_EQ(moved->name, "ssl");
}

// Every item carries these five; boxed, and with the fields packed, an item is about a third
// of what it was with optionals (480 bytes on x86-64), which a program of 100,000 certificates
// multiplies by its items.
TEST(Boxed, KeepsItemsSmall) {
  EXPECT_EQ(sizeof(ast::Boxed<ast::Ref>), sizeof(void*));
  EXPECT_LE(sizeof(ast::Item), 168u);
}

TEST(ReleaseSyntaxTrees, KeepsFileIdsAndPathsDropsTheTrees) {
  sema::LoadedProgram program;
  sema::Module module;
  module.ast.file = 7;
  module.ast.decls.resize(3);
  module.ast.comments.resize(2);
  module.display_path = "main.trust";
  module.imports["c0"] = 1;
  program.modules.push_back(std::move(module));
  sema::ReleaseSyntaxTrees(program);
  const sema::Module& released = program.modules[0];
  EXPECT_EQ(released.ast.file, 7);
  EXPECT_TRUE(released.ast.decls.empty());
  EXPECT_TRUE(released.ast.comments.empty());
  EXPECT_EQ(released.display_path, "main.trust");
  EXPECT_EQ(released.imports.at("c0"), 1u);
}

}  // namespace
}  // namespace trust
