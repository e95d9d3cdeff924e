#include "compiler/lsp/features.h"

#include <filesystem>
#include <set>
#include <sstream>
#include <stdexcept>

#include "compiler/lsp/navigation.h"
#include "compiler/lsp/text.h"
#include "compiler/review/explain.h"
#include "compiler/review/fmt.h"
#include "runtime/pem/certificate.h"

namespace trust::lsp {
using nlohmann::json;

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

json RangeJson(const LineIndex& lines, source::SourceRange range) {
  Position begin = lines.PositionOf(range.begin);
  Position end = lines.PositionOf(range.end);
  return {{"start", {{"line", begin.line}, {"character", begin.character}}},
          {"end", {{"line", end.line}, {"character", end.character}}}};
}

namespace {

// "main.trust:3", "modules/certs.trust:3", "std/layer7.trust:3": short, and the same on
// every machine, where the compiler's absolute paths would fill a hover.
std::string WhereText(const Unit& unit, source::SourceRange range) {
  const source::SourceFile& file = unit.compiled->sources.file(range.file);
  std::string line = std::to_string(file.Locate(range.begin).line);
  for (const sema::Module& module : unit.compiled->loaded->modules) {
    if (module.ast.file != range.file) continue;
    if (module.is_stdlib) return "std/" + module.stdlib_name + ".trust:" + line;
    std::filesystem::path project = std::filesystem::path(unit.root).parent_path();
    return module.real_path.lexically_relative(project).generic_string() + ":" + line;
  }
  return file.display_path() + ":" + line;
}

// Where a certificate is used: the gateways that trust it and the keystores that hold it.
std::vector<std::string> UsesOf(const ir::Program& program, ir::CertId id) {
  std::vector<std::string> uses;
  for (const ir::Gateway& gateway : program.gateways) {
    for (const ir::Trust& trust : gateway.trusts) {
      if (trust.cert == id) uses.push_back("gateway `" + gateway.name + "`");
    }
  }
  for (const ir::Keystore& keystore : program.keystores) {
    for (const ir::KeystoreEntry& entry : keystore.entries) {
      if (entry.cert == id) uses.push_back("keystore `" + keystore.name + "`");
    }
  }
  return uses;
}

std::string ExpiryText(const pem::CertFacts& facts, int64_t now) {
  int64_t left = (facts.not_after - now) / 86400;
  std::string date = pem::FormatUtc(facts.not_after).substr(0, 10);
  return left >= 0 ? date + " (in " + std::to_string(left) + " days)"
                   : date + " (**expired " + std::to_string(-left) + " days ago**)";
}

// The few lines a reviewer wants: subject, expiry, pin, uses. `trustc explain` has the rest.
std::string ShortFacts(const ir::Program& program, ir::CertId id, int64_t now) {
  const ir::Cert& cert = program.cert(id);
  std::string out;
  if (cert.certificate) {
    const pem::CertFacts& facts = cert.certificate->facts();
    out += "\n\nsubject: `" + facts.subject + "`";
    out += "  \nexpires: " + ExpiryText(facts, now);
    out += "  \nsha256: `" + facts.sha256 + "`" + (cert.pin ? " (pinned)" : " (**not pinned**)");
  } else {
    out += "\n\n*The certificate file did not load.*";
  }
  std::vector<std::string> uses = UsesOf(program, id);
  out += "  \nused by: ";
  if (uses.empty()) out += "nothing";
  for (size_t i = 0; i < uses.size(); ++i) out += (i > 0 ? ", " : "") + uses[i];
  return out;
}

// The certificate declared at `target` in a unit's program, if it got that far.
std::optional<ir::CertId> CertAt(const Unit& unit, const std::string& path,
                                 const std::string& name) {
  if (!unit.compiled->program) return std::nullopt;
  for (uint32_t i = 0; i < unit.compiled->program->certs.size(); ++i) {
    const ir::Cert& cert = unit.compiled->program->certs[i];
    auto it = unit.paths.find(cert.range.file);
    if (it == unit.paths.end() || it->second != path) continue;
    const std::string& text = unit.compiled->sources.file(cert.range.file).text();
    if (text.substr(cert.range.begin, cert.range.end - cert.range.begin) == name)
      return ir::CertId{i};
  }
  return std::nullopt;
}

// Facts from this unit even when other parts of the program have errors; from the last unit
// that compiled when a syntax error kept this one from being checked.
std::string CertificateFacts(Workspace& workspace, const Unit& unit, const Target& target) {
  const std::string& path = unit.paths.at(unit.compiled->loaded->modules[target.module].ast.file);
  const std::string& name = target.decl->name.name;
  if (std::optional<ir::CertId> id = CertAt(unit, path, name)) {
    return ShortFacts(*unit.compiled->program, *id, workspace.Now()) +
           (unit.complete ? "" : "\n\n*(the program has errors; uses counted so far)*");
  }
  const Unit* good = workspace.LastGood(path);
  if (good == nullptr) return "\n\n*No facts yet: the certificate was not checked.*";
  std::optional<ir::CertId> id = CertAt(*good, path, name);
  if (!id) return "\n\n*No facts yet: the certificate was not checked.*";
  return ShortFacts(*good->compiled->program, *id, workspace.Now()) +
         "\n\n*(from the last successful compilation)*";
}

std::string HoverText(Workspace& workspace, const Unit& unit, const Symbol& symbol) {
  if (!symbol.rule.empty()) {
    std::optional<diag::Kind> kind = diag::KindFromId(symbol.rule);
    if (!kind) return "unknown rule `" + symbol.rule + "`";
    return "```\n" + review::ExplainRule(*kind) + "\n```";
  }
  if (!symbol.target) return "";
  const Target& target = *symbol.target;
  const sema::Module& module = unit.compiled->loaded->modules[target.module];
  if (target.param != nullptr) {
    return "**param** `" + target.param->name.name + "` = `\"" + target.param->value.raw +
           "\"`\n\ndeclared at " + WhereText(unit, target.range);
  }
  if (target.decl == nullptr) return "**module** `" + module.display_path + "`";
  std::string out = "**" + std::string(ast::DeclKindName(target.decl->kind)) + "** `" +
                    target.decl->name.name + "` — " + WhereText(unit, target.range);
  if (target.decl->kind == ast::DeclKind::kCert) out += CertificateFacts(workspace, unit, target);
  return out;
}

json LocationOf(const Unit& unit, const Target& target) {
  source::FileId file = unit.compiled->loaded->modules[target.module].ast.file;
  source::SourceRange range = target.range.valid() ? target.range : source::SourceRange{file, 0, 0};
  return {{"uri", PathToUri(unit.paths.at(file))}, {"range", RangeJson(unit.Lines(file), range)}};
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

// "children" is optional: leaving out the empty ones keeps a large outline small.
void AddChildren(json& symbol, json children) {
  if (!children.empty()) symbol["children"] = std::move(children);
}

json ItemSymbols(const LineIndex& text, const std::vector<ast::Item>& items) {
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
                {"selectionRange", RangeJson(text, item.keyword_range)}};
    AddChildren(symbol, ItemSymbols(text, item.children));
    children.push_back(std::move(symbol));
  }
  return children;
}

std::string FormatFailure(const source::SourceManager& sources, const diag::Emitter& emitter,
                          const std::string& error) {
  if (!error.empty()) return "trustc fmt: " + error;
  for (const diag::Diagnostic& d : emitter.diagnostics()) {
    if (d.severity != diag::Severity::Error || !d.range.valid()) continue;
    uint32_t line = sources.file(d.range.file).Locate(d.range.begin).line;
    return "cannot format: syntax error on line " + std::to_string(line) + ": " + d.message;
  }
  return "cannot format: the file has syntax errors";
}

}  // namespace

