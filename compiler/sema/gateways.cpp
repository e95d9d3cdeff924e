// `gateway` declarations: trusted certificates with purposes, federated identity providers and
// their users, and every compile-time rule of docs/language.md, "gateway".
#include <algorithm>
#include <unordered_map>

#include "compiler/sema/context.h"
#include "runtime/x509/dn.h"

namespace trust::sema {
namespace {

using ast::ItemKind;

struct GatewayBuilder {
  GatewayBuilder(Context& context, size_t module_index) : cx(context), module(module_index) {}

  Context& cx;
  size_t module;
  ir::Gateway gateway;
  TrustIndex trusts{cx, gateway};
  std::unordered_map<std::string, size_t> by_entity_name;  // -> index into gateway.trusts

  // Sized once for the gateway's `trust` items: a gateway of 65,000 trusts grown by doubling
  // held up to half again of its list, beside its indexes, at the check's peak.
  void Reserve(const ast::Decl& decl) {
    size_t count = static_cast<size_t>(
        std::count_if(decl.items.begin(), decl.items.end(),
                      [](const ast::Item& item) { return item.kind == ItemKind::kTrust; }));
    gateway.trusts.reserve(count);
    trusts.Reserve(count);
    by_entity_name.reserve(count);
  }

  void AddPurposes(const ast::Item& item, ir::Trust& trust) {
    for (const ast::Ident& word : item.words) {
      if (auto purpose = ir::PurposeFromWord(word.name)) {
        trust.purposes[static_cast<size_t>(*purpose)] = true;
        continue;
      }
      std::string known;
      for (ir::Purpose p : ir::AllPurposes())
        known += (known.empty() ? "" : ", ") + diag::Quote(ir::PurposeWord(p));
      cx.emitter.Emit(diag::Kind::unknown_purpose, word.range,
                      "unknown purpose " + diag::Quote(word.name) + "; expected one of " + known);
    }
  }

  void ApplyTrustItem(const ScopedItem& scoped, ir::Trust& trust) {
    const ast::Item& item = *scoped.item;
    switch (item.kind) {
      case ItemKind::kAnchor:
        trust.anchor = true;
        break;
      case ItemKind::kFor:
        AddPurposes(item, trust);
        break;
      case ItemKind::kVerifyHostname:
        trust.verify_hostname = item.value && item.value->name == "on";
        break;
      case ItemKind::kRevocationDefault:
        trust.revocation_checking = true;
        trust.revocation_reason.clear();
        trust.revocation_policy.reset();
        break;
      case ItemKind::kRevocationPolicyRef:
        trust.revocation_checking = true;
        trust.revocation_reason.clear();
        trust.revocation_policy = FindRevocationPolicy(cx, gateway, item.refs[0]);
        break;
      case ItemKind::kRevocationOff:
        trust.revocation_policy.reset();
        trust.revocation_checking = false;
        trust.revocation_reason =
            cx.Interpolate(item.strings[0], scoped.module, EnvPolicy::kForbidden).value_or("");
        break;
      case ItemKind::kName:
        trust.entity_name =
            cx.Interpolate(item.strings[0], scoped.module, EnvPolicy::kForbidden).value_or("");
        break;
      case ItemKind::kAllow:
        if (auto allow = MakeAllow(cx, scoped)) trust.allows.push_back(std::move(*allow));
        break;
      default:
        break;
    }
  }

  void AddTrust(const ast::Item& item) {
    std::optional<ir::CertId> id = cx.CertFor(item.refs[0], module);
    std::vector<ScopedItem> items =
        cx.Flatten(item.from, ast::DeclKind::kTrustTemplate, item.children, module);
    bool from_failed = cx.last_from_failed;
    if (!id) return;
    ir::Trust trust;
    trust.cert = *id;
    trust.range = item.refs[0].range;
    trust.entity_name = cx.out.cert(*id).display_name;
    for (const ScopedItem& scoped : items) ApplyTrustItem(scoped, trust);
    if (!from_failed && !trust.anchor &&
        std::none_of(trust.purposes.begin(), trust.purposes.end(), [](bool b) { return b; }) &&
        !IsRevocationSigner(cx, gateway, *id)) {
      cx.emitter.Emit(diag::Kind::trust_no_purpose, trust.range,
                      "trust of " + diag::Quote(item.refs[0].Text()) +
                          " has neither `anchor` nor a purpose (`for ...`); it would trust for "
                          "nothing");
    }
    if (const ir::Trust* previous = trusts.Find(*id)) {
      cx.emitter.Emit(diag::Kind::duplicate_trust, trust.range,
                      "gateway " + diag::Quote(gateway.name) + " already trusts this certificate",
                      {{previous->range, "first trusted here"}});
      return;
    }
    auto [named, fresh] = by_entity_name.emplace(trust.entity_name, gateway.trusts.size());
    if (!fresh) {
      cx.emitter.Emit(diag::Kind::duplicate_entity_name, trust.range,
                      "two trusted certificates of gateway " + diag::Quote(gateway.name) +
                          " are named " + diag::Quote(trust.entity_name) + "; give one a `name`",
                      {{gateway.trusts[named->second].range, "the other one"}});
      return;
    }
    gateway.trusts.push_back(std::move(trust));
    trusts.AddLast();
  }
};

}  // namespace

std::string CertKey(const Context& cx, ir::CertId id) {
  const auto& certificate = cx.out.cert(id).certificate;
  return certificate ? certificate->facts().sha256 : "#" + std::to_string(id.index);
}

const ir::Trust* TrustIndex::Find(ir::CertId id) const {
  auto it = by_cert_.find(CertKey(cx_, id));
  return it == by_cert_.end() ? nullptr : &gateway_.trusts[it->second];
}

void TrustIndex::AddLast() {
  by_cert_.emplace(CertKey(cx_, gateway_.trusts.back().cert), gateway_.trusts.size() - 1);
}

void CheckGateways(Context& cx) {
  for (size_t m = 0; m < cx.program.modules.size(); ++m) {
    for (size_t d = 0; d < cx.module(m).ast.decls.size(); ++d) {
      const ast::Decl& decl = cx.module(m).ast.decls[d];
      if (decl.kind != ast::DeclKind::kGateway) continue;
      GatewayBuilder builder(cx, m);
      builder.gateway.name = cx.QualifiedName({m, d});
      builder.gateway.range = decl.name.range;
      AddRevocationPolicies(cx, m, decl, builder.gateway);
      builder.Reserve(decl);
      for (const ast::Item& item : decl.items) {
        if (item.kind == ItemKind::kMapping && item.value) {
          builder.gateway.mapping =
              item.value->name == "by_id" ? ir::Mapping::kById : ir::Mapping::kByName;
        }
        if (item.kind == ItemKind::kTrust) builder.AddTrust(item);
      }
      for (const ast::Item& item : decl.items) {
        if (item.kind == ItemKind::kIdentityProvider) {
          AddIdentityProvider(cx, m, item, builder.gateway, builder.trusts);
        }
      }
      CheckRevocationSigners(cx, decl, builder.gateway, builder.trusts);
      CheckDuplicateUserDns(cx, builder.gateway);
      cx.out.gateways.push_back(std::move(builder.gateway));
    }
  }
}

}  // namespace trust::sema
