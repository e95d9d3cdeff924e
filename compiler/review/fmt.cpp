// The formatter: a printer that walks the AST in output order and places every comment by its
// source position. Comments are held in a queue per top-level node; each printed line first
// flushes the comments that come before it (own-line comments) and then takes those that sit
// inside it or after it on the same source line (trailing comments).
#include "compiler/review/fmt.h"

#include <algorithm>
#include <deque>

#include "base/utf8.h"
#include "compiler/parse/lexical_form.h"
#include "compiler/parse/parse.h"

namespace trust::review {
namespace {

using ast::Item;
using ast::ItemKind;
using source::SourceRange;

constexpr size_t kColumnLimit = 100;

std::string Indent(int level) { return std::string(static_cast<size_t>(level) * 2, ' '); }

// A comment without the blanks that end its lines: invisible, and noise in every diff. A
// CRLF inside a block comment stays as written (the formatter keeps comments' line breaks).
std::string TrimmedComment(std::string_view text) {
  std::string out, blanks;  // blanks: seen since the last visible character, written only
                            // once something visible follows them on the same line
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      blanks += c;
      continue;
    }
    if (c != '\n' && c != '\r') out += blanks;
    blanks.clear();
    out += c;
  }
  return out;
}

std::string Quoted(const ast::Str& str) { return "\"" + str.Raw() + "\""; }

// Line breaks are LF, CRLF and a lone CR: the lexer ends a `//` comment at a CR too, and the
// formatter ends its lines with LF, so a lone CR counted as a blank would lay a file out
// differently the second time (found by fuzz_parse).
bool HasNewline(std::string_view text, uint32_t begin, uint32_t end) {
  return begin < end &&
         text.substr(begin, end - begin).find_first_of("\r\n") != std::string_view::npos;
}

// True if text[begin, end) holds an empty line (two line breaks with only blanks between).
bool BlankBetween(std::string_view text, uint32_t begin, uint32_t end) {
  int breaks = 0;
  for (uint32_t i = begin; i < end && i < text.size(); ++i) {
    char c = text[i];
    bool crlf = c == '\r' && i + 1 < text.size() && text[i + 1] == '\n';
    if (c == '\n' || (c == '\r' && !crlf)) {
      if (++breaks == 2) return true;
    } else if (c != ' ' && c != '\t' && !crlf) {
      breaks = 0;
    }
  }
  return false;
}

// Items whose single argument is aligned with their neighbours' (`file    "x"` / `subject "y"`).
bool IsKeyValue(ItemKind kind) {
  switch (kind) {
    case ItemKind::kFile:
    case ItemKind::kName:
    case ItemKind::kSha256:
    case ItemKind::kSubject:
    case ItemKind::kIssuer:
    case ItemKind::kNote:
    case ItemKind::kDn:
    case ItemKind::kUserCert:
    case ItemKind::kUserAttach:
    case ItemKind::kEmail:
    case ItemKind::kFirstName:
    case ItemKind::kLastName:
    case ItemKind::kPath:
    case ItemKind::kHost:
      return true;
    default:
      return false;
  }
}

std::string DeclHead(const ast::Decl& decl) {
  std::string head(ast::DeclKeyword(decl.kind));
  if (!decl.name.name.empty()) head += " " + decl.name.name;
  if (decl.from) head += " from " + decl.from->Text();
  return head;
}

template <typename T, typename F>
std::string Join(const std::vector<T>& values, F text) {
  std::string out;
  for (const T& value : values) out += (out.empty() ? "" : ", ") + text(value);
  return out;
}

// A top-level construct with the comments that belong to it (before, inside, trailing).
struct TopNode {
  int group = 0;  // 0 import, 1 param, 2 declaration: the order of docs/language.md
  SourceRange range;
  const ast::Import* import = nullptr;
  const ast::Param* param = nullptr;
  const ast::Decl* decl = nullptr;
  std::vector<ast::Comment> comments;
  uint32_t trailing_end = 0;  // end of the last comment trailing this node on its line
};

// The printed text, and where each line's trailing comments start (offsets into `text`, in
// increasing order): kept apart from the text, since a comment may hold any byte.
struct Printed {
  std::string text;
  std::vector<size_t> comment_starts;
};

