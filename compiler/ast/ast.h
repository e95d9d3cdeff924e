// The syntax tree of one .trust module: plain structs, a SourceRange on every node.
//
// Blocks are lists of Items. An Item is one line of a block (`file "x"`, `for ssl, ...`,
// `trust c { ... }`); its ItemKind says which fields are filled. One uniform shape lets the
// template merge rules (docs/language.md, "template") and the formatter work on every block alike.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/source/source.h"

namespace trust::ast {

using source::SourceRange;

struct Ident {
  std::string name;
  SourceRange range;
};

// `name` or `module.name`.
struct Ref {
  std::optional<Ident> module;
  Ident name;
  SourceRange range;
  std::string Text() const { return module ? module->name + "." + name.name : name.name; }
};

// A string literal after escapes, split at `${...}` interpolations.
struct StrPart {
  enum class Kind { kText, kParam, kEnv };
  Kind kind = Kind::kText;
  std::string text;  // the cooked text, the param name (`p` or `mod.p`), or the variable name
  SourceRange range;
};

struct Str {
  std::vector<StrPart> parts;
  SourceRange range;  // including the quotes

  // The source text between the quotes, exactly as written.
  const std::string& Raw() const { return raw_.empty() && !parts.empty() ? parts[0].text : raw_; }
  // Set after `parts`: a plain string (one text part without escapes, most strings of a
  // program) is written as it reads, so its text is not held twice.
  void SetRaw(std::string_view raw) {
    bool plain = parts.size() == 1 && parts[0].kind == StrPart::Kind::kText && parts[0].text == raw;
    raw_ = plain ? std::string() : std::string(raw);
  }

 private:
  std::string raw_;  // empty when Raw() is the text part
};

enum class ItemKind {
#define TRUST_ITEM(kind, keyword, merge) k##kind,
#include "compiler/ast/item_kind.def"
};

std::string_view Keyword(ItemKind kind);
// Items that share a slot replace each other (e.g. `revocation default` / `revocation off`).
bool IsListItem(ItemKind kind);

// An optional whose value lives on the heap: for the fields most items leave empty, which would
// otherwise make every item as large as the largest of them (a program of 100,000 certificates
// holds a few hundred thousand items). Copies copy the value.
template <typename T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(std::nullopt_t) {}  // NOLINT(google-explicit-constructor): like std::optional
  Boxed(T value)            // NOLINT(google-explicit-constructor): like std::optional
      : value_(std::make_unique<T>(std::move(value))) {}
  Boxed(const Boxed& other) : value_(other ? std::make_unique<T>(*other) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    if (this != &other) value_ = other ? std::make_unique<T>(*other) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  ~Boxed() = default;

  bool has_value() const { return value_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  const T& operator*() const { return *value_; }
  T& operator*() { return *value_; }
  const T* operator->() const { return value_.get(); }
  T* operator->() { return value_.get(); }

 private:
  std::unique_ptr<T> value_;
};

// The number of `min_rsa_bits N` or `expiry warn_within Nd`.
struct Number {
  std::optional<uint64_t> value;  // none when the digits do not make one (reported)
  SourceRange range;              // the token, unit included
};

// The fields are ordered so that the item packs without padding: a program of 100,000
// certificates holds about 280,000 of them.
struct Item {
  ItemKind kind = ItemKind::kFile;
  bool has_body = false;
  SourceRange range;          // the whole item, body included
  SourceRange keyword_range;  // the leading keyword
  Boxed<Ident> name;          // identity_provider NAME; allow RULE; rule RULE
  Boxed<Ident> value;         // an enumerated keyword: by_id, on, jks, anchors, error, x509, ...
  std::vector<Ident> words;   // for PURPOSE, ...; credentials ...; forbid_signature HASH, ...
  std::vector<Str> strings;   // string arguments in source order
  std::vector<Ref> refs;      // trust CERT, ...; cert CERT
  Boxed<Ref> from;            // trust CERT from TEMPLATE; identity_provider NAME from TEMPLATE
  Boxed<Str> alias;           // keystore: trust CERT as "ALIAS"
  Boxed<Number> number;       // min_rsa_bits N; expiry warn_within Nd
  std::vector<Item> children;
};

enum class DeclKind {
#define TRUST_DECL(kind, name, keyword) k##kind,
#include "compiler/ast/decl_kind.def"
};

std::string_view DeclKindName(DeclKind kind);  // "certificate", "gateway", "trust template", ...
std::string_view DeclKeyword(DeclKind kind);   // "cert", "gateway", "template trust", ...

struct Decl {
  DeclKind kind = DeclKind::kCert;
  bool has_body = false;
  Ident name;  // empty for `policy`
  Boxed<Ref> from;
  std::vector<Item> items;
  SourceRange range;
  SourceRange keyword_range;
};

struct Import {
  Str path;
  std::optional<Ident> alias;
  SourceRange range;
};

struct Param {
  Ident name;
  Str value;
  SourceRange range;
};

struct Comment {
  std::string text;
  SourceRange range;
};

struct Module {
  source::FileId file = source::kNoFile;
  std::vector<Import> imports;
  std::vector<Param> params;
  std::vector<Decl> decls;
  std::vector<Comment> comments;
};

}  // namespace trust::ast
