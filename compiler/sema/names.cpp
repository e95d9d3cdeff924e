// Scopes and name resolution, with kinds: a keystore where a certificate is expected is an
// error that says so, and an unknown name suggests a similar one.
#include <algorithm>

#include "base/version.h"
#include "compiler/sema/context.h"
#include "compiler/sema/sema.h"
#include "compiler/sema/session.h"

namespace trust::sema {
namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "a certificate", "an identity_provider template".
std::string Article(std::string_view noun) {
  return !noun.empty() && std::string_view("aeiou").find(noun[0]) != std::string_view::npos ? "an"
                                                                                            : "a";
}

std::string KindList(std::initializer_list<ast::DeclKind> kinds) {
  std::string out;
  for (ast::DeclKind kind : kinds) {
    if (!out.empty()) out += " or ";
    out += ast::DeclKindName(kind);
  }
  return out;
}

}  // namespace

std::unique_ptr<facts::FactsCache> BuildFactsCache() {
  facts::CacheOptions options;
  options.spill_der = true;
  // Facts computed by another version (perhaps with a bug since fixed) are not reused.
  return std::make_unique<facts::FactsCache>(facts::FactsCache::DefaultDirectory(),
                                             "trustc " TRUST_VERSION, options);
}

namespace {

facts::FactsCache& CacheOfCheck(const CheckOptions& options,
                                std::unique_ptr<facts::FactsCache>& own) {
  if (options.facts != nullptr) return *options.facts;
  if (options.session != nullptr) return options.session->facts();
  own = BuildFactsCache();
  return *own;
}

}  // namespace

Context::Context(const LoadedProgram& loaded, const CheckOptions& check_options,
                 const source::SourceManager& source_manager, diag::Emitter& diagnostics)
    : program(loaded),
      options(check_options),
      sources(source_manager),
      emitter(diagnostics),
      cert_cache(CacheOfCheck(check_options, own_cert_cache_)) {}

std::string Context::QualifiedName(DeclRef ref) const {
  const std::string& name = decl(ref).name.name;
  if (ref.module == 0) return name;
  for (const auto& [alias, index] : module(0).imports) {
    if (index == ref.module) return alias + "." + name;
  }
  std::string stem = module(ref.module).is_stdlib ? module(ref.module).stdlib_name
                                                  : module(ref.module).real_path.stem().string();
  return stem + "." + name;
}

void Context::BuildScopes() {
  scopes_.resize(program.modules.size());
  for (size_t m = 0; m < program.modules.size(); ++m) {
    std::map<std::string, source::SourceRange> first;
    auto declare = [&](const ast::Ident& name, Symbol symbol) {
      if (name.name.empty()) return;
      if (auto [it, fresh] = first.emplace(name.name, name.range); !fresh) {
        emitter.Emit(diag::Kind::duplicate_decl, name.range,
                     diag::Quote(name.name) + " is declared twice in this module",
                     {{it->second, "first declared here"}});
        return;
      }
      scopes_[m].emplace_back(name.name, symbol);
    };
    const ast::Module& ast = module(m).ast;
    scopes_[m].reserve(ast.params.size() + ast.decls.size());
    for (size_t p = 0; p < ast.params.size(); ++p) declare(ast.params[p].name, {true, p});
    for (size_t d = 0; d < ast.decls.size(); ++d) declare(ast.decls[d].name, {false, d});
    std::sort(scopes_[m].begin(), scopes_[m].end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
  }
}

const Context::Symbol* Context::FindSymbol(size_t m, std::string_view name) const {
  const Scope& scope = scopes_[m];
  auto it = std::lower_bound(scope.begin(), scope.end(), name,
                             [](const auto& entry, std::string_view n) { return entry.first < n; });
  return it != scope.end() && it->first == name ? &it->second : nullptr;
}

void Context::SuggestSimilar(const std::string& name, size_t m, ast::DeclKind kind,
                             std::vector<diag::Note>& notes) const {
  const ast::Ident* best = nullptr;
  size_t best_distance = std::max<size_t>(2, name.size() / 3) + 1;
  for (const auto& [candidate, symbol] : scopes_[m]) {
    if (symbol.is_param) continue;
    const ast::Decl& d = module(m).ast.decls[symbol.index];
    if (d.kind != kind) continue;
    size_t distance = EditDistance(name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = &d.name;
    }
  }
  if (best != nullptr)
    notes.push_back({best->range, "did you mean " + diag::Quote(best->name) + "?"});
}

std::optional<DeclRef> Context::Lookup(const ast::Ref& ref, size_t m,
                                       std::initializer_list<ast::DeclKind> kinds,
                                       std::string_view what) {
  size_t target = m;
  if (ref.module) {
    auto it = module(m).imports.find(ref.module->name);
    if (it == module(m).imports.end()) {
      emitter.Emit(diag::Kind::unknown_module, ref.module->range,
                   "no import is named " + diag::Quote(ref.module->name) +
                       "; imports are not transitive, import the module here");
      return std::nullopt;
    }
    target = it->second;
  }
  const Symbol* found = FindSymbol(target, ref.name.name);
  if (found != nullptr && found->is_param) {
    const ast::Param& param = module(target).ast.params[found->index];
    emitter.Emit(diag::Kind::wrong_kind, ref.range,
                 diag::Quote(ref.Text()) + " is a param, expected " + Article(what) + " " +
                     std::string(what),
                 {{param.name.range, diag::Quote(ref.Text()) + " is declared here"}});
    return std::nullopt;
  }
  if (found == nullptr) {
    std::vector<diag::Note> notes;
    SuggestSimilar(ref.name.name, target, *kinds.begin(), notes);
    emitter.Emit(diag::Kind::unknown_name, ref.range,
                 "unknown " + std::string(what) + " " + diag::Quote(ref.Text()), std::move(notes));
    return std::nullopt;
  }
  DeclRef result{target, found->index};
  const ast::Decl& d = decl(result);
  if (std::find(kinds.begin(), kinds.end(), d.kind) == kinds.end()) {
    emitter.Emit(diag::Kind::wrong_kind, ref.range,
                 diag::Quote(ref.Text()) + " is " + Article(ast::DeclKindName(d.kind)) + " " +
                     std::string(ast::DeclKindName(d.kind)) + ", expected " +
                     Article(KindList(kinds)) + " " + KindList(kinds),
                 {{d.name.range, diag::Quote(ref.Text()) + " is declared here"}});
    return std::nullopt;
  }
  return result;
}

}  // namespace trust::sema
