// Completion by context: a scan of the text before the cursor finds the enclosing block and
// the words just typed; the grammar (grammar/TrustParser.g4) then says what may come next:
// purposes after `for`, rule names after `allow`/`rule`, certificates after `trust`/`cert`,
// templates of the block's kind after `from`, a module's members after `alias.`, paths in
// `file "`, and otherwise the items of the enclosing block. The scan is one pass over the text
// before the cursor, so a request is linear in the file.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include "compiler/lsp/features.h"
#include "compiler/lsp/text.h"
#include "runtime/x509/certificate.h"

namespace trust::lsp {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// LSP CompletionItemKind values.
constexpr int kFileKind = 17;
constexpr int kFolder = 19;
constexpr int kKeyword = 14;
constexpr int kEnumMember = 20;
constexpr int kValue = 12;
constexpr int kConstant = 21;
constexpr int kReference = 18;

// The blocks of the grammar that hold items.
enum class Block {
  kTop,
  kCert,
  kGateway,
  kTrust,
  kProvider,
  kUser,
  kKeystore,
  kEntry,
  kPolicy,
  kRevocationPolicy,
  kCheck,
};

const std::map<Block, std::vector<std::string>>& ItemKeywords() {
  static const std::map<Block, std::vector<std::string>> items{
      {Block::kTop, {"import", "param", "cert", "gateway", "keystore", "policy", "template"}},
      {Block::kCert, {"file", "name", "sha256", "subject", "issuer", "note", "allow"}},
      {Block::kGateway, {"trust", "identity_provider", "revocation_policy", "mapping"}},
      {Block::kTrust, {"anchor", "for", "verify_hostname", "revocation", "name", "allow"}},
      {Block::kProvider, {"name", "credentials", "validation", "trust", "user"}},
      {Block::kUser, {"dn", "cert", "attach", "email", "first_name", "last_name", "note"}},
      {Block::kKeystore, {"format", "path", "password", "host", "create", "trust", "remove"}},
      {Block::kEntry, {"replace", "require_endpoint"}},
      {Block::kRevocationPolicy,
       {"name", "default_policy", "continue_on_unavailable", "default_success", "check"}},
      {Block::kCheck, {"allow_issuer_signature", "signer"}},
      {Block::kPolicy,
       {"min_rsa_bits", "min_ec_bits", "forbid_signature", "expiry", "require_pin", "rule"}},
  };
  return items;
}

// The words that may follow a keyword (its enumerated values).
const std::map<std::string, std::vector<std::string>>& Values() {
  static const std::map<std::string, std::vector<std::string>> values{
      {"mapping", {"by_name", "by_id"}},
      {"verify_hostname", {"on", "off"}},
      {"revocation", {"default", "off", "policy"}},
      {"check", {"ocsp", "crl"}},
      {"format", {"jks", "pkcs12", "pem"}},
      {"password", {"env", "file", "none"}},
      {"validation", {"certificate", "path", "revocation"}},
      {"credentials", {"x509", "saml"}},
      {"require_pin", {"none", "anchors", "all"}},
      {"expiry", {"warn_within"}},
      {"template", {"trust", "keystore", "identity_provider", "policy", "revocation_policy"}},
  };
  return values;
}

// What the text before the cursor says.
struct Context {
  std::vector<Block> blocks{Block::kTop};
  std::string partial;            // the word being typed (may hold one dot)
  std::string previous;           // the token before it: a word, ",", "{", "}" or "\""
  std::string before_previous;    // and the word before that
  std::string statement_keyword;  // the opening keyword of the current statement
  std::string list_keyword;       // for `for a, b, |`: the keyword the list started with
  bool in_string = false;
  std::string string_keyword;  // the word before the open string
  std::string string_text;     // what is typed inside it
};

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool OpensStatement(const std::string& word) {
  static const std::set<std::string> openers{"cert",   "gateway",  "trust",  "identity_provider",
                                             "user",   "keystore", "policy", "template",
                                             "import", "param",    "check",  "revocation_policy"};
  return openers.count(word) > 0;
}

Block BlockOpenedBy(const std::string& keyword, const std::string& template_kind, Block outer) {
  std::string kind = keyword == "template" ? template_kind : keyword;
  if (kind == "cert") return Block::kCert;
  if (kind == "gateway") return Block::kGateway;
  if (kind == "trust") return outer == Block::kKeystore ? Block::kEntry : Block::kTrust;
  if (kind == "identity_provider") return Block::kProvider;
  if (kind == "user") return Block::kUser;
  if (kind == "keystore") return Block::kKeystore;
  if (kind == "policy") return Block::kPolicy;
  if (kind == "revocation_policy") return Block::kRevocationPolicy;
  if (kind == "check") return Block::kCheck;
  return Block::kTop;
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  Context Run() {
    while (at_ < text_.size()) Step();
    // The last word, if the cursor touches it, is the partial word, not a token before it.
    if (!context_.in_string && !words_.empty() && ends_in_word_) {
      context_.partial = words_.back();
      words_.pop_back();
    }
    context_.previous = words_.empty() ? "" : words_.back();
    context_.before_previous = words_.size() < 2 ? "" : words_[words_.size() - 2];
    return context_;
  }

 private:
  void Step() {
    char c = text_[at_];
    ends_in_word_ = false;
    if (c == '/' && Next() == '/') return SkipTo("\n");
    if (c == '/' && Next() == '*') return SkipTo("*/");
    if (c == '"') return String();
    if (IsWordChar(c)) return Word();
    if (c == '{') Open();
    if (c == '}') Close();
    if (c == ',') words_.push_back(",");
    ++at_;
  }

  char Next() const { return at_ + 1 < text_.size() ? text_[at_ + 1] : '\0'; }

  void SkipTo(std::string_view end) {
    size_t found = text_.find(end, at_ + 2);
    at_ = found == std::string_view::npos ? text_.size() : found + end.size();
  }

  void String() {
    std::string keyword = words_.empty() ? "" : words_.back();
    size_t begin = ++at_;
    while (at_ < text_.size() && text_[at_] != '"' && text_[at_] != '\n') {
      at_ += text_[at_] == '\\' ? 2 : 1;
    }
    if (at_ >= text_.size()) {
      context_.in_string = true;
      context_.string_keyword = keyword;
      context_.string_text = std::string(text_.substr(begin));
      return;
    }
    ++at_;
    words_.push_back("\"");
  }

  void Word() {
    size_t begin = at_;
    while (at_ < text_.size() && (IsWordChar(text_[at_]) || text_[at_] == '.')) ++at_;
    std::string word(text_.substr(begin, at_ - begin));
    if (OpensStatement(word) && context_.statement_keyword != "template") {
      context_.statement_keyword = word;
      template_kind_.clear();
    } else if (context_.statement_keyword == "template" && template_kind_.empty()) {
      template_kind_ = word;
    }
    if (word == "for" || word == "credentials" || word == "forbid_signature" || word == "trust")
      context_.list_keyword = word;
    words_.push_back(std::move(word));
    ends_in_word_ = at_ == text_.size();
  }

  void Open() {
    Block outer = context_.blocks.back();
    context_.blocks.push_back(BlockOpenedBy(context_.statement_keyword, template_kind_, outer));
    EndStatement();
    words_.push_back("{");
  }

  void Close() {
    if (context_.blocks.size() > 1) context_.blocks.pop_back();
    EndStatement();
    words_.push_back("}");
  }

  void EndStatement() {
    context_.statement_keyword.clear();
    context_.list_keyword.clear();
    template_kind_.clear();
  }

  std::string_view text_;
  size_t at_ = 0;
  bool ends_in_word_ = false;
  std::vector<std::string> words_;
  std::string template_kind_;
  Context context_;
};

class Items {
 public:
  void Add(const std::string& label, int kind, const std::string& detail, int rank = 1) {
    if (label.empty() || !seen_.insert(label).second) return;
    items_.push_back({{"label", label},
                      {"kind", kind},
                      {"detail", detail},
                      {"sortText", std::to_string(rank) + label}});
  }
  json Take() { return std::move(items_); }

