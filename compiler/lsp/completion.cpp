// Completion: keywords, purposes, lint rule names, and the names a module can use (its own
// declarations and params, and `alias.name` for each import).
#include <cctype>
#include <set>
#include <stdexcept>

#include "compiler/lsp/features.h"
#include "compiler/lsp/text.h"
#include "compiler/parse/keywords.h"

namespace trust::lsp {
namespace {

using nlohmann::json;

// LSP CompletionItemKind values.
constexpr int kKeyword = 14;
constexpr int kEnumMember = 20;
constexpr int kValue = 12;
constexpr int kModuleKind = 9;
constexpr int kConstant = 21;
constexpr int kReference = 18;

class Items {
 public:
  void Add(const std::string& label, int kind, const std::string& detail) {
    if (label.empty() || !seen_.insert(label).second) return;
    items_.push_back({{"label", label}, {"kind", kind}, {"detail", detail}});
  }
  // Declarations and params of `module`, each prefixed with `prefix`.
  void Names(const sema::Module& module, const std::string& prefix) {
    for (const ast::Decl& decl : module.ast.decls) {
      Add(prefix + decl.name.name, kReference, std::string(ast::DeclKindName(decl.kind)));
    }
    for (const ast::Param& param : module.ast.params) {
      Add(prefix + param.name.name, kConstant, "param = \"" + param.value.raw + "\"");
    }
  }
  json Take() { return std::move(items_); }

 private:
  std::set<std::string> seen_;
  json items_ = json::array();
};

// The identifier characters (and one dot) just before `offset`.
std::string WordBefore(std::string_view text, uint32_t offset) {
  size_t begin = offset;
  while (begin > 0) {
    char c = text[begin - 1];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') break;
    --begin;
  }
  return std::string(text.substr(begin, offset - begin));
}

void AddModuleNames(Items& items, const Unit& unit, size_t index, const std::string& word) {
  const sema::Module& module = unit.loaded->modules[index];
  size_t dot = word.find('.');
  if (dot != std::string::npos) {
    auto it = module.imports.find(word.substr(0, dot));
    if (it != module.imports.end()) {
      // Clients replace only the word after the dot: offer bare names.
      items.Names(unit.loaded->modules[it->second], "");
    }
    return;
  }
  items.Names(module, "");
  for (const auto& [alias, target] : module.imports) {
    items.Add(alias, kModuleKind, unit.loaded->modules[target].display_path);
    items.Names(unit.loaded->modules[target], alias + ".");
  }
}

}  // namespace

json Completion(Workspace& workspace, const json& params) {
  const Document* document = workspace.Find(params.at("textDocument").at("uri"));
  if (document == nullptr) throw std::invalid_argument("the document is not open");
  Position position{params.at("position").at("line").get<uint32_t>(),
                    params.at("position").at("character").get<uint32_t>()};
  std::string word = WordBefore(document->text, PositionToOffset(document->text, position));
  Items items;
  // Names from the current compilation and, while the file does not parse, the last good one.
  if (auto found = workspace.UnitFor(document->path)) {
    AddModuleNames(items, *found->first, found->second, word);
  }
  if (const Unit* good = workspace.LastGood(document->path)) {
    if (auto module = good->ModuleOf(document->path)) {
      AddModuleNames(items, *good, *module, word);
    }
  }
  if (word.find('.') == std::string::npos) {
    for (const std::string& keyword : parse::Keywords()) items.Add(keyword, kKeyword, "keyword");
    for (ir::Purpose purpose : ir::AllPurposes()) {
      items.Add(std::string(ir::PurposeWord(purpose)), kEnumMember,
                "purpose: " + std::string(ir::PurposeProperty(purpose)));
    }
    for (diag::Kind kind : diag::AllKinds()) {
      const diag::KindInfo& info = diag::Info(kind);
      if (info.is_lint) items.Add(std::string(info.id), kValue, std::string(info.summary));
    }
  }
  return {{"isIncomplete", false}, {"items", items.Take()}};
}

}  // namespace trust::lsp
