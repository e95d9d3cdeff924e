#include "compiler/lsp/features.h"

#include <set>
#include <sstream>
#include <stdexcept>

#include "compiler/lsp/navigation.h"
#include "compiler/lsp/text.h"
#include "compiler/review/explain.h"
#include "compiler/review/fmt.h"

namespace trust::lsp {
namespace {

using nlohmann::json;

struct Place {
  const Document* document = nullptr;
  const Unit* unit = nullptr;
  size_t module = 0;
  uint32_t offset = 0;  // in the compiled text of the module
};

const Document& DocumentOf(Workspace& workspace, const json& params) {
  const Document* document = workspace.Find(params.at("textDocument").at("uri"));
  if (document == nullptr) throw std::invalid_argument("the document is not open");
  return *document;
}

Place Locate(Workspace& workspace, const json& params) {
  Place place;
  place.document = &DocumentOf(workspace, params);
  auto found = workspace.UnitFor(place.document->path);
  if (!found) return place;
  place.unit = found->first;
  place.module = found->second;
  Position position{params.at("position").at("line").get<uint32_t>(),
                    params.at("position").at("character").get<uint32_t>()};
  place.offset = PositionToOffset(place.unit->FileOf(place.module).text(), position);
  return place;
}

json RangeJson(std::string_view text, source::SourceRange range) {
  Position begin = OffsetToPosition(text, range.begin);
  Position end = OffsetToPosition(text, range.end);
  return {{"start", {{"line", begin.line}, {"character", begin.character}}},
          {"end", {{"line", end.line}, {"character", end.character}}}};
}

std::string WhereText(const Unit& unit, source::SourceRange range) {
  const source::SourceFile& file = unit.sources.file(range.file);
  return file.display_path() + ":" + std::to_string(file.Locate(range.begin).line);
}

// The checked certificate declared at `target`, from this unit or the last one that compiled.
std::string CertificateFacts(Workspace& workspace, const Unit& unit, const Target& target) {
  const std::string& path = unit.paths.at(unit.loaded->modules[target.module].ast.file);
  const Unit* checked = unit.program ? &unit : workspace.LastGood(path);
  if (checked == nullptr) return "\n\n*No facts: the program does not compile yet.*";
  for (const ir::Cert& cert : checked->program->certs) {
    auto it = checked->paths.find(cert.range.file);
    if (it == checked->paths.end() || it->second != path) continue;
    const std::string& text = checked->sources.file(cert.range.file).text();
    if (text.substr(cert.range.begin, cert.range.end - cert.range.begin) != target.decl->name.name)
      continue;
    std::string error;
    std::optional<std::string> facts =
        review::Explain(*checked->program, checked->sources, cert.name, &error);
    std::string out = "\n\n```\n" + facts.value_or(error) + "\n```";
    if (cert.certificate) {
      int64_t left = (cert.certificate->facts().not_after - workspace.Now()) / 86400;
      out += left >= 0 ? "\n\nExpires in **" + std::to_string(left) + " days**."
                       : "\n\n**Expired " + std::to_string(-left) + " days ago.**";
    }
    if (checked != &unit) out += "\n\n*(from the last successful compilation)*";
    return out;
  }
  return "";
}

std::string HoverText(Workspace& workspace, const Unit& unit, const Symbol& symbol) {
  if (!symbol.rule.empty()) {
    std::optional<diag::Kind> kind = diag::KindFromId(symbol.rule);
    if (!kind) return "unknown rule `" + symbol.rule + "`";
    return "```\n" + review::ExplainRule(*kind) + "\n```";
  }
  if (!symbol.target) return "";
  const Target& target = *symbol.target;
  const sema::Module& module = unit.loaded->modules[target.module];
  if (target.param != nullptr) {
    return "**param** `" + target.param->name.name + "` = `\"" + target.param->value.raw +
           "\"`\n\ndeclared at " + WhereText(unit, target.range);
  }
  if (target.decl == nullptr) return "**module** `" + module.display_path + "`";
  std::string out = "**" + std::string(ast::DeclKindName(target.decl->kind)) + "** `" +
                    target.decl->name.name + "`\n\ndeclared at " + WhereText(unit, target.range);
  if (target.decl->kind == ast::DeclKind::kCert) out += CertificateFacts(workspace, unit, target);
  return out;
}

json LocationOf(const Unit& unit, const Target& target) {
  source::FileId file = unit.loaded->modules[target.module].ast.file;
  source::SourceRange range = target.range.valid() ? target.range : source::SourceRange{file, 0, 0};
  return {{"uri", PathToUri(unit.paths.at(file))},
          {"range", RangeJson(unit.sources.file(file).text(), range)}};
}

int SymbolKind(ast::DeclKind kind) {
  switch (kind) {
    case ast::DeclKind::kCert:
      return 19;  // Object
    case ast::DeclKind::kGateway:
      return 2;  // Module
    case ast::DeclKind::kKeystore:
      return 4;  // Package
    case ast::DeclKind::kPolicy:
      return 3;  // Namespace
    default:
      return 11;  // Interface: the templates
  }
}

json ItemSymbols(std::string_view text, const std::vector<ast::Item>& items) {
  json children = json::array();
  for (const ast::Item& item : items) {
    std::string name;
    if (item.kind == ast::ItemKind::kIdentityProvider && item.name) {
      name = "identity_provider " + item.name->name;
    } else if (item.kind == ast::ItemKind::kTrust && !item.refs.empty()) {
      name = "trust " + item.refs[0].Text();
    } else if (item.kind == ast::ItemKind::kUser && !item.strings.empty()) {
      name = "user \"" + item.strings[0].raw + "\"";
    }
    if (name.empty()) continue;
    json symbol{{"name", name},
                {"kind", 8},  // Field
                {"range", RangeJson(text, item.range)},
                {"selectionRange", RangeJson(text, item.keyword_range)},
                {"children", ItemSymbols(text, item.children)}};
    children.push_back(std::move(symbol));
  }
  return children;
}

}  // namespace

json Hover(Workspace& workspace, const json& params) {
  Place place = Locate(workspace, params);
  if (place.unit == nullptr) return nullptr;
  std::optional<Symbol> symbol = SymbolAt(*place.unit, place.module, place.offset);
  if (!symbol) return nullptr;
  std::string text = HoverText(workspace, *place.unit, *symbol);
  if (text.empty()) return nullptr;
  return {{"contents", {{"kind", "markdown"}, {"value", text}}},
          {"range", RangeJson(place.unit->FileOf(place.module).text(), symbol->range)}};
}

json Definition(Workspace& workspace, const json& params) {
  Place place = Locate(workspace, params);
  if (place.unit == nullptr) return nullptr;
  std::optional<Symbol> symbol = SymbolAt(*place.unit, place.module, place.offset);
  if (!symbol || !symbol->target) return nullptr;
  return LocationOf(*place.unit, *symbol->target);
}

json DocumentSymbols(Workspace& workspace, const json& params) {
  const Document& document = DocumentOf(workspace, params);
  auto found = workspace.UnitFor(document.path);
  json symbols = json::array();
  if (!found) return symbols;
  const Unit& unit = *found->first;
  const ast::Module& ast = unit.loaded->modules[found->second].ast;
  std::string_view text = unit.sources.file(ast.file).text();
  for (const ast::Param& param : ast.params) {
    symbols.push_back({{"name", param.name.name},
                       {"kind", 14},  // Constant
                       {"range", RangeJson(text, param.range)},
                       {"selectionRange", RangeJson(text, param.name.range)}});
  }
  for (const ast::Decl& decl : ast.decls) {
    bool named = !decl.name.name.empty();
    symbols.push_back(
        {{"name", named ? decl.name.name : "policy"},
         {"detail", std::string(ast::DeclKindName(decl.kind))},
         {"kind", SymbolKind(decl.kind)},
         {"range", RangeJson(text, decl.range)},
         {"selectionRange", RangeJson(text, named ? decl.name.range : decl.keyword_range)},
         {"children", ItemSymbols(text, decl.items)}});
  }
  return symbols;
}

json Formatting(Workspace& workspace, const json& params) {
  const Document& document = DocumentOf(workspace, params);
  source::SourceManager sources;
  diag::Emitter emitter;
  std::string error;
  std::optional<std::string> formatted =
      review::FormatSource(document.path, document.text, sources, emitter, &error);
  // Syntax errors: nothing to do; the diagnostics already say why.
  if (!formatted) return nullptr;
  if (*formatted == document.text) return json::array();
  Position end = EndPosition(document.text);
  return json::array({{{"range",
                        {{"start", {{"line", 0}, {"character", 0}}},
                         {"end", {{"line", end.line}, {"character", end.character}}}}},
                       {"newText", *formatted}}});
}

}  // namespace trust::lsp
