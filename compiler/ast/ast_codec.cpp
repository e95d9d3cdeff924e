#include "compiler/ast/ast_codec.h"

#include <cstdint>
#include <iterator>
#include <type_traits>
#include <utility>
#include <vector>

namespace trust::ast {
namespace {

// A field added to a node must be added below too, or a cached tree would silently lack it:
// these sizes make the build stop at the change. Update the codec, then the size. (The parse
// cache's key covers this file, so trees written by the old codec are not read by the new one.)
// The sizes are those of the build every change goes through (x86-64, libstdc++).
#if defined(__x86_64__) && defined(__GLIBCXX__)
static_assert(sizeof(Ident) == 48);
static_assert(sizeof(Ref) == 120);
static_assert(sizeof(StrPart) == 56);
static_assert(sizeof(Str) == 72);
static_assert(sizeof(Number) == 32);
static_assert(sizeof(Item) == 168);
static_assert(sizeof(Decl) == 112);
static_assert(sizeof(Import) == 144);
static_assert(sizeof(Param) == 136);
static_assert(sizeof(Comment) == 48);
static_assert(sizeof(Module) == 104);
#endif

constexpr std::string_view kMagic = "trustc ast 1\n";
// Items nest a few levels (`gateway { trust c { ... } }`); a deeper tree is no tree of ours.
constexpr int kMaxDepth = 16;

constexpr ItemKind kItemKinds[] = {
#define TRUST_ITEM(kind, keyword, merge) ItemKind::k##kind,
#include "compiler/ast/item_kind.def"
};
constexpr DeclKind kDeclKinds[] = {
#define TRUST_DECL(kind, name, keyword) DeclKind::k##kind,
#include "compiler/ast/decl_kind.def"
};

// How many values each enumeration has: a decoded value must be one of them.
template <typename Enum>
constexpr size_t CountOf() {
  if constexpr (std::is_same_v<Enum, ItemKind>) return std::size(kItemKinds);
  if constexpr (std::is_same_v<Enum, DeclKind>) return std::size(kDeclKinds);
  if constexpr (std::is_same_v<Enum, StrPart::Kind>) {
    return static_cast<size_t>(StrPart::Kind::kEnv) + 1;  // the last
  }
}

class Encoder {
 public:
  explicit Encoder(std::string_view text) : text_(text) { out_ = kMagic; }

  // Empty if the tree holds what the encoding cannot (a range into another file).
  std::string Take() { return ok_ ? std::move(out_) : std::string(); }

  void Module(const ast::Module& module) {
    file_ = module.file;
    List(module.imports, [&](const ast::Import& i) { Import(i); });
    List(module.params, [&](const ast::Param& p) { Param(p); });
    List(module.decls, [&](const ast::Decl& d) { Decl(d); });
    List(module.comments, [&](const ast::Comment& c) {
      Range(c.range);
      Text(c.text, c.range);
    });
  }

 private:
  void Uint(uint64_t value) {
    while (value >= 0x80) {
      out_ += static_cast<char>((value & 0x7F) | 0x80);
      value >>= 7;
    }
    out_ += static_cast<char>(value);
  }

  // The length + 1 (0: no range, as a node left empty has), then the start relative to the
  // previous range's, which is nearly always just before: a byte or two.
  void Range(source::SourceRange range) {
    if (!range.valid()) {
      ok_ = ok_ && range.begin == 0 && range.end == 0;
      Uint(0);
      return;
    }
    ok_ = ok_ && range.file == file_ && range.begin <= range.end && range.end <= text_.size();
    Uint(uint64_t{range.end} - range.begin + 1);
    int64_t delta = int64_t{range.begin} - int64_t{cursor_};
    Uint(delta < 0 ? (static_cast<uint64_t>(-delta) << 1) - 1 : static_cast<uint64_t>(delta) << 1);
    cursor_ = range.begin;
  }

  // 0 when `text` is the source's bytes at `range`, else its length + 1 and the bytes.
  void Text(const std::string& text, source::SourceRange range) {
    if (range.begin <= range.end && range.end <= text_.size() &&
        text_.substr(range.begin, range.end - range.begin) == text) {
      Uint(0);
      return;
    }
    Uint(text.size() + 1);
    out_ += text;
  }

  template <typename T, typename F>
  void List(const std::vector<T>& items, F&& each) {
    Uint(items.size());
    for (const T& item : items) each(item);
  }

  template <typename T, typename F>
  void Optional(const T& value, F&& each) {
    Uint(value ? 1 : 0);
    if (value) each(*value);
  }

  void Ident(const ast::Ident& ident) {
    Range(ident.range);
    Text(ident.name, ident.range);
  }

