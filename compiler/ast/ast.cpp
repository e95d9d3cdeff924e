#include "compiler/ast/ast.h"

#include <array>

namespace trust::ast {
namespace {

enum class Merge { Single, List };

struct ItemInfo {
  std::string_view keyword;
  Merge merge;
};

constexpr std::array kItemInfos = {
#define TRUST_ITEM(kind, keyword, merge) ItemInfo{keyword, Merge::merge},
#include "compiler/ast/item_kind.def"
};

}  // namespace

std::string_view Keyword(ItemKind kind) { return kItemInfos.at(static_cast<size_t>(kind)).keyword; }

bool IsListItem(ItemKind kind) {
  return kItemInfos.at(static_cast<size_t>(kind)).merge == Merge::List;
}

namespace {

struct DeclInfo {
  std::string_view name;
  std::string_view keyword;
};

constexpr DeclInfo kDeclInfos[] = {
#define TRUST_DECL(kind, name, keyword) {name, keyword},
#include "compiler/ast/decl_kind.def"
};

}  // namespace

std::string_view DeclKindName(DeclKind kind) { return kDeclInfos[static_cast<size_t>(kind)].name; }

std::string_view DeclKeyword(DeclKind kind) {
  return kDeclInfos[static_cast<size_t>(kind)].keyword;
}

}  // namespace trust::ast
