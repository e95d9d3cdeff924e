// The program's `policy` (docs/language.md, "policy"): lint thresholds and rule levels.
#include <algorithm>
#include <array>
#include <optional>

#include "compiler/sema/context.h"

namespace trust::sema {
namespace {

using ast::ItemKind;

constexpr std::array<std::string_view, 9> kKnownHashes = {
    "md2", "md4", "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "ripemd160"};

// The item's number when it is within [low, high]; else nothing (reported when out of range).
std::optional<uint64_t> InRange(Context& cx, const ast::Item& item, uint64_t low, uint64_t high) {
  if (!item.number || !item.number->value) return std::nullopt;
  uint64_t value = *item.number->value;
  if (value >= low && value <= high) return value;
  cx.emitter.Emit(diag::Kind::invalid_value, item.number->range,
                  diag::Quote(ast::Keyword(item.kind)) + " must be between " + std::to_string(low) +
                      " and " + std::to_string(high));
  return std::nullopt;
}

void ForbidSignatures(Context& cx, const ast::Item& item, ir::Policy& policy) {
  policy.forbid_signature.clear();
  for (const ast::Ident& word : item.words) {
    if (std::find(kKnownHashes.begin(), kKnownHashes.end(), word.name) == kKnownHashes.end()) {
      cx.emitter.Emit(diag::Kind::invalid_value, word.range,
                      "unknown signature hash " + diag::Quote(word.name) +
                          "; expected md5, sha1, sha224, sha256, sha384, sha512, ...");
      continue;
    }
    policy.forbid_signature.push_back(word.name);
  }
}

void RuleLevel(Context& cx, const ast::Item& item, ir::Policy& policy) {
  if (!item.name || !item.value) return;
  std::optional<diag::Kind> kind = diag::KindFromId(item.name->name);
  if (!kind || !diag::Info(*kind).is_lint) {
    cx.emitter.Emit(diag::Kind::unknown_rule, item.name->range,
                    diag::Quote(item.name->name) +
                        " is not a lint rule; compiler errors cannot be re-levelled");
    return;
  }
  const std::string& level = item.value->name;
  policy.rule_levels[item.name->name] = level == "error"     ? ir::RuleLevel::kError
                                        : level == "warning" ? ir::RuleLevel::kWarning
                                        : level == "note"    ? ir::RuleLevel::kNote
                                                             : ir::RuleLevel::kOff;
}

void Apply(Context& cx, const ast::Item& item, ir::Policy& policy) {
  switch (item.kind) {
    case ItemKind::kMinRsaBits:
      if (auto bits = InRange(cx, item, 512, 16384)) policy.min_rsa_bits = static_cast<int>(*bits);
      break;
    case ItemKind::kMinEcBits:
      if (auto bits = InRange(cx, item, 160, 571)) policy.min_ec_bits = static_cast<int>(*bits);
      break;
    case ItemKind::kForbidSignature:
      ForbidSignatures(cx, item, policy);
      break;
    case ItemKind::kExpiry:
      if (auto days = InRange(cx, item, 0, 3650)) {
        policy.warn_within_days = static_cast<int64_t>(*days);
      }
      break;
    case ItemKind::kRequirePin:
      if (item.value) {
        const std::string& word = item.value->name;
        policy.require_pin = word == "all"       ? ir::RequirePin::kAll
                             : word == "anchors" ? ir::RequirePin::kAnchors
                                                 : ir::RequirePin::kNone;
      }
      break;
    case ItemKind::kRule:
      RuleLevel(cx, item, policy);
      break;
    default:
      break;
  }
}

}  // namespace

void CheckPolicy(Context& cx) {
  const ast::Decl* first = nullptr;
  for (size_t m = 0; m < cx.program.modules.size(); ++m) {
    for (const ast::Decl& decl : cx.module(m).ast.decls) {
      if (decl.kind != ast::DeclKind::kPolicy) continue;
      if (first != nullptr) {
        cx.emitter.Emit(diag::Kind::duplicate_policy, decl.keyword_range,
                        "a program has at most one `policy`",
                        {{first->keyword_range, "the first policy"}});
        continue;
      }
      first = &decl;
      // Single-valued items apply in order, so the last (the body's own) wins.
      for (const ScopedItem& item :
           cx.Flatten(decl.from, ast::DeclKind::kPolicyTemplate, decl.items, m)) {
        Apply(cx, *item.item, cx.out.policy);
      }
    }
  }
}

}  // namespace trust::sema
