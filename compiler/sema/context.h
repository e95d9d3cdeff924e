// State shared by the sema passes (one file per concern). Private to sema/.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/facts/facts_cache.h"
#include "compiler/ir/ir.h"
#include "compiler/sema/program.h"
#include "compiler/sema/sema.h"

namespace trust::sema {

// A declaration: module index and index into that module's decls.
struct DeclRef {
  size_t module = 0;
  size_t decl = 0;
  auto operator<=>(const DeclRef&) const = default;
};

// An item with the module whose names it uses: template items resolve in the template's module.
struct ScopedItem {
  const ast::Item* item;
  size_t module;
};

// Where `${env:...}` may appear (docs/language.md, "Params and interpolation").
enum class EnvPolicy { kForbidden, kAllowed };

// Which control characters a string may hold (control_character): none, except a tab in a
// `note`, free text for readers that no artifact carries.
enum class Controls { kRefused, kTabAllowed };
inline Controls ControlsFor(ast::ItemKind kind) {
  return kind == ast::ItemKind::kNote ? Controls::kTabAllowed : Controls::kRefused;
}

class Context {
  // Declared first: cert_cache may refer to it.
  std::unique_ptr<facts::FactsCache> own_cert_cache_;

 public:
  Context(const LoadedProgram& program, const CheckOptions& options,
          const source::SourceManager& sources, diag::Emitter& emitter);

  const LoadedProgram& program;
  const CheckOptions& options;
  const source::SourceManager& sources;
  diag::Emitter& emitter;
  ir::Program out;

  const Module& module(size_t index) const { return program.modules[index]; }
  const ast::Decl& decl(DeclRef ref) const { return module(ref.module).ast.decls[ref.decl]; }
  // `name` or `alias.name`, as a user of the root module would write it.
  std::string QualifiedName(DeclRef ref) const;

  // names.cpp: resolves `ref` written in `module` to a declaration of one of `kinds`.
  std::optional<DeclRef> Lookup(const ast::Ref& ref, size_t module,
                                std::initializer_list<ast::DeclKind> kinds, std::string_view what);

  // params.cpp: the text of a string, params substituted; env placeholders kept as `${env:X}`.
  std::optional<std::string> Interpolate(const ast::Str& str, size_t module, EnvPolicy env,
                                         Controls controls = Controls::kRefused);
  bool RefuseControlCharacters(const ast::StrPart& part, Controls controls,
                               source::SourceRange where, bool here);

  // templates.cpp: the items of a block after merging its `from` chain (template items first).
  std::vector<ScopedItem> Flatten(const ast::Boxed<ast::Ref>& from, ast::DeclKind template_kind,
                                  const std::vector<ast::Item>& items, size_t module);
  // Set by Flatten: the `from` chain had an error (already reported), so the merged items are
  // incomplete and "missing item" rules would only repeat it.
  bool last_from_failed = false;

  // certificates.cpp: the CertId of a cert declaration (loaded on first use).
  std::optional<ir::CertId> CertFor(const ast::Ref& ref, size_t module);
  // What was read, when a file was (its `cert` is left for the caller to set).
  std::optional<ir::CertFileRead> LoadCertFile(const std::filesystem::path& named,
                                               const ast::Str& file, const std::string& expanded,
                                               ir::Cert& cert);
  // A certificate file resolved and read ahead of LoadCert, and what the facts cache made of
  // its bytes: done for a batch of declarations at a time by a few threads (PrefetchCertFiles),
  // since resolving, reading and hashing 100,000 small files is mostly waiting on the system.
  struct PrefetchedCertFile {
    std::filesystem::path real;  // not read when outside the root: LoadCertFile reports it
    std::optional<std::string> bytes;
    std::string error;  // why not, when bytes is empty
    facts::FactsCache::Prepared prepared;
  };
  std::string RelativeNamed(const std::filesystem::path& named,
                            const std::filesystem::path& real) const;
  std::vector<bool> cert_used;
  // Certificate facts by content: each distinct file is decoded at most once (facts_cache.h).
  // The session's when there is one, else this check's own.
  facts::FactsCache& cert_cache;
  // Allows (by source position) that waived at least one finding; see lint.cpp.
  std::set<std::pair<source::FileId, uint32_t>> used_allows;

  void BuildScopes();
  void EvaluateParams();
  void LoadAllCerts();

 private:
  struct Symbol {
    bool is_param;
    size_t index;  // into decls or params
  };
  struct ParamState {
    enum { kUnvisited, kVisiting, kDone } state = kUnvisited;
    std::optional<std::vector<ast::StrPart>> value;  // text and env parts
  };

  std::optional<std::vector<ast::StrPart>> ParamValue(size_t module, size_t param,
                                                      source::SourceRange use);
  std::optional<std::vector<ast::StrPart>> Expand(const ast::Str& str, size_t module);
  void Flatten(const ast::Boxed<ast::Ref>& from, ast::DeclKind kind, size_t module, size_t depth,
               std::vector<ScopedItem>& flattened);
  void SuggestSimilar(const std::string& name, size_t module, ast::DeclKind kind,
                      std::vector<diag::Note>& notes) const;
  std::optional<ir::CertId> LoadCert(DeclRef ref);

