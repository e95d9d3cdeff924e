#include "compiler/lsp/features.h"

#include <filesystem>
#include <set>
#include <sstream>
#include <stdexcept>

#include "compiler/diag/json_text.h"
#include "compiler/lsp/navigation.h"
#include "compiler/lsp/text.h"
#include "compiler/review/explain.h"
#include "compiler/review/fmt.h"
#include "runtime/x509/certificate.h"

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

std::string ExpiryText(const x509::CertFacts& facts, int64_t now) {
  int64_t left = (facts.not_after - now) / 86400;
  std::string date = x509::FormatUtc(facts.not_after).substr(0, 10);
  return left >= 0 ? date + " (in " + std::to_string(left) + " days)"
                   : date + " (**expired " + std::to_string(-left) + " days ago**)";
}

// The few lines a reviewer wants: subject, expiry, pin, uses. `trustc explain` has the rest.
std::string ShortFacts(const ir::Program& program, ir::CertId id, int64_t now) {
  const ir::Cert& cert = program.cert(id);
  std::string out;
  if (cert.certificate) {
    const x509::CertFacts& facts = cert.certificate->facts();
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
    return "**param** `" + target.param->name.name + "` = `\"" + target.param->value.Raw() +
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

// The outline as JSON text, written without building a JSON tree: a 10,000-line file has
// thousands of symbols, and making the tree and then serializing it cost more than the rest of
// the request. Names are serialized by the library (diag::JsonText); only punctuation and
// numbers are written here. Keys come in sorted order, as nlohmann's objects print them.
class OutlineWriter {
 public:
  explicit OutlineWriter(const LineIndex& lines) : lines_(lines) { out_ += '['; }

  // One symbol; `children()` writes its children with more Symbol calls. "children" is left
  // out when there are none, which keeps a large outline small; "detail" when it is empty.
  template <typename Children>
  void Symbol(std::string_view name, std::string_view detail, int kind, source::SourceRange range,
              source::SourceRange selection, Children children) {
    Separator();
    out_ += '{';
    size_t no_children = out_.size();
    out_ += "\"children\":[";
    first_.push_back(true);
    children();
    bool any = !first_.back();
    first_.pop_back();
    if (any) {
      out_ += "],";
    } else {
      out_.resize(no_children);
    }
    if (!detail.empty()) {
      out_ += "\"detail\":";
      WriteString(detail);
      out_ += ',';
    }
    out_ += "\"kind\":" + std::to_string(kind) + ",\"name\":";
    WriteString(name);
    out_ += ",\"range\":";
    WriteRange(range);
    out_ += ",\"selectionRange\":";
    WriteRange(selection);
    out_ += '}';
  }

  std::string Finish() {
    out_ += ']';
    return std::move(out_);
  }

 private:
  void Separator() {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
  void WriteString(std::string_view text) { out_ += diag::JsonText(json(text), -1); }
  void WritePosition(uint32_t offset) {
    Position at = lines_.PositionOf(offset);
    out_ += "{\"character\":" + std::to_string(at.character) +
            ",\"line\":" + std::to_string(at.line) + '}';
  }
  void WriteRange(source::SourceRange range) {
    out_ += "{\"end\":";
    WritePosition(range.end);
    out_ += ",\"start\":";
    WritePosition(range.begin);
    out_ += '}';
  }

  const LineIndex& lines_;
  std::string out_;
  std::vector<bool> first_{true};  // per open list: nothing written in it yet
};

// The outline's entries for the items of a block: trusts, identity providers and users.
void ItemSymbols(OutlineWriter& out, const std::vector<ast::Item>& items) {
  for (const ast::Item& item : items) {
    std::string name;
    if (item.kind == ast::ItemKind::kIdentityProvider && item.name) {
      name = "identity_provider " + item.name->name;
    } else if (item.kind == ast::ItemKind::kTrust && !item.refs.empty()) {
      name = "trust " + item.refs[0].Text();
    } else if (item.kind == ast::ItemKind::kUser && !item.strings.empty()) {
      name = std::string(item.value ? "user name \"" : "user \"") + item.strings[0].Raw() + "\"";
    }
    if (name.empty()) continue;
    out.Symbol(name, "", 8 /* Field */, item.range, item.keyword_range,
               [&] { ItemSymbols(out, item.children); });
  }
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

std::string DocumentSymbolsText(Workspace& workspace, const json& params) {
  const Document& document = DocumentOf(workspace, params);
  auto found = workspace.UnitFor(document.path);
  if (!found) return "[]";
  const Unit& unit = *found->first;
  const ast::Module& ast = unit.compiled->loaded->modules[found->second].ast;
  OutlineWriter out(unit.Lines(ast.file));
  for (const ast::Param& param : ast.params) {
    out.Symbol(param.name.name, "", 14 /* Constant */, param.range, param.name.range, [] {});
  }
  for (const ast::Decl& decl : ast.decls) {
    bool named = !decl.name.name.empty();
    out.Symbol(named ? decl.name.name : "policy", ast::DeclKindName(decl.kind),
               SymbolKind(decl.kind), decl.range, named ? decl.name.range : decl.keyword_range,
               [&] { ItemSymbols(out, decl.items); });
  }
  return out.Finish();
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
