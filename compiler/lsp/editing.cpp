// The requests that change or survey the text: references, document highlight, rename, code
// actions and code lenses. Every edit is a WorkspaceEdit of plain text edits: the editor
// applies it as the user would type it, and the server recompiles the result as usual.
#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "compiler/lsp/features.h"
#include "compiler/lsp/navigation.h"
#include "compiler/lsp/occurrences.h"
#include "compiler/lsp/text.h"
#include "compiler/parse/keywords.h"
#include "runtime/pem/certificate.h"

namespace trust::lsp {
namespace {

using nlohmann::json;

// LSP DocumentHighlightKind values.
constexpr int kHighlightRead = 2;
constexpr int kHighlightWrite = 3;

std::string UriOf(const Unit& unit, size_t module) {
  return PathToUri(unit.paths.at(unit.compiled->loaded->modules[module].ast.file));
}

json RangeIn(const Unit& unit, size_t module, source::SourceRange range) {
  return RangeJson(unit.Lines(unit.compiled->loaded->modules[module].ast.file), range);
}

json TextEdit(json range, const std::string& text) {
  return {{"range", std::move(range)}, {"newText", text}};
}

json InsertAt(const Unit& unit, size_t module, uint32_t offset, const std::string& text) {
  source::FileId file = unit.compiled->loaded->modules[module].ast.file;
  return TextEdit(RangeIn(unit, module, {file, offset, offset}), text);
}

json Action(const std::string& title, const std::string& kind, const std::string& uri, json edits) {
  return {{"title", title}, {"kind", kind}, {"edit", {{"changes", {{uri, std::move(edits)}}}}}};
}

// The declaration or param under the cursor, if the cursor is on a name that resolves.
std::optional<Target> TargetAt(const Place& place) {
  if (place.unit == nullptr) return std::nullopt;
  std::optional<Symbol> symbol = SymbolAt(*place.unit, place.module, place.offset);
  if (!symbol || !symbol->target) return std::nullopt;
  if (symbol->target->decl == nullptr && symbol->target->param == nullptr) return std::nullopt;
  return symbol->target;
}

bool IsIdentifier(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

bool IsKeyword(const std::string& name) {
  const std::vector<std::string>& keywords = parse::Keywords();
  return std::find(keywords.begin(), keywords.end(), name) != keywords.end();
}

// Refuses a rename the program could not take: not an identifier, a keyword, a standard
// library declaration, or a name the module already declares (the uses would change meaning).
void CheckRename(const Unit& unit, const Target& target, const std::string& new_name) {
  if (!IsIdentifier(new_name)) throw RequestFailed("`" + new_name + "` is not an identifier");
  if (IsKeyword(new_name)) throw RequestFailed("`" + new_name + "` is a keyword");
  if (unit.compiled->loaded->modules[target.module].is_stdlib) {
    throw RequestFailed("the standard library is read-only");
  }
  if (std::optional<Target> clash = Resolve(unit, target.module, "", new_name)) {
    const source::SourceFile& file = unit.FileOf(clash->module);
    throw RequestFailed("`" + new_name + "` is already declared at line " +
                        std::to_string(file.Locate(clash->range.begin).line) +
                        "; renaming would merge two names");
  }
}

// ---- code actions ----------------------------------------------------------------------

bool Overlaps(source::SourceRange a, uint32_t begin, uint32_t end) {
  return a.begin <= end && begin <= a.end;
}

// "did you mean `x`?" notes of the diagnostics in the range: replace the unknown name.
void DidYouMean(const Unit& unit, size_t module, uint32_t begin, uint32_t end, json& actions) {
  source::FileId file = unit.compiled->loaded->modules[module].ast.file;
  const std::string& text = unit.compiled->sources.file(file).text();
  for (const diag::Diagnostic& d : unit.compiled->emitter.diagnostics()) {
    if (d.range.file != file || !Overlaps(d.range, begin, end)) continue;
    for (const diag::Note& note : d.notes) {
      const std::string prefix = "did you mean `";
      if (!note.message.starts_with(prefix)) continue;
      size_t close = note.message.find('`', prefix.size());
      if (close == std::string::npos) continue;
      std::string suggestion = note.message.substr(prefix.size(), close - prefix.size());
      // `alias.nam`: keep the alias, replace the name after the dot.
      std::string written = text.substr(d.range.begin, d.range.end - d.range.begin);
      size_t dot = written.rfind('.');
      uint32_t from =
          d.range.begin + (dot == std::string::npos ? 0 : static_cast<uint32_t>(dot + 1));
      json edit = TextEdit(RangeIn(unit, module, {file, from, d.range.end}), suggestion);
      json action = Action("Change to `" + suggestion + "`", "quickfix", UriOf(unit, module),
                           json::array({edit}));
      action["isPreferred"] = true;
      actions.push_back(std::move(action));
    }
  }
}

const ast::Decl* DeclAt(const ast::Module& ast, uint32_t offset) {
  for (const ast::Decl& decl : ast.decls) {
    if (decl.range.begin <= offset && offset <= decl.range.end) return &decl;
  }
  return nullptr;
}

const ast::Item* FirstItem(const std::vector<ast::Item>& items, ast::ItemKind kind) {
  for (const ast::Item& item : items) {
    if (item.kind == kind) return &item;
  }
  return nullptr;
}

uint32_t LineEnd(std::string_view text, uint32_t offset) {
  size_t newline = text.find('\n', offset);
  return static_cast<uint32_t>(newline == std::string_view::npos ? text.size() : newline);
}

uint32_t LineStartOf(std::string_view text, uint32_t offset) {
  size_t newline = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  return newline == std::string_view::npos ? 0 : static_cast<uint32_t>(newline + 1);
}

std::string IndentOf(std::string_view text, uint32_t offset) {
  uint32_t start = LineStartOf(text, offset);
  uint32_t end = start;
  while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
  return std::string(text.substr(start, end - start));
}

// "Pin this certificate": the loaded file's SHA-256 as a `sha256` item after `file`.
void PinCertificate(const Unit& unit, size_t module, uint32_t offset, json& actions) {
  if (!unit.compiled->program) return;
  const ast::Decl* decl = DeclAt(unit.compiled->loaded->modules[module].ast, offset);
  if (decl == nullptr || decl->kind != ast::DeclKind::kCert) return;
  const ast::Item* file_item = FirstItem(decl->items, ast::ItemKind::kFile);
  if (file_item == nullptr || FirstItem(decl->items, ast::ItemKind::kSha256) != nullptr) return;
  for (const ir::Cert& cert : unit.compiled->program->certs) {
    if (cert.range.file != decl->name.range.file || cert.range.begin != decl->name.range.begin ||
        !cert.certificate) {
      continue;
    }
    const std::string& text = unit.FileOf(module).text();
    std::string item = "sha256 \"" + cert.certificate->facts().sha256 + "\"";
    bool one_line =
        text.substr(decl->range.begin, decl->range.end - decl->range.begin).find('\n') ==
        std::string::npos;
    // One-line declarations stay on one line; otherwise a line of its own under `file`.
    json edit = one_line ? InsertAt(unit, module, file_item->range.end, " " + item)
                         : InsertAt(unit, module, LineEnd(text, file_item->range.end),
                                    "\n" + IndentOf(text, file_item->range.begin) + item);
    actions.push_back(Action("Pin this certificate (sha256 of " + cert.file + ")", "quickfix",
                             UriOf(unit, module), json::array({edit})));
    return;
  }
}

// "Add a reason": `revocation off` or `allow RULE` that ends its line without `because`. Text
// based, because without the reason the line does not parse.
void AddReason(const Document& document, uint32_t offset, json& actions) {
  const std::string& text = document.text;
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text.size()));
  uint32_t start = LineStartOf(text, offset);
  uint32_t end = LineEnd(text, offset);
  std::string line = text.substr(start, end - start);
  if (line.find("//") != std::string::npos || line.find("because") != std::string::npos) return;
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
  size_t first = line.find_first_not_of(" \t");
  if (first == std::string::npos) return;
  std::string code = line.substr(first);
  bool revocation = code == "revocation off";
  bool allow = code.starts_with("allow ") && IsIdentifier(code.substr(6));
  if (!revocation && !allow) return;
  auto at = static_cast<uint32_t>(start + line.size());
  Position position = OffsetToPosition(text, at);
  json point{{"line", position.line}, {"character", position.character}};
  json edit = TextEdit({{"start", point}, {"end", point}}, " because \"TODO: the reason\"");
  actions.push_back(Action("Add a reason", "quickfix", document.uri, json::array({edit})));
}

// Where an `allow` for a finding at `offset` goes: the trust item or certificate around it.
struct WaiverPlace {
  uint32_t close = 0;     // offset of the block's `}`
  bool has_body = false;  // false: a bodiless `trust x` gets `{ allow ... }` at `close`
};

std::optional<WaiverPlace> WaiverPlaceFor(const ast::Decl& decl, uint32_t offset) {
  if (decl.kind == ast::DeclKind::kCert) return WaiverPlace{decl.range.end - 1, true};
  if (decl.kind != ast::DeclKind::kGateway) return std::nullopt;
  for (const ast::Item& item : decl.items) {
    if (item.kind != ast::ItemKind::kTrust || offset < item.range.begin ||
        offset > item.range.end) {
      continue;
    }
    return item.has_body ? WaiverPlace{item.range.end - 1, true}
                         : WaiverPlace{item.range.end, false};
  }
  return std::nullopt;
}

// "Waive this rule here": an `allow RULE because "..."` in the nearest block that takes one.
void WaiveRule(const Unit& unit, size_t module, uint32_t begin, uint32_t end, json& actions) {
  source::FileId file = unit.compiled->loaded->modules[module].ast.file;
  const std::string& text = unit.compiled->sources.file(file).text();
  for (const diag::Diagnostic& d : unit.compiled->emitter.diagnostics()) {
    if (d.range.file != file || !Overlaps(d.range, begin, end)) continue;
    if (!diag::Info(d.kind).is_lint || d.severity == diag::Severity::Error) continue;
    const ast::Decl* decl = DeclAt(unit.compiled->loaded->modules[module].ast, d.range.begin);
    std::optional<WaiverPlace> place = decl ? WaiverPlaceFor(*decl, d.range.begin) : std::nullopt;
    if (!place) continue;
    std::string rule(diag::Info(d.kind).id);
    std::string allow = "allow " + rule + " because \"TODO: why this is acceptable here\"";
    json edit;
    if (!place->has_body) {
      edit = InsertAt(unit, module, place->close, " { " + allow + " }");
    } else if (LineStartOf(text, place->close) ==
               place->close - IndentOf(text, place->close).size()) {
      // `}` on a line of its own: a new line above it, one level deeper.
      uint32_t line = LineStartOf(text, place->close);
      edit = InsertAt(unit, module, line, IndentOf(text, place->close) + "  " + allow + "\n");
    } else {
      edit = InsertAt(unit, module, place->close, allow + " ");
    }
    actions.push_back(
        Action("Waive " + rule + " here", "quickfix", UriOf(unit, module), json::array({edit})));
  }
}

// "Format document", resolved lazily (codeAction/resolve): formatting a large file costs more
// than every other action together, and most menus are closed without choosing it.
void FormatDocument(Workspace& workspace, const Document& document, json& actions) {
  auto found = workspace.UnitFor(document.path);
  if (found && found->first->compiled->loaded->syntax_errors) return;  // the diagnostics say where
  actions.push_back({{"title", "Format document"},
                     {"kind", "source.format"},
                     {"data", {{"format", document.uri}}}});
}

}  // namespace

