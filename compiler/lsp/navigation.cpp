#include "compiler/lsp/navigation.h"

#include <cctype>

namespace trust::lsp {
namespace {

bool Contains(source::SourceRange range, uint32_t offset) {
  return range.valid() && range.begin <= offset && offset <= range.end;
}

class Finder {
 public:
  Finder(const Unit& unit, size_t module, uint32_t offset)
      : unit_(unit), module_(module), offset_(offset) {}

  std::optional<Symbol> Run() {
    const ast::Module& ast = unit_.compiled->loaded->modules[module_].ast;
    for (const ast::Import& import : ast.imports) Import(import);
    for (const ast::Param& param : ast.params) {
      if (Contains(param.name.range, offset_)) Found(param.name.range, Self(param));
      Str(param.value);
    }
    for (const ast::Decl& decl : ast.decls) Decl(decl);
    return found_;
  }

 private:
  Target Self(const ast::Param& param) const {
    return {module_, nullptr, &param, param.name.range};
  }

  void Found(source::SourceRange range, std::optional<Target> target, std::string rule = "") {
    if (!found_) found_ = Symbol{range, std::move(target), std::move(rule)};
  }

  // The alias rule of docs/language.md, "Modules and imports" (sema/imports): the file name without
  // `.trust`, every character not allowed in an identifier replaced by `_`.
  static std::string AliasOf(const ast::Import& import) {
    if (import.alias) return import.alias->name;
    std::string path;
    for (const ast::StrPart& part : import.path.parts) path += part.text;
    std::string stem = path.substr(path.find_last_of('/') + 1);
    if (stem.size() > 6 && stem.ends_with(".trust")) stem.resize(stem.size() - 6);
    std::string alias;
    for (char c : stem) alias += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
    if (alias.empty() || std::isdigit(static_cast<unsigned char>(alias[0]))) alias = "_" + alias;
    return alias;
  }

  void Import(const ast::Import& import) {
    if (!Contains(import.range, offset_)) return;
    const auto& imports = unit_.compiled->loaded->modules[module_].imports;
    auto it = imports.find(AliasOf(import));
    if (it == imports.end()) return;
    const sema::Module& target = unit_.compiled->loaded->modules[it->second];
    Found(import.range, Target{it->second, nullptr, nullptr, {target.ast.file, 0, 0}});
  }

  void Ref(const ast::Ref& ref) {
    if (!Contains(ref.range, offset_)) return;
    Found(ref.range, Resolve(unit_, module_, ref.module ? ref.module->name : "", ref.name.name));
  }

  void Str(const ast::Str& str) {
    for (const ast::StrPart& part : str.parts) {
      if (part.kind != ast::StrPart::Kind::kParam || !Contains(part.range, offset_)) continue;
      size_t dot = part.text.find('.');
      std::string alias = dot == std::string::npos ? "" : part.text.substr(0, dot);
      std::string name = dot == std::string::npos ? part.text : part.text.substr(dot + 1);
      Found(part.range, Resolve(unit_, module_, alias, name));
    }
  }

  void Item(const ast::Item& item) {
    if (!Contains(item.range, offset_)) return;
    for (const ast::Ref& ref : item.refs) Ref(ref);
    if (item.from) Ref(*item.from);
    for (const ast::Str& str : item.strings) Str(str);
    bool rule = item.kind == ast::ItemKind::kAllow || item.kind == ast::ItemKind::kRule;
    if (rule && item.name && Contains(item.name->range, offset_)) {
      Found(item.name->range, std::nullopt, item.name->name);
    }
    for (const ast::Item& child : item.children) Item(child);
  }

  void Decl(const ast::Decl& decl) {
    if (!Contains(decl.range, offset_)) return;
    if (Contains(decl.name.range, offset_)) {
      Found(decl.name.range, Target{module_, &decl, nullptr, decl.name.range});
    }
    if (decl.from) Ref(*decl.from);
    for (const ast::Item& item : decl.items) Item(item);
  }

  const Unit& unit_;
  size_t module_;
  uint32_t offset_;
  std::optional<Symbol> found_;
};

}  // namespace

std::optional<Target> Resolve(const Unit& unit, size_t module, const std::string& alias,
                              const std::string& name) {
  if (!unit.compiled->loaded || module >= unit.compiled->loaded->modules.size())
    return std::nullopt;
  size_t where = module;
  if (!alias.empty()) {
    const auto& imports = unit.compiled->loaded->modules[module].imports;
    auto it = imports.find(alias);
    if (it == imports.end()) return std::nullopt;
    where = it->second;
  }
  const ast::Module& ast = unit.compiled->loaded->modules[where].ast;
  for (const ast::Decl& decl : ast.decls) {
    if (decl.name.name == name) return Target{where, &decl, nullptr, decl.name.range};
  }
  for (const ast::Param& param : ast.params) {
    if (param.name.name == name) return Target{where, nullptr, &param, param.name.range};
  }
  return std::nullopt;
}

std::optional<Symbol> SymbolAt(const Unit& unit, size_t module, uint32_t offset) {
  if (!unit.compiled->loaded || module >= unit.compiled->loaded->modules.size())
    return std::nullopt;
  return Finder(unit, module, offset).Run();
}

}  // namespace trust::lsp
