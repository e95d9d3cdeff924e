// Templates (docs/language.md): a block's items are its template chain's items followed by
// its own, so that "single-valued items replace, list items append" is simply "the last
// single-valued item wins, every list item counts".
#include <algorithm>

#include "compiler/limits.h"
#include "compiler/sema/context.h"

namespace trust::sema {

std::vector<ScopedItem> Context::Flatten(const ast::Boxed<ast::Ref>& from,
                                         ast::DeclKind template_kind,
                                         const std::vector<ast::Item>& items, size_t m) {
  std::vector<ScopedItem> flattened;
  int errors = emitter.CountAtLeast(diag::Severity::Error);
  Flatten(from, template_kind, m, 0, flattened);
  last_from_failed = emitter.CountAtLeast(diag::Severity::Error) > errors;
  for (const ast::Item& item : items) flattened.push_back({&item, m});
  return flattened;
}

void Context::Flatten(const ast::Boxed<ast::Ref>& from, ast::DeclKind kind, size_t m, size_t depth,
                      std::vector<ScopedItem>& flattened) {
  if (!from) return;
  std::optional<DeclRef> found = Lookup(*from, m, {kind}, ast::DeclKindName(kind));
  if (!found) return;
  const ast::Decl& base = decl(*found);
  if (template_stack_.contains(*found)) {
    emitter.Emit(diag::Kind::template_cycle, from->range,
                 "template " + diag::Quote(from->Text()) + " derives from itself",
                 {{base.name.range, "declared here"}});
    return;
  }
  if (depth >= limits::kMaxTemplateDepth) {
    emitter.Emit(diag::Kind::limit_exceeded, from->range,
                 "templates derive from each other more than " +
                     std::to_string(limits::kMaxTemplateDepth) + " deep");
    return;
  }
  template_stack_.insert(*found);
  Flatten(base.from, kind, found->module, depth + 1, flattened);
  template_stack_.erase(*found);
  for (const ast::Item& item : base.items) flattened.push_back({&item, found->module});
}

void CheckDuplicateItems(Context& cx, const std::vector<ast::Item>& items) {
  std::map<std::string_view, const ast::Item*> seen;
  for (const ast::Item& item : items) {
    if (!item.children.empty()) CheckDuplicateItems(cx, item.children);
    if (ast::IsListItem(item.kind)) continue;
    std::string_view slot = ast::Keyword(item.kind);
    if (auto [it, fresh] = seen.emplace(slot, &item); !fresh) {
      cx.emitter.Emit(diag::Kind::duplicate_item, item.keyword_range,
                      diag::Quote(slot) + " is given twice in this block; it takes one value",
                      {{it->second->keyword_range, "first given here"}});
    }
  }
}

const ScopedItem* Last(const std::vector<ScopedItem>& items,
                       std::initializer_list<ast::ItemKind> kinds) {
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    if (std::find(kinds.begin(), kinds.end(), it->item->kind) != kinds.end()) return &*it;
  }
  return nullptr;
}

}  // namespace trust::sema