class Printer {
 public:
  explicit Printer(std::string_view text) : text_(text) {}
  Printed Print(const ast::Module& module);

 private:
  void Top(const TopNode& node);
  void Block(const std::string& head, SourceRange range, bool has_body,
             const std::vector<Item>& items, int indent);
  std::optional<std::string> OneLine(const std::string& head, SourceRange range,
                                     const std::vector<Item>& items, int indent) const;
  void Items(const std::vector<Item>& items, int indent);
  std::string ItemText(const Item& item, size_t pad) const;
  std::string Number(const Item& item) const;
  void Line(int indent, const std::string& code, uint32_t begin, uint32_t end);
  void Leading(uint32_t before, int indent);
  void Trailing(uint32_t end);
  void MaybeBlank(uint32_t begin);
  uint32_t FindBrace(uint32_t from) const;
  bool CommentWithin(SourceRange range) const;

  std::string_view text_;
  std::deque<ast::Comment> pending_;
  std::string out_;
  std::vector<size_t> comment_starts_;  // see Printed
  uint32_t last_end_ = 0;
  bool block_start_ = true;  // no blank line before the first line of a block or node
};

void Printer::MaybeBlank(uint32_t begin) {
  if (!block_start_ && BlankBetween(text_, last_end_, begin)) out_ += "\n";
  block_start_ = false;
}

void Printer::Leading(uint32_t before, int indent) {
  while (!pending_.empty() && pending_.front().range.begin < before) {
    const ast::Comment& comment = pending_.front();
    MaybeBlank(comment.range.begin);
    out_ += Indent(indent) + TrimmedComment(comment.text) + "\n";
    last_end_ = comment.range.end;
    pending_.pop_front();
  }
}

// Takes the comments inside [.., end) and those after `end` on the same source line. After a
// `//` comment nothing more can follow on the line: later comments become own-line comments.
void Printer::Trailing(uint32_t end) {
  uint32_t pos = end;
  bool first = true;
  while (!pending_.empty()) {
    const ast::Comment& comment = pending_.front();
    bool inside = comment.range.begin < end;
    bool same_line = comment.range.begin >= pos && !HasNewline(text_, pos, comment.range.begin);
    if (!inside && !same_line) break;
    if (first) {
      comment_starts_.push_back(out_.size());
    } else {
      out_ += " ";
    }
    out_ += TrimmedComment(comment.text);
    first = false;
    pos = std::max(pos, comment.range.end);
    bool line_comment = comment.text.starts_with("//");
    pending_.pop_front();
    if (line_comment) break;
  }
  last_end_ = std::max(end, pos);
  out_ += "\n";
}

void Printer::Line(int indent, const std::string& code, uint32_t begin, uint32_t end) {
  Leading(begin, indent);
  MaybeBlank(begin);
  out_ += Indent(indent) + code;
  Trailing(end);
}

bool Printer::CommentWithin(SourceRange range) const {
  return std::any_of(pending_.begin(), pending_.end(), [&](const ast::Comment& c) {
    return c.range.begin >= range.begin && c.range.begin < range.end;
  });
}

// The `{` that opens a block: the first one outside strings and comments.
uint32_t Printer::FindBrace(uint32_t from) const {
  for (size_t i = from; i < text_.size(); ++i) {
    char c = text_[i];
    if (c == '{') return static_cast<uint32_t>(i);
    if (c == '"') {
      for (++i; i < text_.size() && text_[i] != '"'; ++i) {
        if (text_[i] == '\\') ++i;
      }
    } else if (text_.substr(i, 2) == "//") {
      i = std::min(text_.find('\n', i), text_.size());
    } else if (text_.substr(i, 2) == "/*") {
      i = std::min(text_.find("*/", i + 2) + 1, text_.size());
    }
  }
  return from;
}

std::optional<std::string> Printer::OneLine(const std::string& head, SourceRange range,
                                            const std::vector<Item>& items, int indent) const {
  if (CommentWithin(range) || items.size() > 1) return std::nullopt;
  if (items.empty()) return head + " {}";
  if (items[0].has_body || HasNewline(text_, range.begin, range.end)) return std::nullopt;
  std::string line = head + " { " + ItemText(items[0], 0) + " }";
  if (Indent(indent).size() + line.size() > kColumnLimit) return std::nullopt;
  return line;
}