json References(Workspace& workspace, const json& params) {
  Place place = Locate(workspace, params);
  std::optional<Target> target = TargetAt(place);
  if (!target) return json::array();
  bool with_declaration = params.value("context", json::object()).value("includeDeclaration", true);
  json locations = json::array();
  for (const Occurrence& occurrence : OccurrencesOf(*place.unit, *target)) {
    if (occurrence.is_declaration && !with_declaration) continue;
    locations.push_back({{"uri", UriOf(*place.unit, occurrence.module)},
                         {"range", RangeIn(*place.unit, occurrence.module, occurrence.range)}});
  }
  return locations;
}

json DocumentHighlight(Workspace& workspace, const json& params) {
  Place place = Locate(workspace, params);
  std::optional<Target> target = TargetAt(place);
  if (!target) return json::array();
  json highlights = json::array();
  for (const Occurrence& occurrence : OccurrencesOf(*place.unit, *target)) {
    if (occurrence.module != place.module) continue;
    highlights.push_back({{"range", RangeIn(*place.unit, place.module, occurrence.range)},
                          {"kind", occurrence.is_declaration ? kHighlightWrite : kHighlightRead}});
  }
  return highlights;
}

json Rename(Workspace& workspace, const json& params) {
  Place place = Locate(workspace, params);
  std::optional<Target> target = TargetAt(place);
  if (!target) throw RequestFailed("nothing to rename here");
  std::string new_name = params.at("newName");
  CheckRename(*place.unit, *target, new_name);
  json changes = json::object();
  for (const Occurrence& occurrence : OccurrencesOf(*place.unit, *target)) {
    std::string uri = UriOf(*place.unit, occurrence.module);
    if (!changes.contains(uri)) changes[uri] = json::array();
    changes[uri].push_back(
        TextEdit(RangeIn(*place.unit, occurrence.module, occurrence.range), new_name));
  }
  return {{"changes", std::move(changes)}};
}

