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

std::string_view DeclKindName(DeclKind kind) {
  switch (kind) {
    case DeclKind::kCert:
      return "certificate";
    case DeclKind::kGateway:
      return "gateway";
    case DeclKind::kKeystore:
      return "keystore";
    case DeclKind::kPolicy:
      return "policy";
    case DeclKind::kTrustTemplate:
      return "trust template";
    case DeclKind::kKeystoreTemplate:
      return "keystore template";
    case DeclKind::kIdentityProviderTemplate:
      return "identity_provider template";
    case DeclKind::kPolicyTemplate:
      return "policy template";
    case DeclKind::kRevocationPolicyTemplate:
      return "revocation_policy template";
  }
  return "declaration";
}

}  // namespace trust::ast
