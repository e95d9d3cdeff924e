// Shared by the two halves of parse/: the ANTLR driver (parser.cpp) and the tree transform
// (transform.cpp). Nothing outside parse/ includes this.
#pragma once

#include <cstdint>
#include <vector>

#include "TrustParser.h"
#include "antlr4-runtime.h"
#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"

namespace trust::parse {

// ANTLR indexes characters as code points; our ranges are byte offsets.
class OffsetMap {
 public:
  explicit OffsetMap(std::string_view utf8);
  uint32_t ByteOffset(size_t code_point_index) const;

 private:
  // Empty when every character after the skipped byte-order mark is one byte (ASCII, most
  // sources): a code point's offset is then its index plus first_byte_.
  std::vector<uint32_t> byte_of_code_point_;
  uint32_t first_byte_ = 0;
  uint32_t size_ = 0;
};

struct TransformContext {
  source::FileId file;
  const OffsetMap& offsets;
  std::string_view text;
  diag::Emitter& emitter;
};

source::SourceRange TokenRange(const TransformContext& cx, const antlr4::Token* token);
// A token's text: its bytes in the file, or what ANTLR names a token that error recovery made
// up (`<missing ID>`). Read from the file, a name costs no UTF-32 round trip, and its string
// is no larger than the name (ANTLR's is sized for four bytes a character).
std::string TokenText(const TransformContext& cx, const antlr4::Token* token);
source::SourceRange ContextRange(const TransformContext& cx, antlr4::ParserRuleContext* ctx);

ast::Module Transform(const TransformContext& cx, grammar::TrustParser::ProgramContext* program);

}  // namespace trust::parse
