#include "compiler/parse/tree_cache.h"

#include <cstdint>
#include <iterator>
#include <utility>
#include <vector>

#include "base/build_id.h"
#include "base/digest.h"

namespace trust::parse {
namespace {

using source::FileId;
using source::SourceRange;

constexpr std::string_view kMagic = "trustc syntax tree 1\n";
// Blocks nest a few levels deep (`gateway { trust c { for ssl } }`); a deeper tree is not one
// the parser made.
constexpr int kMaxItemDepth = 16;
constexpr ast::ItemKind kAllItemKinds[] = {
#define TRUST_ITEM(kind, keyword, merge) ast::ItemKind::k##kind,
#include "compiler/ast/item_kind.def"
};
constexpr ast::DeclKind kAllDeclKinds[] = {
#define TRUST_DECL(kind, name, keyword) ast::DeclKind::k##kind,
#include "compiler/ast/decl_kind.def"
};
constexpr uint64_t kItemKinds = std::size(kAllItemKinds);
constexpr uint64_t kDeclKinds = std::size(kAllDeclKinds);
constexpr uint64_t kStrPartKinds = 3;  // text, param, env

class TreeWriter {
 public:
  std::string Take() { return std::move(out_); }

  void Number(uint64_t value) {
    while (value >= 0x80) {
      out_ += static_cast<char>(value | 0x80);
      value >>= 7;
    }
    out_ += static_cast<char>(value);
  }
  void Flag(bool value) { Number(value ? 1 : 0); }
  void Text(std::string_view text) {
    Number(text.size());
    out_ += text;
  }
  void Range(const SourceRange& range) {
    Flag(range.valid());
    if (!range.valid()) return;
    Number(range.begin);
    Number(range.end);
  }
  void Ident(const ast::Ident& ident) {
    Text(ident.name);
    Range(ident.range);
  }
  void Ref(const ast::Ref& ref) {
    Flag(ref.module.has_value());
    if (ref.module) Ident(*ref.module);
    Ident(ref.name);
    Range(ref.range);
  }
  void Str(const ast::Str& str) {
    Number(str.parts.size());
    for (const ast::StrPart& part : str.parts) {
      Number(static_cast<uint64_t>(part.kind));
      Text(part.text);
      Range(part.range);
    }
    Range(str.range);
    Text(str.raw);
  }
  template <typename T, typename Write>
  void Boxed(const ast::Boxed<T>& boxed, Write write) {
    Flag(boxed.has_value());
    if (boxed) write(*boxed);
  }
  template <typename T, typename Write>
  void List(const std::vector<T>& list, Write write) {
    Number(list.size());
    for (const T& element : list) write(element);
  }
  void Item(const ast::Item& item) {
    Number(static_cast<uint64_t>(item.kind));
    Range(item.range);
    Range(item.keyword_range);
    Boxed(item.name, [&](const ast::Ident& i) { Ident(i); });
    Boxed(item.value, [&](const ast::Ident& i) { Ident(i); });
    List(item.words, [&](const ast::Ident& i) { Ident(i); });
    List(item.strings, [&](const ast::Str& s) { Str(s); });
    List(item.refs, [&](const ast::Ref& r) { Ref(r); });
    Boxed(item.from, [&](const ast::Ref& r) { Ref(r); });
    Boxed(item.alias, [&](const ast::Str& s) { Str(s); });
    Flag(item.number.has_value());
    if (item.number) Number(*item.number);
    Range(item.number_range);
    Flag(item.has_body);
    List(item.children, [&](const ast::Item& child) { Item(child); });
  }
  void Decl(const ast::Decl& decl) {
    Number(static_cast<uint64_t>(decl.kind));
    Ident(decl.name);
    Boxed(decl.from, [&](const ast::Ref& r) { Ref(r); });
    List(decl.items, [&](const ast::Item& item) { Item(item); });
    Flag(decl.has_body);
    Range(decl.range);
    Range(decl.keyword_range);
  }

 private:
  std::string out_;
};

// Reads what TreeWriter wrote. The first failure (bytes run out, a count larger than the bytes
// left could hold, an enumerator or range out of bounds) makes ok() false and every later read
// return a default, so the callers need not check as they go.
class TreeReader {
 public:
  TreeReader(std::string_view bytes, FileId id, size_t text_size)
      : rest_(bytes), id_(id), text_size_(text_size) {}

  bool ok() const { return ok_; }
  bool AtEnd() const { return rest_.empty(); }
  bool Skip(std::string_view expected) {
    if (!rest_.starts_with(expected)) return Fail();
    rest_.remove_prefix(expected.size());
    return true;
  }