void Printer::Block(const std::string& head, SourceRange range, bool has_body,
                    const std::vector<Item>& items, int indent) {
  if (!has_body) return Line(indent, head, range.begin, range.end);
  if (auto line = OneLine(head, range, items, indent)) {
    return Line(indent, *line, range.begin, range.end);
  }
  Line(indent, head + " {", range.begin, FindBrace(range.begin) + 1);
  block_start_ = true;
  Items(items, indent + 1);
  uint32_t close = range.end - 1;
  Leading(close, indent + 1);
  out_ += Indent(indent) + "}";
  block_start_ = false;
  Trailing(range.end);
}

// Runs of consecutive key-value items, not broken by a blank line, share one argument column.
void Printer::Items(const std::vector<Item>& items, int indent) {
  std::vector<size_t> pads(items.size(), 0);
  size_t start = 0;
  for (size_t i = 0; i <= items.size(); ++i) {
    bool breaks = i == items.size() || !IsKeyValue(items[i].kind) ||
                  (i > start && BlankBetween(text_, items[i - 1].range.end, items[i].range.begin));
    if (!breaks) continue;
    size_t width = 0;
    for (size_t j = start; j < i; ++j) width = std::max(width, ast::Keyword(items[j].kind).size());
    if (i - start >= 2) std::fill(pads.begin() + start, pads.begin() + i, width);
    start = (i < items.size() && IsKeyValue(items[i].kind)) ? i : i + 1;
  }
  for (size_t i = 0; i < items.size(); ++i) {
    const Item& item = items[i];
    Block(ItemText(item, pads[i]), item.range, item.has_body, item.children, indent);
  }
}

std::string Printer::Number(const Item& item) const {
  if (!item.number) return "0";
  const ast::Number& number = *item.number;
  if (!number.range.valid()) return number.value ? std::to_string(*number.value) : "0";
  return std::string(text_.substr(number.range.begin, number.range.end - number.range.begin));
}

// One item without its body: the keyword (padded to `pad`), then its arguments in the order
// the grammar writes them.
std::string Printer::ItemText(const Item& item, size_t pad) const {
  std::string out(ast::Keyword(item.kind));
  if (pad > out.size()) out.append(pad - out.size(), ' ');
  auto add = [&out](const std::string& part) { out += " " + part; };
  std::string first = item.strings.empty() ? "\"\"" : Quoted(item.strings[0]);
  std::string name = item.name ? item.name->name : "";
  switch (item.kind) {
    case ItemKind::kAllow:
      return out + " " + name + " because " + first;
    case ItemKind::kRevocationOff:
      return out + " off because " + first;
    case ItemKind::kRevocationDefault:
      return out + " default";
    case ItemKind::kRevocationPolicyRef:
      return out + " policy " + (item.refs.empty() ? "" : item.refs[0].Text());
    case ItemKind::kCheckFromCertificate:
      out += " " + (item.value ? item.value->name : "") + " from certificate";
      return item.strings.empty() ? out : out + " matching " + first;
    case ItemKind::kCheckUrl:
      return out + " " + (item.value ? item.value->name : "") + " url " + first;
    case ItemKind::kPasswordEnv:
      return out + " env " + first;
    case ItemKind::kPasswordFile:
      return out + " file " + first;
    case ItemKind::kPasswordNone:
      return out + " none";
    case ItemKind::kExpiry:
      return out + " warn_within " + Number(item);
    case ItemKind::kMinRsaBits:
    case ItemKind::kMinEcBits:
      return out + " " + Number(item);
    default:
      break;
  }
  if (item.name) add(name);
  if (item.value) add(item.value->name);
  if (!item.words.empty()) add(Join(item.words, [](const ast::Ident& w) { return w.name; }));
  for (const ast::Str& str : item.strings) add(Quoted(str));
  if (!item.refs.empty()) add(Join(item.refs, [](const ast::Ref& r) { return r.Text(); }));
  if (item.from) add("from " + item.from->Text());
  if (item.alias) add("as " + Quoted(*item.alias));
  return out;
}