  void PrefetchCertFiles(std::span<const DeclRef> batch);
  // By named path (the module's directory joined with the `file` string); LoadCertFile takes
  // an entry out when it uses it.
  std::unordered_map<std::string, PrefetchedCertFile> prefetched_;
  // The symbol `name` of module `m`, if it declares one.
  const Symbol* FindSymbol(size_t m, std::string_view name) const;

  // Per module: its names (of params and declarations, the first of each), sorted, as views
  // into the module's syntax tree (which outlives this Context). Sorted arrays rather than
  // maps: a map held a heap block per name, with a copy of the name, and a module may declare
  // 100,000 certificates.
  using Scope = std::vector<std::pair<std::string_view, Symbol>>;
  std::vector<Scope> scopes_;
  std::map<std::pair<size_t, size_t>, ParamState> params_;
  std::map<std::pair<size_t, std::string>, std::string> defines_;  // resolved -D per module
  // Per module, per declaration: the CertId of a cert declaration once loaded. A module's list
  // is sized when its first certificate loads (the outer list, once, to every module).
  std::vector<std::vector<std::optional<ir::CertId>>> cert_ids_;
  std::set<DeclRef> template_stack_;
};

// Each concern's pass, in the order Check runs them.
void CheckGateways(Context& cx);
void CheckKeystores(Context& cx);
void CheckPolicy(Context& cx);
void RunLint(Context& cx);

// Two users of one gateway with the same DN: `duplicate_user_dn`.
void CheckDuplicateUserDns(Context& cx, const ir::Gateway& gateway);

// Two certificates are the same when they are the same declaration or have the same bytes:
// exactly when their keys are equal (the sha256, or the declaration for an unreadable file).
std::string CertKey(const Context& cx, ir::CertId id);

// A gateway's trusts by certificate, so that every lookup costs the same however many
// certificates the gateway trusts (estates have tens of thousands).
class TrustIndex {
 public:
  TrustIndex(const Context& cx, const ir::Gateway& gateway) : cx_(cx), gateway_(gateway) {}
  // The gateway's trust of this certificate, if any.
  const ir::Trust* Find(ir::CertId id) const;
  // Records gateway.trusts.back(), just added.
  void AddLast();
  void Reserve(size_t trusts) { by_cert_.reserve(trusts); }

 private:
  const Context& cx_;
  const ir::Gateway& gateway_;
  std::unordered_map<std::string, size_t> by_cert_;  // CertKey -> index into gateway_.trusts
};

// identity_providers.cpp: one `identity_provider` item of `gateway`, whose trusts are complete.
void AddIdentityProvider(Context& cx, size_t module, const ast::Item& item, ir::Gateway& gateway,
                         const TrustIndex& trusts);

// revocation.cpp: the `revocation_policy` items of gateway `decl` (before its trusts, which
// reference them); a trust's `revocation policy NAME` (unknown_name when the gateway has none
// of that name); signers the gateway does not trust (after its trusts); the lint rules.
void AddRevocationPolicies(Context& cx, size_t module, const ast::Decl& decl, ir::Gateway& gateway);
std::optional<ir::RevocationPolicyIndex> FindRevocationPolicy(Context& cx,
                                                              const ir::Gateway& gateway,
                                                              const ast::Ref& ref);
void CheckRevocationSigners(Context& cx, const ast::Decl& decl, const ir::Gateway& gateway,
                            const TrustIndex& trusts);
void LintRevocationPolicies(Context& cx, const ir::Gateway& gateway);
// Whether `cert` signs for one of the gateway's policies: a trust needs no purpose then.
bool IsRevocationSigner(const Context& cx, const ir::Gateway& gateway, ir::CertId cert);

// Duplicate single-valued items within one block: `duplicate_item`.
void CheckDuplicateItems(Context& cx, const std::vector<ast::Item>& items);

// The last item of any of `kinds` (one slot; last wins, template items come first).
const ScopedItem* Last(const std::vector<ScopedItem>& items,
                       std::initializer_list<ast::ItemKind> kinds);

// lint.cpp: reports lint finding `rule` at the policy's level, unless one of `waivers` (the
// allows of the certificate and of the trust concerned) waives it.
void ReportLint(Context& cx, diag::Kind rule, source::SourceRange range, std::string message,
                std::initializer_list<const std::vector<ir::Allow>*> waivers,
                std::vector<diag::Note> notes = {});

// lint.cpp: an `allow RULE because "..."`; nullopt (after `unknown_rule`) for a non-lint RULE.
std::optional<ir::Allow> MakeAllow(Context& cx, const ScopedItem& item);

}  // namespace trust::sema