json CodeActions(Workspace& workspace, const json& params) {
  const Document& document = DocumentOf(workspace, params);
  json actions = json::array();
  Position start{params.at("range").at("start").at("line").get<uint32_t>(),
                 params.at("range").at("start").at("character").get<uint32_t>()};
  Position end{params.at("range").at("end").at("line").get<uint32_t>(),
               params.at("range").at("end").at("character").get<uint32_t>()};
  AddReason(document, PositionToOffset(document.text, start), actions);
  if (auto found = workspace.UnitFor(document.path)) {
    const Unit& unit = *found->first;
    size_t module = found->second;
    const std::string& text = unit.FileOf(module).text();
    uint32_t begin = PositionToOffset(text, start);
    uint32_t finish = PositionToOffset(text, end);
    DidYouMean(unit, module, begin, finish, actions);
    PinCertificate(unit, module, begin, actions);
    WaiveRule(unit, module, begin, finish, actions);
  }
  FormatDocument(workspace, document, actions);
  return actions;
}

json ResolveCodeAction(Workspace& workspace, const json& action) {
  json resolved = action;
  if (!action.contains("data") || !action["data"].contains("format")) return resolved;
  const std::string& uri = action["data"]["format"];
  json edits = Formatting(workspace, {{"textDocument", {{"uri", uri}}}});
  resolved["edit"] = {{"changes", {{uri, edits.is_array() ? edits : json::array()}}}};
  return resolved;
}