json Hover(Workspace& workspace, const json& params) {
  Place place = Locate(workspace, params);
  if (place.unit == nullptr) return nullptr;
  std::optional<Symbol> symbol = SymbolAt(*place.unit, place.module, place.offset);
  if (!symbol) return nullptr;
  std::string text = HoverText(workspace, *place.unit, *symbol);
  if (text.empty()) return nullptr;
  return {
      {"contents", {{"kind", "markdown"}, {"value", text}}},
      {"range",
       RangeJson(place.unit->Lines(place.unit->compiled->loaded->modules[place.module].ast.file),
                 symbol->range)}};
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
  const ast::Module& ast = unit.compiled->loaded->modules[found->second].ast;
  const LineIndex& text = unit.Lines(ast.file);
  for (const ast::Param& param : ast.params) {
    symbols.push_back({{"name", param.name.name},
                       {"kind", 14},  // Constant
                       {"range", RangeJson(text, param.range)},
                       {"selectionRange", RangeJson(text, param.name.range)}});
  }
  for (const ast::Decl& decl : ast.decls) {
    bool named = !decl.name.name.empty();
    json symbol{{"name", named ? decl.name.name : "policy"},
                {"detail", std::string(ast::DeclKindName(decl.kind))},
                {"kind", SymbolKind(decl.kind)},
                {"range", RangeJson(text, decl.range)},
                {"selectionRange", RangeJson(text, named ? decl.name.range : decl.keyword_range)}};
    AddChildren(symbol, ItemSymbols(text, decl.items));
    symbols.push_back(std::move(symbol));
  }
  return symbols;
}

// The compiled AST of the document when it is current and parsed cleanly: formatting it saves
// a parse of the whole file (a third of a formatting request on a 10,000-line file).
const ast::Module* ParsedAst(Workspace& workspace, const Document& document) {
  auto found = workspace.UnitFor(document.path);
  if (!found || found->first->compiled->loaded->syntax_errors) return nullptr;
  const Unit& unit = *found->first;
  if (unit.FileOf(found->second).text() != document.text) return nullptr;
  return &unit.compiled->loaded->modules[found->second].ast;
}

json Formatting(Workspace& workspace, const json& params) {
  const Document& document = DocumentOf(workspace, params);
  source::SourceManager sources;
  diag::Emitter emitter;
  std::string error;
  const ast::Module* parsed = ParsedAst(workspace, document);
  std::optional<std::string> formatted =
      parsed ? review::FormatParsed(*parsed, document.text, document.path, &error)
             : review::FormatSource(document.path, document.text, sources, emitter, &error);
  // Silence would look like "already formatted": say why nothing changed.
  if (!formatted) throw RequestFailed(FormatFailure(sources, emitter, error));
  if (*formatted == document.text) return json::array();
  Position end = EndPosition(document.text);
  return json::array({{{"range",
                        {{"start", {{"line", 0}, {"character", 0}}},
                         {"end", {{"line", end.line}, {"character", end.character}}}}},
                       {"newText", *formatted}}});
}

}  // namespace trust::lsp
