#include "compiler/lsp/occurrences.h"

#include <unordered_map>

namespace trust::lsp {
namespace {

// Only the names of one target matter: a module's uses are compared by name first, and only
// a name that matches is resolved through the module's imports.
class Collector {
 public:
  Collector(const Unit& unit, const Target& target) : unit_(unit), target_(target) {
    if (target.decl != nullptr) name_ = target.decl->name.name;
    if (target.param != nullptr) name_ = target.param->name.name;
  }

  std::vector<Occurrence> Run() {
    if (name_.empty()) return {};
    for (size_t m = 0; m < unit_.compiled->loaded->modules.size(); ++m) Module(m);
    return std::move(found_);
  }

 private:
  void Module(size_t m) {
    module_ = m;
    const ast::Module& ast = unit_.compiled->loaded->modules[m].ast;
    for (const ast::Param& param : ast.params) {
      Declared(param.name.range, Target{m, nullptr, &param, param.name.range});
      Str(param.value);
    }
    for (const ast::Decl& decl : ast.decls) {
      Declared(decl.name.range, Target{m, &decl, nullptr, decl.name.range});
      if (decl.from) Ref(*decl.from);
      for (const ast::Item& item : decl.items) Item(item);
    }
  }

  void Declared(source::SourceRange range, const Target& self) {
    if (SameTarget(self, target_)) found_.push_back({module_, range, true});
  }

  void Use(source::SourceRange range, const std::string& alias, const std::string& name) {
    if (name != name_) return;
    std::optional<Target> resolved = Resolve(unit_, module_, alias, name);
    if (resolved && SameTarget(*resolved, target_)) found_.push_back({module_, range, false});
  }

  void Ref(const ast::Ref& ref) {
    Use(ref.name.range, ref.module ? ref.module->name : "", ref.name.name);
  }

  void Str(const ast::Str& str) {
    for (const ast::StrPart& part : str.parts) {
      if (part.kind != ast::StrPart::Kind::kParam) continue;
      size_t dot = part.text.find('.');
      std::string alias = dot == std::string::npos ? "" : part.text.substr(0, dot);
      std::string name = dot == std::string::npos ? part.text : part.text.substr(dot + 1);
      // `${m.p}`: the name ends just before the closing brace.
      auto end = static_cast<uint32_t>(part.range.end - 1);
      auto begin = static_cast<uint32_t>(end - name.size());
      Use({part.range.file, begin, end}, alias, name);
    }
  }

  void Item(const ast::Item& item) {
    for (const ast::Ref& ref : item.refs) Ref(ref);
    if (item.from) Ref(*item.from);
    for (const ast::Str& str : item.strings) Str(str);
    if (item.alias) Str(*item.alias);
    for (const ast::Item& child : item.children) Item(child);
  }

  const Unit& unit_;
  const Target& target_;
  std::string name_;
  size_t module_ = 0;
  std::vector<Occurrence> found_;
};

}  // namespace

bool SameTarget(const Target& a, const Target& b) {
  return a.module == b.module && a.decl == b.decl && a.param == b.param;
}

std::vector<Occurrence> OccurrencesOf(const Unit& unit, const Target& target) {
  if (!unit.compiled->loaded) return {};
  return Collector(unit, target).Run();
}

}  // namespace trust::lsp