void Printer::Top(const TopNode& node) {
  pending_.assign(node.comments.begin(), node.comments.end());
  block_start_ = true;
  if (node.import != nullptr) {
    std::string line = "import " + Quoted(node.import->path);
    if (node.import->alias) line += " as " + node.import->alias->name;
    Line(0, line, node.range.begin, node.range.end);
  } else if (node.param != nullptr) {
    std::string line = "param " + node.param->name.name + " = " + Quoted(node.param->value);
    Line(0, line, node.range.begin, node.range.end);
  } else {
    const ast::Decl& decl = *node.decl;
    Block(DeclHead(decl), decl.range, decl.has_body, decl.items, 0);
  }
  Leading(UINT32_MAX, 0);  // defensive: nothing is left behind
}

TopNode MakeNode(int group, SourceRange range) {
  TopNode node;
  node.group = group;
  node.range = range;
  node.trailing_end = range.end;
  return node;
}

std::vector<TopNode> Nodes(const ast::Module& module) {
  std::vector<TopNode> nodes;
  for (const auto& import : module.imports) {
    nodes.push_back(MakeNode(0, import.range));
    nodes.back().import = &import;
  }
  for (const auto& param : module.params) {
    nodes.push_back(MakeNode(1, param.range));
    nodes.back().param = &param;
  }
  for (const auto& decl : module.decls) {
    nodes.push_back(MakeNode(2, decl.range));
    nodes.back().decl = &decl;
  }
  return nodes;
}

// Gives each comment to the node it is inside, trails (same line) or precedes; comments after
// the last node are returned.
std::vector<ast::Comment> Distribute(std::string_view text, const ast::Module& module,
                                     std::vector<TopNode>& nodes) {
  std::vector<TopNode*> by_source;
  for (TopNode& node : nodes) by_source.push_back(&node);
  std::sort(by_source.begin(), by_source.end(),
            [](TopNode* a, TopNode* b) { return a->range.begin < b->range.begin; });
  std::vector<ast::Comment> comments = module.comments, rest;
  std::sort(comments.begin(), comments.end(),
            [](const auto& a, const auto& b) { return a.range.begin < b.range.begin; });
  for (const ast::Comment& comment : comments) {
    uint32_t at = comment.range.begin;
    TopNode* owner = nullptr;
    for (TopNode* node : by_source) {
      bool inside = node->range.begin <= at && at < node->range.end;
      bool trails = at >= node->trailing_end && !HasNewline(text, node->trailing_end, at);
      if (inside || trails) owner = node;
      if (trails) node->trailing_end = comment.range.end;
      if (owner == nullptr && node->range.begin > at) owner = node;
      if (owner != nullptr) break;
    }
    if (owner == nullptr) {
      rest.push_back(comment);
    } else {
      owner->comments.push_back(comment);
    }
  }
  return rest;
}

Printed Printer::Print(const ast::Module& module) {
  std::vector<TopNode> nodes = Nodes(module);
  std::vector<ast::Comment> rest = Distribute(text_, module, nodes);
  int previous_group = -1;
  for (const TopNode& node : nodes) {
    bool separate = previous_group != -1 && (node.group != previous_group || node.group == 2);
    if (separate) out_ += "\n";
    previous_group = node.group;
    Top(node);
  }
  if (!rest.empty()) {
    pending_.assign(rest.begin(), rest.end());
    if (!out_.empty()) out_ += "\n";
    block_start_ = true;
    Leading(UINT32_MAX, 0);
  }
  return {std::move(out_), std::move(comment_starts_)};
}

// Trailing comments of consecutive lines start in one column, two spaces after the longest
// code among them (as gofmt does), so that hand-aligned comments stay aligned.
std::string AlignComments(const Printed& printed) {
  const std::string& text = printed.text;
  struct Line {
    std::string_view text;
    std::optional<size_t> comment;  // where its trailing comments start, within `text`
  };
  std::vector<Line> lines;
  size_t start = 0;
  auto next_comment = printed.comment_starts.begin();
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    Line line{std::string_view(text).substr(start, nl - start), std::nullopt};
    if (next_comment != printed.comment_starts.end() && *next_comment <= nl) {
      line.comment = *next_comment++ - start;
    }
    lines.push_back(line);
  }
  std::string out;
  for (size_t i = 0; i < lines.size();) {
    size_t j = i, width = 0;
    for (; j < lines.size() && lines[j].comment; ++j) {
      width = std::max<size_t>(width,
                               base::CountCodePoints(lines[j].text.substr(0, *lines[j].comment)));
    }
    if (j == i) {
      out.append(lines[i++].text).append("\n");
      continue;
    }
    for (; i < j; ++i) {
      std::string_view code = lines[i].text.substr(0, *lines[i].comment);
      size_t pad = width + 2 - base::CountCodePoints(code);
      out.append(code)
          .append(pad, ' ')
          .append(lines[i].text.substr(*lines[i].comment))
          .append("\n");
    }
  }
  return out + text.substr(start);
}

