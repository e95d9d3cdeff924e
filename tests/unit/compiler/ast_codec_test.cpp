// The syntax tree's encoding (what the parse cache keeps): every tree the parser makes from the
// repository's sources decodes to the same tree, and bytes that are not an encoding of the
// source at hand decode to nothing, never to a tree with ranges outside it.
#include "compiler/ast/ast_codec.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/parse/parse.h"
#include "tests/support/temp_tree.h"

namespace trust::ast {
namespace {

namespace fs = std::filesystem;

// Every field of a tree, one line a node: two trees are the same if their dumps are.
class Dump {
 public:
  std::string Of(const Module& module) {
    out_ << "module " << module.file << "\n";
    for (const Import& imported : module.imports) {
      Line("import", imported.range);
      Of(imported.path);
      Optional(imported.alias);
    }
    for (const Param& param : module.params) {
      Line("param", param.range);
      Of(param.name);
      Of(param.value);
    }
    for (const Decl& decl : module.decls) {
      Line("decl " + std::to_string(static_cast<int>(decl.kind)) + " " +
               std::to_string(decl.has_body),
           decl.range);
      Line("keyword", decl.keyword_range);
      Of(decl.name);
      Optional(decl.from);
      for (const Item& item : decl.items) Of(item);
    }
    for (const Comment& comment : module.comments) Line("comment " + comment.text, comment.range);
    return out_.str();
  }

 private:
  void Line(const std::string& what, source::SourceRange range) {
    out_ << what << " @" << range.file << ":" << range.begin << "-" << range.end << "\n";
  }
  void Of(const Ident& ident) { Line("ident " + ident.name, ident.range); }
  void Of(const Ref& ref) {
    Line("ref", ref.range);
    Optional(ref.module);
    Of(ref.name);
  }
  void Of(const Str& str) {
    Line("str raw=" + str.Raw(), str.range);
    for (const StrPart& part : str.parts) {
      Line("part " + std::to_string(static_cast<int>(part.kind)) + " " + part.text, part.range);
    }
  }
  void Of(const Number& number) {
    Line("number " + (number.value ? std::to_string(*number.value) : "none"), number.range);
  }
  void Of(const Item& item) {
    Line(
        "item " + std::to_string(static_cast<int>(item.kind)) + " " + std::to_string(item.has_body),
        item.range);
    Line("keyword", item.keyword_range);
    Optional(item.name);
    Optional(item.value);
    for (const Ident& word : item.words) Of(word);
    for (const Str& str : item.strings) Of(str);
    for (const Ref& ref : item.refs) Of(ref);
    Optional(item.from);
    Optional(item.alias);
    Optional(item.number);
    out_ << "children " << item.children.size() << "\n";
    for (const Item& child : item.children) Of(child);
  }
  template <typename T>
  void Optional(const T& value) {
    if (value) {
      Of(*value);
    } else {
      out_ << "none\n";
    }
  }

  std::ostringstream out_;
};

Module ParseText(const std::string& text, source::SourceManager& sources) {
  source::FileId id = sources.Add("test.trust", text);
  diag::Emitter emitter;
  return parse::Parse(sources.file(id), id, emitter);
}

// Trees with syntax errors too: the encoding does not depend on the parse being clean (the
// cache keeps only clean ones, but that is the loader's rule).
TEST(AstCodec, EveryTreeOfTheRepositoryDecodesToItself) {
  std::vector<fs::path> files = test::RepositoryFiles(
      {"examples", "stdlib", "tests/golden", "tests/cli", "tests/review"}, ".trust");
  ASSERT_GT(files.size(), 50u);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    source::SourceManager sources;
    std::string text = test::ReadFile(file);
    if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);  // as the loader does
    Module parsed = ParseText(text, sources);
    std::string encoded = EncodeModule(parsed, text);
    ASSERT_FALSE(encoded.empty());
    std::optional<Module> decoded = DecodeModule(encoded, text, parsed.file);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(Dump().Of(*decoded), Dump().Of(parsed));
  }
}

