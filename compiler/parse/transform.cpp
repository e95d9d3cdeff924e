// Parse tree → AST. One small function per grammar rule; the generated contexts never leave
// this file. A context left incomplete by error recovery yields no item (the file already has
// a syntax error, so sema will not run on it).
#include <algorithm>
#include <string>
#include <type_traits>

#include "compiler/limits.h"
#include "compiler/parse/internal.h"
#include "compiler/parse/parse.h"

namespace trust::parse {
namespace {

using ast::Item;
using ast::ItemKind;
using P = grammar::TrustParser;
using antlr4::tree::TerminalNode;

template <typename T, typename U>
T* As(U* ctx) {
  return dynamic_cast<T*>(ctx);
}

ast::Ident MakeIdent(const TransformContext& cx, antlr4::Token* token) {
  ast::Ident ident{TokenText(cx, token), TokenRange(cx, token)};
  if (ident.name.size() > limits::kMaxIdentifierBytes) {
    cx.emitter.Emit(diag::Kind::limit_exceeded, ident.range,
                    "name is " + std::to_string(ident.name.size()) +
                        " characters long; the limit is " +
                        std::to_string(limits::kMaxIdentifierBytes));
  }
  return ident;
}

ast::Ident MakeIdent(const TransformContext& cx, P::IdentContext* ctx) {
  if (ctx == nullptr || ctx->getStart() == nullptr) return {};
  return MakeIdent(cx, ctx->getStart());
}

ast::Ref MakeRef(const TransformContext& cx, P::RefContext* ctx) {
  ast::Ref ref;
  if (ctx == nullptr) return ref;
  auto idents = ctx->ident();
  if (idents.size() == 2) {
    ref.module = MakeIdent(cx, idents[0]);
    ref.name = MakeIdent(cx, idents[1]);
  } else if (!idents.empty()) {
    ref.name = MakeIdent(cx, idents[0]);
  }
  ref.range = ContextRange(cx, ctx);
  return ref;
}

ast::Str MakeStr(const TransformContext& cx, TerminalNode* node) {
  antlr4::Token* token = node->getSymbol();
  source::SourceRange range = TokenRange(cx, token);
  // A string conjured by error recovery (`name` without its string) has no text in the file;
  // the syntax error is already reported.
  if (token->getStartIndex() == INVALID_INDEX || range.end < range.begin + 2) {
    ast::Str conjured;
    conjured.range = {cx.file, range.begin, range.begin};
    return conjured;
  }
  std::string_view text = cx.text.substr(range.begin, range.end - range.begin);
  // An unterminated string (reported by the lexer screen) arrives without its closing quote.
  bool closed = text.size() >= 2 && text.back() == '"';
  std::string_view raw = text.substr(1, text.size() - (closed ? 2 : 1));
  if (raw.size() > limits::kMaxStringBytes) {
    cx.emitter.Emit(diag::Kind::limit_exceeded, range,
                    "string is " + std::to_string(raw.size()) + " bytes long; the limit is " +
                        std::to_string(limits::kMaxStringBytes));
    raw = raw.substr(0, 0);
  }
  return CookString(raw, cx.file, range.begin, cx.emitter);
}

Item NewItem(const TransformContext& cx, ItemKind kind, antlr4::ParserRuleContext* ctx) {
  Item item;
  item.kind = kind;
  item.range = ContextRange(cx, ctx);
  item.keyword_range = TokenRange(cx, ctx->getStart());
  return item;
}

// An item with one string argument: `file "x"`, `name "x"`, ...
Item StringItem(const TransformContext& cx, ItemKind kind, antlr4::ParserRuleContext* ctx,
                TerminalNode* string) {
  Item item = NewItem(cx, kind, ctx);
  if (string != nullptr) item.strings.push_back(MakeStr(cx, string));
  return item;
}

Item ValueItem(const TransformContext& cx, ItemKind kind, antlr4::ParserRuleContext* ctx,
               antlr4::Token* value) {
  Item item = NewItem(cx, kind, ctx);
  if (value != nullptr) item.value = MakeIdent(cx, value);
  return item;
}

ast::Number ParseNumber(const TransformContext& cx, TerminalNode* node) {
  std::string digits = TokenText(cx, node->getSymbol());
  if (!digits.empty() && digits.back() == 'd') digits.pop_back();
  ast::Number number{std::nullopt, TokenRange(cx, node->getSymbol())};
  // A number conjured by error recovery has no digits; the syntax error is already reported.
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return number;
  if (digits.size() > 9) {
    cx.emitter.Emit(diag::Kind::invalid_value, number.range, "number is too large");
    return number;
  }
  number.value = std::stoull(digits);
  return number;
}

std::optional<Item> AllowItem(const TransformContext& cx, P::AllowItemContext* ctx) {
  if (ctx == nullptr) return std::nullopt;
  Item item = StringItem(cx, ItemKind::kAllow, ctx, ctx->STRING());
  item.name = MakeIdent(cx, ctx->ident());
  return item;
}

std::optional<Item> CertItem(const TransformContext& cx, P::CertItemContext* ctx) {
  if (auto* c = As<P::CertFileContext>(ctx)) return StringItem(cx, ItemKind::kFile, c, c->STRING());
  if (auto* c = As<P::CertNameContext>(ctx)) return StringItem(cx, ItemKind::kName, c, c->STRING());
  if (auto* c = As<P::CertSha256Context>(ctx)) {
    return StringItem(cx, ItemKind::kSha256, c, c->STRING());
  }
  if (auto* c = As<P::CertSubjectContext>(ctx)) {
    return StringItem(cx, ItemKind::kSubject, c, c->STRING());
  }
  if (auto* c = As<P::CertIssuerContext>(ctx)) {
    return StringItem(cx, ItemKind::kIssuer, c, c->STRING());
  }
  if (auto* c = As<P::CertNoteContext>(ctx)) return StringItem(cx, ItemKind::kNote, c, c->STRING());
  if (auto* c = As<P::CertAllowContext>(ctx)) return AllowItem(cx, c->allowItem());
  return std::nullopt;
}

std::optional<Item> TrustItem(const TransformContext& cx, P::TrustItemContext* ctx) {
  if (auto* c = As<P::TrustAnchorContext>(ctx)) return NewItem(cx, ItemKind::kAnchor, c);
  if (auto* c = As<P::TrustForContext>(ctx)) {
    Item item = NewItem(cx, ItemKind::kFor, c);
    for (auto* ident : c->ident()) item.words.push_back(MakeIdent(cx, ident));
    return item;
  }
  if (auto* c = As<P::TrustVerifyHostnameContext>(ctx)) {
    return ValueItem(cx, ItemKind::kVerifyHostname, c, c->value);
  }
  if (auto* c = As<P::TrustRevocationDefaultContext>(ctx)) {
    return NewItem(cx, ItemKind::kRevocationDefault, c);
  }
  if (auto* c = As<P::TrustRevocationOffContext>(ctx)) {
    return StringItem(cx, ItemKind::kRevocationOff, c, c->STRING());
  }
  if (auto* c = As<P::TrustRevocationPolicyContext>(ctx)) {
    Item item = NewItem(cx, ItemKind::kRevocationPolicyRef, c);
    item.refs.push_back(MakeRef(cx, c->ref()));
    return item;
  }
  if (auto* c = As<P::TrustNameContext>(ctx))
    return StringItem(cx, ItemKind::kName, c, c->STRING());
  if (auto* c = As<P::TrustAllowContext>(ctx)) return AllowItem(cx, c->allowItem());
  return std::nullopt;
}

std::optional<Item> UserItem(const TransformContext& cx, P::UserItemContext* ctx) {
  if (auto* c = As<P::UserDnContext>(ctx)) return StringItem(cx, ItemKind::kDn, c, c->STRING());
  if (auto* c = As<P::UserCertContext>(ctx)) {
    Item item = NewItem(cx, ItemKind::kUserCert, c);
    item.refs.push_back(MakeRef(cx, c->ref()));
    return item;
  }
  if (auto* c = As<P::UserAttachContext>(ctx)) {
    Item item = NewItem(cx, ItemKind::kUserAttach, c);
    item.refs.push_back(MakeRef(cx, c->ref()));
    return item;
  }
  if (auto* c = As<P::UserEmailContext>(ctx)) {
    return StringItem(cx, ItemKind::kEmail, c, c->STRING());
  }
  if (auto* c = As<P::UserFirstNameContext>(ctx)) {
    return StringItem(cx, ItemKind::kFirstName, c, c->STRING());
  }
  if (auto* c = As<P::UserLastNameContext>(ctx)) {
    return StringItem(cx, ItemKind::kLastName, c, c->STRING());
  }
  if (auto* c = As<P::UserNoteContext>(ctx)) return StringItem(cx, ItemKind::kNote, c, c->STRING());
  return std::nullopt;
}

template <typename Ctx, typename F>
void AddChildren(const TransformContext& cx, const std::vector<Ctx*>& children, F transform,
                 std::vector<Item>& out) {
  // Sized once: an Item is a few hundred bytes and a gateway may hold thousands; growing by
  // doubling left up to half of the largest blocks unused (a tenth of a large build's memory).
  out.reserve(out.size() + children.size());
  for (Ctx* child : children) {
    if (auto item = transform(cx, child)) out.push_back(std::move(*item));
  }
}

// `user "LOGIN" {...}` and `user name "NAME" {...}`; the latter keeps the `name` keyword as
// the item's value, so that sema and the formatter tell a login-less user apart.
template <typename Ctx>
std::optional<Item> UserItemBlock(const TransformContext& cx, Ctx* c) {
  Item item = StringItem(cx, ItemKind::kUser, c, c->STRING());
  if constexpr (std::is_same_v<Ctx, P::IdpLoginlessUserContext>) {
    item.value = MakeIdent(cx, c->NAME()->getSymbol());
  }
  item.has_body = c->LBRACE() != nullptr;
  AddChildren(cx, c->userItem(), UserItem, item.children);
  return item;
}

std::optional<Item> IdpItem(const TransformContext& cx, P::IdpItemContext* ctx) {
  if (auto* c = As<P::IdpNameContext>(ctx)) return StringItem(cx, ItemKind::kName, c, c->STRING());
  if (auto* c = As<P::IdpCredentialsContext>(ctx)) {
    Item item = NewItem(cx, ItemKind::kCredentials, c);
    for (auto* cred : c->credential()) item.words.push_back(MakeIdent(cx, cred->getStart()));
    return item;
  }
  if (auto* c = As<P::IdpValidationContext>(ctx)) {
    return ValueItem(cx, ItemKind::kValidation, c, c->value);
  }
  if (auto* c = As<P::IdpTrustContext>(ctx)) {
    Item item = NewItem(cx, ItemKind::kTrust, c);
    for (auto* ref : c->ref()) item.refs.push_back(MakeRef(cx, ref));
    return item;
  }
  if (auto* c = As<P::IdpUserContext>(ctx)) return UserItemBlock(cx, c);
  if (auto* c = As<P::IdpLoginlessUserContext>(ctx)) return UserItemBlock(cx, c);
  return std::nullopt;
}

std::optional<Item> EntryItem(const TransformContext& cx, P::EntryItemContext* ctx) {
  if (auto* c = As<P::EntryReplaceContext>(ctx)) return NewItem(cx, ItemKind::kReplace, c);
  if (auto* c = As<P::EntryRequireEndpointContext>(ctx)) {
    return StringItem(cx, ItemKind::kRequireEndpoint, c, c->STRING());
  }
  return std::nullopt;
}

std::optional<Item> KeystoreTrust(const TransformContext& cx, P::KeystoreTrustContext* c) {
  Item item = NewItem(cx, ItemKind::kTrust, c);
  item.refs.push_back(MakeRef(cx, c->ref()));
  if (c->STRING() != nullptr) item.alias = MakeStr(cx, c->STRING());
  item.has_body = c->LBRACE() != nullptr;
  AddChildren(cx, c->entryItem(), EntryItem, item.children);
  return item;
}

std::optional<Item> KeystoreItem(const TransformContext& cx, P::KeystoreItemContext* ctx) {
  if (auto* c = As<P::KeystoreFormatContext>(ctx)) {
    return ValueItem(cx, ItemKind::kFormat, c, c->value);
  }
  if (auto* c = As<P::KeystorePathContext>(ctx))
    return StringItem(cx, ItemKind::kPath, c, c->STRING());
  if (auto* c = As<P::KeystorePasswordEnvContext>(ctx)) {
    return StringItem(cx, ItemKind::kPasswordEnv, c, c->STRING());
  }
  if (auto* c = As<P::KeystorePasswordFileContext>(ctx)) {
    return StringItem(cx, ItemKind::kPasswordFile, c, c->STRING());
  }
  if (auto* c = As<P::KeystorePasswordNoneContext>(ctx)) {
    return NewItem(cx, ItemKind::kPasswordNone, c);
  }
  if (auto* c = As<P::KeystoreHostContext>(ctx))
    return StringItem(cx, ItemKind::kHost, c, c->STRING());
  if (auto* c = As<P::KeystoreCreateContext>(ctx)) return NewItem(cx, ItemKind::kCreate, c);
  if (auto* c = As<P::KeystoreTrustContext>(ctx)) return KeystoreTrust(cx, c);
  if (auto* c = As<P::KeystoreRemoveContext>(ctx)) {
    return StringItem(cx, ItemKind::kRemove, c, c->STRING());
  }
  return std::nullopt;
}

std::optional<Item> NumberItem(const TransformContext& cx, ItemKind kind,
                               antlr4::ParserRuleContext* ctx, TerminalNode* number) {
  Item item = NewItem(cx, kind, ctx);
  if (number == nullptr) return std::nullopt;
  item.number = ParseNumber(cx, number);
  return item;
}

std::optional<Item> PolicyItem(const TransformContext& cx, P::PolicyItemContext* ctx) {
  if (auto* c = As<P::PolicyMinRsaBitsContext>(ctx)) {
    return NumberItem(cx, ItemKind::kMinRsaBits, c, c->INT());
  }
  if (auto* c = As<P::PolicyMinEcBitsContext>(ctx)) {
    return NumberItem(cx, ItemKind::kMinEcBits, c, c->INT());
  }
  if (auto* c = As<P::PolicyForbidSignatureContext>(ctx)) {
    Item item = NewItem(cx, ItemKind::kForbidSignature, c);
    for (auto* hash : c->hashName()) item.words.push_back(MakeIdent(cx, hash->getStart()));
    return item;
  }
  if (auto* c = As<P::PolicyExpiryContext>(ctx)) {
    return NumberItem(cx, ItemKind::kExpiry, c, c->DURATION());
  }
  if (auto* c = As<P::PolicyRequirePinContext>(ctx)) {
    return ValueItem(cx, ItemKind::kRequirePin, c, c->value);
  }
  if (auto* c = As<P::PolicyRuleContext>(ctx)) {
    Item item = ValueItem(cx, ItemKind::kRule, c, c->level);
    item.name = MakeIdent(cx, c->ident());
    return item;
  }
  return std::nullopt;
}

std::optional<Item> CheckItem(const TransformContext& cx, P::CheckItemContext* ctx) {
  if (auto* c = As<P::CheckAllowIssuerSignatureContext>(ctx)) {
    return NewItem(cx, ItemKind::kAllowIssuerSignature, c);
  }
  if (auto* c = As<P::CheckSignerContext>(ctx)) {
    Item item = NewItem(cx, ItemKind::kSigner, c);
    for (auto* ref : c->ref()) item.refs.push_back(MakeRef(cx, ref));
    return item;
  }
  return std::nullopt;
}

// `check ocsp|crl ...`: the protocol is the item's value, the URL (or regex) its string.
Item CheckBlock(const TransformContext& cx, ItemKind kind, antlr4::ParserRuleContext* ctx,
                antlr4::Token* protocol, TerminalNode* string, P::CheckBodyContext* body) {
  Item item = ValueItem(cx, kind, ctx, protocol);
  if (string != nullptr) item.strings.push_back(MakeStr(cx, string));
  item.has_body = body != nullptr;
  if (body != nullptr) AddChildren(cx, body->checkItem(), CheckItem, item.children);
  return item;
}

std::optional<Item> RevocationPolicyItem(const TransformContext& cx,
                                         P::RevocationPolicyItemContext* ctx) {
  if (auto* c = As<P::RpNameContext>(ctx)) return StringItem(cx, ItemKind::kName, c, c->STRING());
  if (auto* c = As<P::RpDefaultPolicyContext>(ctx)) return NewItem(cx, ItemKind::kDefaultPolicy, c);
  if (auto* c = As<P::RpContinueOnUnavailableContext>(ctx)) {
    return NewItem(cx, ItemKind::kContinueOnUnavailable, c);
  }
  if (auto* c = As<P::RpDefaultSuccessContext>(ctx)) {
    return NewItem(cx, ItemKind::kDefaultSuccess, c);
  }
  if (auto* c = As<P::RpCheckFromCertificateContext>(ctx)) {
    return CheckBlock(cx, ItemKind::kCheckFromCertificate, c, c->value, c->STRING(),
                      c->checkBody());
  }
  if (auto* c = As<P::RpCheckUrlContext>(ctx)) {
    return CheckBlock(cx, ItemKind::kCheckUrl, c, c->value, c->STRING(), c->checkBody());
  }
  return std::nullopt;
}

std::optional<Item> RevocationPolicy(const TransformContext& cx, P::RevocationPolicyContext* c) {
  Item item = NewItem(cx, ItemKind::kRevocationPolicy, c);
  item.name = MakeIdent(cx, c->ident());
  if (c->fromClause() != nullptr) item.from = MakeRef(cx, c->fromClause()->ref());
  item.has_body = c->LBRACE() != nullptr;
  AddChildren(cx, c->revocationPolicyItem(), RevocationPolicyItem, item.children);
  return item;
}

std::optional<Item> GatewayTrust(const TransformContext& cx, P::GatewayTrustContext* c) {
  Item item = NewItem(cx, ItemKind::kTrust, c);
  item.refs.push_back(MakeRef(cx, c->ref()));
  if (c->fromClause() != nullptr) item.from = MakeRef(cx, c->fromClause()->ref());
  item.has_body = c->LBRACE() != nullptr;
  AddChildren(cx, c->trustItem(), TrustItem, item.children);
  return item;
}

std::optional<Item> IdentityProvider(const TransformContext& cx, P::IdentityProviderContext* c) {
  Item item = NewItem(cx, ItemKind::kIdentityProvider, c);
  item.name = MakeIdent(cx, c->ident());
  if (c->fromClause() != nullptr) item.from = MakeRef(cx, c->fromClause()->ref());
  item.has_body = c->LBRACE() != nullptr;
  AddChildren(cx, c->idpItem(), IdpItem, item.children);
  return item;
}

std::optional<Item> GatewayItem(const TransformContext& cx, P::GatewayItemContext* ctx) {
  if (auto* c = As<P::GatewayMappingContext>(ctx)) {
    return ValueItem(cx, ItemKind::kMapping, c, c->value);
  }
  if (auto* c = As<P::GatewayTrustItemContext>(ctx); c && c->gatewayTrust()) {
    return GatewayTrust(cx, c->gatewayTrust());
  }
  if (auto* c = As<P::GatewayIdpContext>(ctx); c && c->identityProvider()) {
    return IdentityProvider(cx, c->identityProvider());
  }
  if (auto* c = As<P::GatewayRevocationPolicyContext>(ctx); c && c->revocationPolicy()) {
    return RevocationPolicy(cx, c->revocationPolicy());
  }
  return std::nullopt;
}

ast::Decl NewDecl(const TransformContext& cx, ast::DeclKind kind, antlr4::ParserRuleContext* ctx,
                  P::IdentContext* name, P::FromClauseContext* from, TerminalNode* lbrace) {
  ast::Decl decl;
  decl.kind = kind;
  if (name != nullptr) decl.name = MakeIdent(cx, name);
  if (from != nullptr) decl.from = MakeRef(cx, from->ref());
  decl.has_body = lbrace != nullptr;
  decl.range = ContextRange(cx, ctx);
  decl.keyword_range = TokenRange(cx, ctx->getStart());
  return decl;
}

std::optional<ast::Decl> TemplateDecl(const TransformContext& cx, P::TemplateDeclContext* ctx) {
  using K = ast::DeclKind;
  if (auto* c = As<P::TrustTemplateContext>(ctx)) {
    auto decl = NewDecl(cx, K::kTrustTemplate, c, c->ident(), c->fromClause(), c->LBRACE());
    AddChildren(cx, c->trustItem(), TrustItem, decl.items);
    return decl;
  }
  if (auto* c = As<P::KeystoreTemplateContext>(ctx)) {
    auto decl = NewDecl(cx, K::kKeystoreTemplate, c, c->ident(), c->fromClause(), c->LBRACE());
    AddChildren(cx, c->keystoreItem(), KeystoreItem, decl.items);
    return decl;
  }
  if (auto* c = As<P::IdpTemplateContext>(ctx)) {
    auto decl =
        NewDecl(cx, K::kIdentityProviderTemplate, c, c->ident(), c->fromClause(), c->LBRACE());
    AddChildren(cx, c->idpItem(), IdpItem, decl.items);
    return decl;
  }
  if (auto* c = As<P::PolicyTemplateContext>(ctx)) {
    auto decl = NewDecl(cx, K::kPolicyTemplate, c, c->ident(), c->fromClause(), c->LBRACE());
    AddChildren(cx, c->policyItem(), PolicyItem, decl.items);
    return decl;
  }
  if (auto* c = As<P::RevocationPolicyTemplateContext>(ctx)) {
    auto decl =
        NewDecl(cx, K::kRevocationPolicyTemplate, c, c->ident(), c->fromClause(), c->LBRACE());
    AddChildren(cx, c->revocationPolicyItem(), RevocationPolicyItem, decl.items);
    return decl;
  }
  return std::nullopt;
}

std::optional<ast::Decl> Declaration(const TransformContext& cx, P::TopItemContext* ctx) {
  using K = ast::DeclKind;
  if (auto* c = ctx->certDecl()) {
    auto decl = NewDecl(cx, K::kCert, c, c->ident(), nullptr, c->LBRACE());
    AddChildren(cx, c->certItem(), CertItem, decl.items);
    return decl;
  }
  if (auto* c = ctx->gatewayDecl()) {
    auto decl = NewDecl(cx, K::kGateway, c, c->ident(), nullptr, c->LBRACE());
    AddChildren(cx, c->gatewayItem(), GatewayItem, decl.items);
    return decl;
  }
  if (auto* c = ctx->keystoreDecl()) {
    auto decl = NewDecl(cx, K::kKeystore, c, c->ident(), c->fromClause(), c->LBRACE());
    AddChildren(cx, c->keystoreItem(), KeystoreItem, decl.items);
    return decl;
  }
  if (auto* c = ctx->policyDecl()) {
    auto decl = NewDecl(cx, K::kPolicy, c, nullptr, c->fromClause(), c->LBRACE());
    AddChildren(cx, c->policyItem(), PolicyItem, decl.items);
    return decl;
  }
  if (auto* c = ctx->templateDecl()) return TemplateDecl(cx, c);
  return std::nullopt;
}

bool Complete(antlr4::ParserRuleContext* ctx) { return ctx->exception == nullptr; }

void TopItem(const TransformContext& cx, P::TopItemContext* ctx, ast::Module& module) {
  if (auto* c = ctx->importDecl(); c != nullptr && c->STRING() != nullptr) {
    ast::Import import{MakeStr(cx, c->STRING()), std::nullopt, ContextRange(cx, c)};
    if (c->ident() != nullptr) import.alias = MakeIdent(cx, c->ident());
    module.imports.push_back(std::move(import));
  } else if (auto* p = ctx->paramDecl(); p != nullptr && p->STRING() != nullptr) {
    module.params.push_back(
        {MakeIdent(cx, p->ident()), MakeStr(cx, p->STRING()), ContextRange(cx, p)});
  } else if (auto decl = Declaration(cx, ctx)) {
    module.decls.push_back(std::move(*decl));
  }
}

}  // namespace

ast::Module Transform(const TransformContext& cx, P::ProgramContext* program) {
  ast::Module module;
  module.file = cx.file;
  module.decls.reserve(program->topItem().size());
  for (auto* top : program->topItem()) {
    if (Complete(top)) TopItem(cx, top, module);
  }
  return module;
}

}  // namespace trust::parse