  void Ref(const ast::Ref& ref) {
    Range(ref.range);
    Optional(ref.module, [&](const ast::Ident& i) { Ident(i); });
    Ident(ref.name);
  }

  void Str(const ast::Str& str) {
    Range(str.range);
    List(str.parts, [&](const StrPart& part) {
      Uint(static_cast<uint64_t>(part.kind));
      Range(part.range);
      Text(part.text, part.range);
    });
    // The raw text is written only when it is not the one text part (SetRaw's own rule).
    bool plain = str.parts.size() == 1 && str.parts[0].kind == StrPart::Kind::kText &&
                 str.parts[0].text == str.Raw();
    Uint(plain ? 0 : 1);
    if (!plain) Text(str.Raw(), {});
  }

  void Item(const ast::Item& item) {
    Uint(static_cast<uint64_t>(item.kind));
    Uint(item.has_body ? 1 : 0);
    Range(item.range);
    Range(item.keyword_range);
    Optional(item.name, [&](const ast::Ident& i) { Ident(i); });
    Optional(item.value, [&](const ast::Ident& i) { Ident(i); });
    List(item.words, [&](const ast::Ident& i) { Ident(i); });
    List(item.strings, [&](const ast::Str& s) { Str(s); });
    List(item.refs, [&](const ast::Ref& r) { Ref(r); });
    Optional(item.from, [&](const ast::Ref& r) { Ref(r); });
    Optional(item.alias, [&](const ast::Str& s) { Str(s); });
    Optional(item.number, [&](const Number& n) {
      Range(n.range);
      Optional(n.value, [&](uint64_t value) { Uint(value); });
    });
    List(item.children, [&](const ast::Item& child) { Item(child); });
  }

  void Decl(const ast::Decl& decl) {
    Uint(static_cast<uint64_t>(decl.kind));
    Uint(decl.has_body ? 1 : 0);
    Range(decl.range);
    Range(decl.keyword_range);
    Ident(decl.name);
    Optional(decl.from, [&](const ast::Ref& r) { Ref(r); });
    List(decl.items, [&](const ast::Item& item) { Item(item); });
  }

  // `imported`, not `import`: clang-format takes that for a C++20 module import.
  void Import(const ast::Import& imported) {
    Range(imported.range);
    Str(imported.path);
    Optional(imported.alias, [&](const ast::Ident& i) { Ident(i); });
  }

  void Param(const ast::Param& param) {
    Range(param.range);
    Ident(param.name);
    Str(param.value);
  }

  std::string_view text_;
  std::string out_;
  source::FileId file_ = source::kNoFile;
  uint32_t cursor_ = 0;
  bool ok_ = true;
};

// Reads what Encoder wrote. Any inconsistency sets `failed_` and reads zeros from then on, so
// the functions below need no error paths of their own; DecodeModule looks at the flag once.
class Decoder {
 public:
  Decoder(std::string_view bytes, std::string_view text, source::FileId file)
      : bytes_(bytes), text_(text), file_(file) {}

  std::optional<ast::Module> Module() {
    if (!bytes_.starts_with(kMagic)) return std::nullopt;
    at_ = kMagic.size();
    ast::Module module;
    module.file = file_;
    module.imports = List<ast::Import>([&] { return Import(); });
    module.params = List<ast::Param>([&] { return Param(); });
    module.decls = List<ast::Decl>([&] { return Decl(); });
    module.comments = List<ast::Comment>([&] {
      ast::Comment comment;
      comment.range = Range();
      comment.text = Text(comment.range);
      return comment;
    });
    if (failed_ || at_ != bytes_.size()) return std::nullopt;
    return module;
  }

 private:
  uint64_t Uint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (failed_ || at_ >= bytes_.size()) break;
      auto byte = static_cast<uint8_t>(bytes_[at_++]);
      value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    failed_ = true;
    return 0;
  }

  bool Flag() {
    uint64_t value = Uint();
    if (value > 1) failed_ = true;
    return value == 1;
  }

  template <typename Enum>
  Enum Kind() {
    uint64_t value = Uint();
    if (value >= CountOf<Enum>()) failed_ = true;
    return failed_ ? Enum{} : static_cast<Enum>(value);
  }

  source::SourceRange Range() {
    uint64_t length_and_one = Uint();
    if (length_and_one == 0) return {};
    uint64_t length = length_and_one - 1;
    uint64_t zigzag = Uint();
    int64_t delta = (zigzag & 1) != 0 ? -static_cast<int64_t>((zigzag + 1) >> 1)
                                      : static_cast<int64_t>(zigzag >> 1);
    int64_t begin = int64_t{cursor_} + delta;
    if (failed_ || begin < 0 || static_cast<uint64_t>(begin) > text_.size() ||
        length > text_.size() - static_cast<uint64_t>(begin)) {
      failed_ = true;
      return {file_, 0, 0};
    }
    cursor_ = static_cast<uint32_t>(begin);
    return {file_, cursor_, cursor_ + static_cast<uint32_t>(length)};
  }