std::vector<std::string> CommentTexts(const ast::Module& module) {
  std::vector<std::string> texts;
  for (const ast::Comment& comment : module.comments) texts.push_back(TrimmedComment(comment.text));
  std::sort(texts.begin(), texts.end());
  return texts;
}

bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The tokens of a text as the lexer (grammar/TrustLexer.g4) delimits them: runs of word
// characters (keywords, names, numbers, durations), strings, and every other visible byte on
// its own; comments apart, trimmed as the formatter writes them, in sorted order. Blanks and
// the byte-order mark separate tokens and are dropped.
struct Tokens {
  std::vector<std::string_view> code;
  std::vector<std::string> comments;
};

Tokens Tokenize(std::string_view text) {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  Tokens tokens;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    size_t end = i + 1;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      i = end;
      continue;
    }
    if (text.substr(i, 3) == kByteOrderMark) {
      i += 3;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && (text[i + 1] == '/' || text[i + 1] == '*')) {
      end = parse::CommentEnd(text, i);
      tokens.comments.push_back(TrimmedComment(text.substr(i, end - i)));
      i = end;
      continue;
    }
    if (c == '"') {
      end = parse::StringLiteralEnd(text, i);
    } else if (IsWordByte(c)) {
      while (end < text.size() && IsWordByte(text[end])) ++end;
    }
    tokens.code.push_back(text.substr(i, end - i));
    i = end;
  }
  std::sort(tokens.comments.begin(), tokens.comments.end());
  return tokens;
}

// The slow proof, for output that moved code (imports or params written after declarations):
// the output parses, to as many declarations, with the same comments.
bool ParsesBackTheSame(const ast::Module& module, const std::string& formatted,
                       const std::string& display_path) {
  source::SourceManager check_sources;
  diag::Emitter check;
  source::FileId check_id = check_sources.Add(display_path, formatted);
  ast::Module again = parse::Parse(check_sources.file(check_id), check_id, check);
  return !check.HasErrors() && CommentTexts(again) == CommentTexts(module) &&
         again.decls.size() == module.decls.size();
}

}  // namespace

bool OnlyLayoutDiffers(std::string_view before, std::string_view after) {
  Tokens a = Tokenize(before), b = Tokenize(after);
  return a.code == b.code && a.comments == b.comments;
}

std::string Format(const ast::Module& module, std::string_view text) {
  return AlignComments(Printer(text).Print(module));
}

std::optional<std::string> FormatSource(const std::string& display_path, std::string text,
                                        source::SourceManager& sources, diag::Emitter& emitter,
                                        std::string* error) {
  source::FileId id = sources.Add(display_path, std::move(text));
  const source::SourceFile& file = sources.file(id);
  ast::Module module = parse::Parse(file, id, emitter);
  if (emitter.HasErrors()) return std::nullopt;
  return FormatParsed(module, file.text(), display_path, error);
}

std::optional<std::string> FormatParsed(const ast::Module& module, std::string_view text,
                                        const std::string& display_path, std::string* error) {
  std::string formatted = Format(module, text);
  // The formatter's promise, checked on every run. Almost always only the layout changed, and
  // comparing tokens proves that in a scan (a tenth of a parse); otherwise the output must
  // parse back to the same declarations and comments.
  if (!OnlyLayoutDiffers(text, formatted) && !ParsesBackTheSame(module, formatted, display_path)) {
    *error = display_path + ": the formatter could not lay this file out without changing it";
    return std::nullopt;
  }
  return formatted;
}

}  // namespace trust::review