TEST(AstCodec, EscapesInterpolationsAndNumbersSurvive) {
  std::string text =
      "import \"./lib/ca.trust\" as ca\n"
      "param p = \"a\\tb ${env:HOME} $$ ${ca.x}\"\n"
      "/* block */ // line\n"
      "policy { min_rsa_bits 2048 expiry warn_within 30d }\n"
      "gateway g { trust ca.root { for ssl, client verify_hostname on } }\n";
  source::SourceManager sources;
  Module parsed = ParseText(text, sources);
  ASSERT_EQ(parsed.params.size(), 1u);
  ASSERT_GT(parsed.params[0].value.parts.size(), 1u);
  std::optional<Module> decoded = DecodeModule(EncodeModule(parsed, text), text, parsed.file);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(Dump().Of(*decoded), Dump().Of(parsed));
  EXPECT_EQ(decoded->params[0].value.Raw(), "a\\tb ${env:HOME} $$ ${ca.x}");
}

// Ranges of a decoded tree are in the file asked for.
TEST(AstCodec, RangesAreInTheFileAskedFor) {
  std::string text = "cert a { file \"a.pem\" }\n";
  source::SourceManager sources;
  Module parsed = ParseText(text, sources);
  std::optional<Module> decoded = DecodeModule(EncodeModule(parsed, text), text, 7);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->file, 7);
  EXPECT_EQ(decoded->decls.at(0).name.range.file, 7);
  EXPECT_EQ(decoded->decls.at(0).items.at(0).strings.at(0).range.file, 7);
}

// What is not the encoding of this text (cut short, longer, another text, flipped bytes) is
// nothing, or a tree whose every range is inside the text: never out of bounds.
TEST(AstCodec, BytesThatAreNoEncodingOfTheTextDecodeToNothing) {
  std::string text =
      "cert root { file \"certs/root.pem\" }\n"
      "gateway g { trust root { for ssl verify_hostname on } }\n";
  source::SourceManager sources;
  Module parsed = ParseText(text, sources);
  std::string encoded = EncodeModule(parsed, text);
  for (size_t size = 0; size < encoded.size(); ++size) {
    EXPECT_FALSE(DecodeModule(encoded.substr(0, size), text, parsed.file).has_value()) << size;
  }
  EXPECT_FALSE(DecodeModule(encoded + '\0', text, parsed.file).has_value());
  EXPECT_FALSE(DecodeModule(encoded, text.substr(0, 20), parsed.file).has_value());
  for (size_t at = 0; at < encoded.size(); ++at) {
    for (unsigned char flip : {0x01, 0x80, 0xFF}) {
      std::string damaged = encoded;
      damaged[at] = static_cast<char>(static_cast<unsigned char>(damaged[at]) ^ flip);
      std::optional<Module> decoded = DecodeModule(damaged, text, parsed.file);
      if (!decoded) continue;
      std::istringstream lines(Dump().Of(*decoded));
      for (std::string line; std::getline(lines, line);) {
        size_t dash = line.rfind('-');
        size_t at_sign = line.rfind('@');
        if (dash == std::string::npos || at_sign == std::string::npos || dash < at_sign) continue;
        EXPECT_LE(std::stoul(line.substr(dash + 1)), text.size()) << line;
      }
    }
  }
}

// A range into another file cannot be encoded (the decoder puts every range in one file).
TEST(AstCodec, ATreeWithARangeIntoAnotherFileIsNotEncoded) {
  std::string text = "cert a { file \"a.pem\" }\n";
  source::SourceManager sources;
  Module parsed = ParseText(text, sources);
  parsed.decls.at(0).name.range.file = parsed.file + 1;
  EXPECT_EQ(EncodeModule(parsed, text), "");
}

}  // namespace
}  // namespace trust::ast