json CodeLenses(Workspace& workspace, const json& params) {
  const Document& document = DocumentOf(workspace, params);
  json lenses = json::array();
  auto found = workspace.UnitFor(document.path);
  if (!found || !found->first->compiled->program) return lenses;
  const Unit& unit = *found->first;
  const ir::Program& program = *unit.compiled->program;
  source::FileId file = unit.compiled->loaded->modules[found->second].ast.file;
  // Uses of every certificate in one pass, then one lens per certificate of this file.
  std::vector<int> uses(program.certs.size(), 0);
  for (const ir::Gateway& gateway : program.gateways) {
    for (const ir::Trust& trust : gateway.trusts) ++uses.at(trust.cert.index);
  }
  for (const ir::Keystore& keystore : program.keystores) {
    for (const ir::KeystoreEntry& entry : keystore.entries) ++uses.at(entry.cert.index);
  }
  for (size_t i = 0; i < program.certs.size(); ++i) {
    const ir::Cert& cert = program.certs[i];
    if (cert.range.file != file) continue;
    std::string title = "used " + std::to_string(uses[i]) + (uses[i] == 1 ? " time" : " times");
    if (cert.certificate) {
      int64_t left = (cert.certificate->facts().not_after - workspace.Now()) / 86400;
      title = (left >= 0 ? "expires in " + std::to_string(left) + " days"
                         : "EXPIRED " + std::to_string(-left) + " days ago") +
              " · " + title;
    }
    lenses.push_back({{"range", RangeIn(unit, found->second, cert.range)},
                      {"command", {{"title", title}, {"command", ""}}}});
  }
  return lenses;
}

}  // namespace trust::lsp