  uint64_t Number() {
    uint64_t value = 0;
    for (int shift = 0; ok_ && shift < 64; shift += 7) {
      if (rest_.empty()) return Fail();
      auto byte = static_cast<uint8_t>(rest_.front());
      rest_.remove_prefix(1);
      value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return Fail();
  }
  bool Flag() {
    uint64_t value = Number();
    if (value > 1) Fail();
    return value == 1;
  }
  // A count of elements each at least one byte long.
  size_t Count() {
    uint64_t count = Number();
    if (count > rest_.size()) return Fail();
    return static_cast<size_t>(count);
  }
  uint64_t Enumerator(uint64_t limit) {
    uint64_t value = Number();
    if (value >= limit) return Fail();
    return value;
  }
  std::string Text() {
    size_t size = Count();
    if (!ok_) return {};
    std::string text(rest_.substr(0, size));
    rest_.remove_prefix(size);
    return text;
  }
  SourceRange Range() {
    if (!Flag()) return {};
    uint64_t begin = Number();
    uint64_t end = Number();
    if (begin > end || end > text_size_) {
      Fail();
      return {};
    }
    return {id_, static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
  }
  ast::Ident Ident() {
    ast::Ident ident;
    ident.name = Text();
    ident.range = Range();
    return ident;
  }
  ast::Ref Ref() {
    ast::Ref ref;
    if (Flag()) ref.module = Ident();
    ref.name = Ident();
    ref.range = Range();
    return ref;
  }
  ast::Str Str() {
    ast::Str str;
    str.parts.resize(Count());
    for (ast::StrPart& part : str.parts) {
      part.kind = static_cast<ast::StrPart::Kind>(Enumerator(kStrPartKinds));
      part.text = Text();
      part.range = Range();
    }
    str.range = Range();
    str.raw = Text();
    return str;
  }
  template <typename T, typename Read>
  ast::Boxed<T> Boxed(Read read) {
    if (!Flag()) return std::nullopt;
    return read();
  }
  template <typename T, typename Read>
  std::vector<T> List(Read read) {
    std::vector<T> list(Count());
    for (T& element : list) {
      if (!ok_) return {};
      element = read();
    }
    return list;
  }
  ast::Item Item(int depth) {
    ast::Item item;
    if (depth > kMaxItemDepth) {
      Fail();
      return item;
    }
    item.kind = static_cast<ast::ItemKind>(Enumerator(kItemKinds));
    item.range = Range();
    item.keyword_range = Range();
    item.name = Boxed<ast::Ident>([&] { return Ident(); });
    item.value = Boxed<ast::Ident>([&] { return Ident(); });
    item.words = List<ast::Ident>([&] { return Ident(); });
    item.strings = List<ast::Str>([&] { return Str(); });
    item.refs = List<ast::Ref>([&] { return Ref(); });
    item.from = Boxed<ast::Ref>([&] { return Ref(); });
    item.alias = Boxed<ast::Str>([&] { return Str(); });
    if (Flag()) item.number = Number();
    item.number_range = Range();
    item.has_body = Flag();
    item.children = List<ast::Item>([&] { return Item(depth + 1); });
    return item;
  }
  ast::Decl Decl() {
    ast::Decl decl;
    decl.kind = static_cast<ast::DeclKind>(Enumerator(kDeclKinds));
    decl.name = Ident();
    decl.from = Boxed<ast::Ref>([&] { return Ref(); });
    decl.items = List<ast::Item>([&] { return Item(0); });
    decl.has_body = Flag();
    decl.range = Range();
    decl.keyword_range = Range();
    return decl;
  }

 private:
  // Returns 0 (or false) so that a failing read can `return Fail();`.
  uint64_t Fail() {
    ok_ = false;
    rest_ = {};
    return 0;
  }

  std::string_view rest_;
  FileId id_;
  size_t text_size_;
  bool ok_ = true;
};

}  // namespace

std::string TreeKey(std::string_view text) {
  std::string keyed = "trustc syntax tree\n" + base::ExecutableBuildId() + "\n";
  keyed += text;
  return base::Sha256(keyed);
}

std::string EncodeTree(const ast::Module& module) {
  TreeWriter w;
  w.List(module.imports, [&](const ast::Import& import) {
    w.Str(import.path);
    w.Flag(import.alias.has_value());
    if (import.alias) w.Ident(*import.alias);
    w.Range(import.range);
  });
  w.List(module.params, [&](const ast::Param& param) {
    w.Ident(param.name);
    w.Str(param.value);
    w.Range(param.range);
  });
  w.List(module.decls, [&](const ast::Decl& decl) { w.Decl(decl); });
  w.List(module.comments, [&](const ast::Comment& comment) {
    w.Text(comment.text);
    w.Range(comment.range);
  });
  return std::string(kMagic) + w.Take();
}

std::optional<ast::Module> DecodeTree(std::string_view bytes, FileId id, size_t text_size) {
  TreeReader r(bytes, id, text_size);
  if (!r.Skip(kMagic)) return std::nullopt;
  ast::Module module;
  module.file = id;
  module.imports = r.List<ast::Import>([&] {
    ast::Import import;
    import.path = r.Str();
    if (r.Flag()) import.alias = r.Ident();
    import.range = r.Range();
    return import;
  });
  module.params = r.List<ast::Param>([&] {
    ast::Param param;
    param.name = r.Ident();
    param.value = r.Str();
    param.range = r.Range();
    return param;
  });
  module.decls = r.List<ast::Decl>([&] { return r.Decl(); });
  module.comments = r.List<ast::Comment>([&] {
    ast::Comment comment;
    comment.text = r.Text();
    comment.range = r.Range();
    return comment;
  });
  if (!r.ok() || !r.AtEnd()) return std::nullopt;
  return module;
}

}  // namespace trust::parse