 private:
  std::set<std::string> seen_;
  json items_ = json::array();
};

// "certificate · CN=x · expires 2030-01-01" from the program, when it got that far.
std::string CertDetail(const Unit& unit, const ast::Decl& decl) {
  std::string detail = "certificate";
  if (!unit.compiled->program) return detail;
  for (const ir::Cert& cert : unit.compiled->program->certs) {
    if (cert.range.file != decl.name.range.file || cert.range.begin != decl.name.range.begin)
      continue;
    if (!cert.certificate) break;
    const x509::CertFacts& facts = cert.certificate->facts();
    return detail + " · " + facts.subject + " · expires " +
           x509::FormatUtc(facts.not_after).substr(0, 10);
  }
  return detail;
}

using DeclFilter = bool (*)(ast::DeclKind);

// Declarations of `module` that pass `wanted`, named with `prefix`; the module's own rank first.
void AddDecls(Items& items, const Unit& unit, size_t module, const std::string& prefix,
              DeclFilter wanted, int rank) {
  for (const ast::Decl& decl : unit.compiled->loaded->modules[module].ast.decls) {
    if (decl.name.name.empty() || !wanted(decl.kind)) continue;
    std::string detail = decl.kind == ast::DeclKind::kCert
                             ? CertDetail(unit, decl)
                             : std::string(ast::DeclKindName(decl.kind));
    items.Add(prefix + decl.name.name, kReference, detail, rank);
  }
}

// Own declarations, then `alias.name` of each import (or, after `alias.`, the bare members).
void AddNames(Items& items, const Unit& unit, size_t module, const std::string& partial,
              DeclFilter wanted) {
  const sema::Module& self = unit.compiled->loaded->modules[module];
  size_t dot = partial.find('.');
  if (dot != std::string::npos) {
    auto it = self.imports.find(partial.substr(0, dot));
    // Clients replace only the word after the dot: offer bare names.
    if (it != self.imports.end()) AddDecls(items, unit, it->second, "", wanted, 0);
    return;
  }
  AddDecls(items, unit, module, "", wanted, 0);
  for (const auto& [alias, target] : self.imports) {
    AddDecls(items, unit, target, alias + ".", wanted, 1);
  }
}

bool AnyDecl(ast::DeclKind) { return true; }
bool CertDecl(ast::DeclKind kind) { return kind == ast::DeclKind::kCert; }
bool TrustTemplate(ast::DeclKind kind) { return kind == ast::DeclKind::kTrustTemplate; }
bool KeystoreTemplate(ast::DeclKind kind) { return kind == ast::DeclKind::kKeystoreTemplate; }
bool ProviderTemplate(ast::DeclKind kind) {
  return kind == ast::DeclKind::kIdentityProviderTemplate;
}
bool PolicyTemplate(ast::DeclKind kind) { return kind == ast::DeclKind::kPolicyTemplate; }
bool RevocationPolicyTemplate(ast::DeclKind kind) {
  return kind == ast::DeclKind::kRevocationPolicyTemplate;
}

DeclFilter TemplatesFor(const std::string& statement_keyword) {
  if (statement_keyword == "trust") return TrustTemplate;
  if (statement_keyword == "keystore") return KeystoreTemplate;
  if (statement_keyword == "identity_provider") return ProviderTemplate;
  if (statement_keyword == "policy") return PolicyTemplate;
  if (statement_keyword == "revocation_policy") return RevocationPolicyTemplate;
  return TrustTemplate;
}

// `${p}` and `${alias.p}`: the params a string can interpolate.
void AddParams(Items& items, const Unit& unit, size_t module) {
  const sema::Module& self = unit.compiled->loaded->modules[module];
  for (const ast::Param& param : self.ast.params) {
    items.Add(param.name.name, kConstant, "param = \"" + param.value.Raw() + "\"", 0);
  }
  for (const auto& [alias, target] : self.imports) {
    for (const ast::Param& param : unit.compiled->loaded->modules[target].ast.params) {
      items.Add(alias + "." + param.name.name, kConstant, "param = \"" + param.value.Raw() + "\"");
    }
  }
}

void AddPurposes(Items& items) {
  for (ir::Purpose purpose : ir::AllPurposes()) {
    items.Add(std::string(ir::PurposeWord(purpose)), kEnumMember,
              "purpose: " + std::string(ir::PurposeProperty(purpose)));
  }
}

void AddRules(Items& items, bool lint_only) {
  for (diag::Kind kind : diag::AllKinds()) {
    const diag::KindInfo& info = diag::Info(kind);
    if (info.is_lint || !lint_only)
      items.Add(std::string(info.id), kValue, std::string(info.summary));
  }
}

void AddWords(Items& items, const std::vector<std::string>& words, int kind,
              const std::string& detail) {
  for (const std::string& word : words) items.Add(word, kind, detail);
}

// Certificate files and folders beside the document, for `file "dir/|`.
void AddPaths(Items& items, const Document& document, const std::string& typed) {
  size_t slash = typed.rfind('/');
  std::string folder = slash == std::string::npos ? "" : typed.substr(0, slash + 1);
  if (folder.find("${") != std::string::npos || folder.starts_with("/")) return;
  std::error_code ec;
  fs::path base = fs::path(document.path).parent_path() / folder;
  for (fs::directory_iterator it(base, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.starts_with(".")) continue;
    if (it->is_directory(ec)) {
      items.Add(name + "/", kFolder, "folder");
    } else if (name.ends_with(".pem") || name.ends_with(".cer") || name.ends_with(".crt") ||
               name.ends_with(".der")) {
      items.Add(name, kFileKind, "certificate file", 0);
    }
  }
}

void Complete(Items& items, const Context& context, const Document& document, const Unit* unit,
              size_t module) {
  auto names = [&](DeclFilter wanted) {
    if (unit != nullptr) AddNames(items, *unit, module, context.partial, wanted);
  };
  if (context.in_string) {
    size_t interpolation = context.string_text.rfind("${");
    if (interpolation != std::string::npos &&
        context.string_text.find('}', interpolation) == std::string::npos) {
      if (unit != nullptr) AddParams(items, *unit, module);
      return;
    }
    if (context.string_keyword == "file") AddPaths(items, document, context.string_text);
    return;
  }
  if (context.partial.find('.') != std::string::npos) return names(AnyDecl);
  const std::string& previous = context.previous;
  std::string key = previous == "," ? context.list_keyword : previous;
  if (key == "for") return AddPurposes(items);
  if (previous == "allow") return AddRules(items, /*lint_only=*/true);
  if (previous == "rule") return AddRules(items, /*lint_only=*/false);
  if (context.before_previous == "rule") {
    return AddWords(items, {"error", "warning", "note", "off"}, kEnumMember, "level");
  }
  if (previous == "from") return names(TemplatesFor(context.statement_keyword));
  if (key == "trust" || previous == "cert" || previous == "attach") {
    // `cert NAME {` declares; `cert REF` inside a user block refers.
    if (previous == "cert" && context.blocks.back() != Block::kUser) return;
    return names(CertDecl);
  }
  if (previous == "off" && context.before_previous == "revocation") {
    return items.Add("because", kKeyword, "keyword");
  }
  auto value = Values().find(key);
  if (value != Values().end()) return AddWords(items, value->second, kEnumMember, key);
  // A new item: the keywords of the enclosing block.
  AddWords(items, ItemKeywords().at(context.blocks.back()), kKeyword, "keyword");
}

}  // namespace

json Completion(Workspace& workspace, const json& params) {
  const Document& document = DocumentOf(workspace, params);
  Position position{params.at("position").at("line").get<uint32_t>(),
                    params.at("position").at("character").get<uint32_t>()};
  uint32_t offset = PositionToOffset(document.text, position);
  Context context = Scanner(std::string_view(document.text).substr(0, offset)).Run();
  Items items;
  // Names from the current compilation and, while the file does not parse, the last good one.
  auto found = workspace.UnitFor(document.path);
  const Unit* unit = found ? found->first : nullptr;
  size_t module = found ? found->second : 0;
  const Unit* good = workspace.LastGood(document.path);
  std::optional<size_t> good_module = good ? good->ModuleOf(document.path) : std::nullopt;
  // While the text does not parse, the last good program knows more (certificate facts).
  bool good_first = good_module && (unit == nullptr || !unit->compiled->program);
  if (good_first) Complete(items, context, document, good, *good_module);
  Complete(items, context, document, unit, module);
  if (good_module && !good_first) Complete(items, context, document, good, *good_module);
  return {{"isIncomplete", false}, {"items", items.Take()}};
}

}  // namespace trust::lsp