  std::string Text(source::SourceRange range) {
    uint64_t size = Uint();
    if (size == 0) return std::string(text_.substr(range.begin, range.end - range.begin));
    if (failed_ || size - 1 > bytes_.size() - at_) {
      failed_ = true;
      return {};
    }
    std::string text(bytes_.substr(at_, size - 1));
    at_ += size - 1;
    return text;
  }

  // Each element takes at least a byte, so a count beyond the bytes left is a lie.
  template <typename T, typename F>
  std::vector<T> List(F&& each) {
    uint64_t count = Uint();
    std::vector<T> items;
    if (count > bytes_.size() - at_) failed_ = true;
    if (failed_) return items;
    items.reserve(count);
    for (uint64_t i = 0; i < count && !failed_; ++i) items.push_back(each());
    return items;
  }

  template <typename T, typename F>
  T Optional(F&& each) {
    return Flag() && !failed_ ? T(each()) : T(std::nullopt);
  }

  ast::Ident Ident() {
    ast::Ident ident;
    ident.range = Range();
    ident.name = Text(ident.range);
    return ident;
  }

  ast::Ref Ref() {
    ast::Ref ref;
    ref.range = Range();
    ref.module = Optional<std::optional<ast::Ident>>([&] { return Ident(); });
    ref.name = Ident();
    return ref;
  }

  ast::Str Str() {
    ast::Str str;
    str.range = Range();
    str.parts = List<StrPart>([&] {
      StrPart part;
      part.kind = Kind<StrPart::Kind>();
      part.range = Range();
      part.text = Text(part.range);
      return part;
    });
    if (Flag()) {
      str.SetRaw(Text({}));
    } else if (str.parts.size() == 1 && str.parts[0].kind == StrPart::Kind::kText) {
      str.SetRaw(str.parts[0].text);
    } else {
      failed_ = true;
    }
    return str;
  }

  ast::Item Item(int depth) {
    ast::Item item;
    if (depth > kMaxDepth) {
      failed_ = true;
      return item;
    }
    item.kind = Kind<ItemKind>();
    item.has_body = Flag();
    item.range = Range();
    item.keyword_range = Range();
    item.name = Optional<Boxed<ast::Ident>>([&] { return Ident(); });
    item.value = Optional<Boxed<ast::Ident>>([&] { return Ident(); });
    item.words = List<ast::Ident>([&] { return Ident(); });
    item.strings = List<ast::Str>([&] { return Str(); });
    item.refs = List<ast::Ref>([&] { return Ref(); });
    item.from = Optional<Boxed<ast::Ref>>([&] { return Ref(); });
    item.alias = Optional<Boxed<ast::Str>>([&] { return Str(); });
    item.number = Optional<Boxed<Number>>([&] {
      Number number;
      number.range = Range();
      number.value = Optional<std::optional<uint64_t>>([&] { return Uint(); });
      return number;
    });
    item.children = List<ast::Item>([&] { return Item(depth + 1); });
    return item;
  }

  ast::Decl Decl() {
    ast::Decl decl;
    decl.kind = Kind<DeclKind>();
    decl.has_body = Flag();
    decl.range = Range();
    decl.keyword_range = Range();
    decl.name = Ident();
    decl.from = Optional<Boxed<ast::Ref>>([&] { return Ref(); });
    decl.items = List<ast::Item>([&] { return Item(0); });
    return decl;
  }

  ast::Import Import() {
    ast::Import imported;
    imported.range = Range();
    imported.path = Str();
    imported.alias = Optional<std::optional<ast::Ident>>([&] { return Ident(); });
    return imported;
  }

  ast::Param Param() {
    ast::Param param;
    param.range = Range();
    param.name = Ident();
    param.value = Str();
    return param;
  }

  std::string_view bytes_;
  std::string_view text_;
  source::FileId file_;
  size_t at_ = 0;
  uint32_t cursor_ = 0;
  bool failed_ = false;
};

}  // namespace

std::string EncodeModule(const Module& module, std::string_view text) {
  Encoder encoder(text);
  encoder.Module(module);
  return encoder.Take();
}

std::optional<Module> DecodeModule(std::string_view bytes, std::string_view text,
                                   source::FileId file) {
  return Decoder(bytes, text, file).Module();
}

}  // namespace trust::ast
