// Runs our lexer (lexer.h) and ANTLR's parser over one file, with our own error reporting and
// limits.
#include <algorithm>
#include <exception>
#include <string>

#include "TrustLexer.h"
#include "base/utf8.h"
#include "compiler/limits.h"
#include "compiler/parse/internal.h"
#include "compiler/parse/lexer.h"
#include "compiler/parse/parse.h"

namespace trust::parse {
namespace {

using grammar::TrustLexer;
using grammar::TrustParser;

// Thrown by the error listener to abandon a hopeless file; caught in Parse().
struct TooManyErrors {};

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

std::string DescribeToken(const antlr4::Token* token, const antlr4::dfa::Vocabulary& vocabulary) {
  size_t type = token->getType();
  if (type == antlr4::Token::EOF) return "end of file";
  std::string text = token->getText();
  if (text.size() > 40) text = text.substr(0, 40) + "...";
  switch (type) {
    case TrustLexer::STRING:
      return "string " + text;
    case TrustLexer::ID:
      return "name " + diag::Quote(text);
    case TrustLexer::INT:
    case TrustLexer::DURATION:
      return diag::Quote(text);
    default:
      break;
  }
  if (vocabulary.getLiteralName(type).size() > 2 &&
      std::isalpha(static_cast<unsigned char>(text[0]))) {
    return "keyword " + diag::Quote(text) + " (keywords are reserved and cannot be names)";
  }
  return diag::Quote(text);
}

std::string DescribeExpected(size_t type, const antlr4::dfa::Vocabulary& vocabulary) {
  switch (type) {
    case TrustLexer::ID:
      return "a name";
    case TrustLexer::STRING:
      return "a string";
    case TrustLexer::INT:
      return "a number";
    case TrustLexer::DURATION:
      return "a duration such as `30d`";
    case antlr4::Token::EOF:
      return "end of file";
    default:
      break;
  }
  std::string literal = vocabulary.getLiteralName(type);  // "'trust'"
  if (literal.size() >= 2) return diag::Quote(literal.substr(1, literal.size() - 2));
  return vocabulary.getDisplayName(type);
}

std::string ExpectedList(antlr4::Parser* parser) {
  antlr4::misc::IntervalSet expected;
  try {
    expected = parser->getExpectedTokens();
  } catch (...) {
    return "";
  }
  std::vector<ssize_t> types = expected.toList();
  if (types.empty()) return "";
  constexpr size_t kShown = 8;
  std::string out = types.size() == 1 ? "expected " : "expected one of ";
  for (size_t i = 0; i < types.size() && i < kShown; ++i) {
    if (i > 0) out += ", ";
    out += DescribeExpected(static_cast<size_t>(types[i]), parser->getVocabulary());
  }
  if (types.size() > kShown) out += ", ...";
  return out;
}

class SyntaxErrorListener : public antlr4::BaseErrorListener {
 public:
  explicit SyntaxErrorListener(const TransformContext& cx) : cx_(cx) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t, size_t,
                   const std::string& antlr_message, std::exception_ptr) override {
    auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
    std::string message = antlr_message;
    if (parser != nullptr && offending != nullptr) {
      message = "unexpected " + DescribeToken(offending, parser->getVocabulary());
      std::string expected = ExpectedList(parser);
      if (!expected.empty()) message += ", " + expected;
    }
    Report(offending, std::move(message));
  }

  void Report(const antlr4::Token* token, std::string message) {
    if (count_ == limits::kMaxSyntaxErrors) {
      cx_.emitter.Emit(diag::Kind::limit_exceeded, TokenRange(cx_, token),
                       "too many syntax errors in this file (limit " +
                           std::to_string(limits::kMaxSyntaxErrors) + "); stopped here");
      throw TooManyErrors{};
    }
    ++count_;
    cx_.emitter.Emit(diag::Kind::syntax, TokenRange(cx_, token), std::move(message));
  }

 private:
  const TransformContext& cx_;
  size_t count_ = 0;
};

// Reports the lexer's error tokens and returns the tokens the parser should see: an
// unterminated string stands in as a string (so one mistake gives one diagnostic), stray
// characters and unterminated comments are dropped.
// Comments are kept aside for the formatter.
std::vector<std::unique_ptr<antlr4::Token>> ScreenTokens(Lexer& lexer, const TransformContext& cx,
                                                         SyntaxErrorListener& errors,
                                                         std::vector<ast::Comment>& comments) {
  std::vector<std::unique_ptr<antlr4::Token>> tokens;
  size_t previous_bad = INVALID_INDEX;
  for (auto token = lexer.nextToken();; token = lexer.nextToken()) {
    size_t type = token->getType();
    if (type == TrustLexer::LINE_COMMENT || type == TrustLexer::BLOCK_COMMENT) {
      comments.push_back({token->getText(), TokenRange(cx, token.get())});
      continue;
    }
    if (type == TrustLexer::UNTERMINATED_STRING) {
      cx.emitter.Emit(diag::Kind::unterminated_string, TokenRange(cx, token.get()),
                      "string is not closed before the end of the line");
      auto copy = std::make_unique<antlr4::CommonToken>(token.get());
      copy->setType(TrustLexer::STRING);
      tokens.push_back(std::move(copy));
      continue;
    }
    if (type == TrustLexer::UNTERMINATED_COMMENT) {
      cx.emitter.Emit(diag::Kind::unterminated_comment, TokenRange(cx, token.get()),
                      "`/*` comment is never closed with `*/`");
      continue;
    }
    if (type == TrustLexer::BAD_CHAR) {
      // A run of stray characters (`rööt`, `@@`) is one mistake: report its first character.
      bool run = previous_bad != INVALID_INDEX && token->getStartIndex() == previous_bad + 1;
      previous_bad = token->getStartIndex();
      if (!run) errors.Report(token.get(), "unexpected character " + diag::Quote(token->getText()));
      continue;
    }
    bool eof = type == antlr4::Token::EOF;
    tokens.push_back(std::move(token));
    if (eof) break;
  }
  return tokens;
}

// ANTLR's two-stage strategy. SLL prediction with the bail strategy is the fast path and
// succeeds on every valid file; when it gives up, the file is parsed again from the start
// with full LL prediction and the default (recovering, reporting) strategy, so the diagnostics
// for bad input are exactly those of a single LL parse. The first stage reports nothing: the
// listener would see errors that the second stage reports again.
TrustParser::ProgramContext* ParseProgram(TrustParser& parser, SyntaxErrorListener& errors) {
  auto* simulator = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
  parser.removeErrorListeners();
  simulator->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  try {
    return parser.program();
  } catch (const antlr4::ParseCancellationException&) {
    // A syntax error, or a file SLL cannot decide: the second stage settles which.
  }
  parser.reset();
  simulator->setPredictionMode(antlr4::atn::PredictionMode::LL);
  parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
  parser.addErrorListener(&errors);
  return parser.program();
}

// ANTLR's own stream decodes through std::wstring_convert, whose buffer grows a step at a
// time: at 10,000 certificates that was a third of parsing, most of it page faults. The text is
// strict UTF-8 by now (CheckUtf8), so it decodes once into a buffer of the right size.
class Utf8InputStream : public antlr4::ANTLRInputStream {
 public:
  explicit Utf8InputStream(std::string_view utf8) {
    if (utf8.starts_with(kByteOrderMark)) utf8.remove_prefix(3);  // as ANTLRInputStream does
    _data.resize(base::CountCodePoints(utf8));
    size_t at = 0;
    for (char32_t& code_point : _data) at += base::DecodeUtf8At(utf8, at, &code_point);
    p = 0;
  }

  std::u32string_view code_points() const { return _data; }
};

bool CheckSize(const source::SourceFile& file, source::FileId id, diag::Emitter& emitter) {
  if (file.text().size() <= limits::kMaxSourceBytes) return true;
  emitter.Emit(diag::Kind::limit_exceeded, {id, 0, 0},
               "source file is " + std::to_string(file.text().size()) + " bytes; the limit is " +
                   std::to_string(limits::kMaxSourceBytes));
  return false;
}

bool CheckUtf8(const source::SourceFile& file, source::FileId id, diag::Emitter& emitter) {
  // ANTLR's UTF-8 decoder throws on invalid input, so nothing reaches it unchecked.
  size_t bad = base::FindInvalidUtf8(file.text());
  if (bad == std::string_view::npos) return true;
  auto offset = static_cast<uint32_t>(bad);
  emitter.Emit(diag::Kind::syntax, {id, offset, offset + 1},
               "invalid UTF-8 byte; .trust sources must be UTF-8");
  return false;
}

}  // namespace

extern const char kParserSourcesDigest[];  // parser_fingerprint.cpp, made by fingerprint.cmake

std::string ParserFingerprint() {
  return std::string(kParserSourcesDigest) + " antlr4-runtime " + antlr4::RuntimeMetaData::VERSION;
}

OffsetMap::OffsetMap(std::string_view utf8) : size_(static_cast<uint32_t>(utf8.size())) {
  // The input stream drops a leading UTF-8 byte-order mark: its code point 0 is our byte 3.
  first_byte_ = utf8.starts_with(kByteOrderMark) ? 3 : 0;
  std::string_view text = utf8.substr(first_byte_);
  if (std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; })) return;
  byte_of_code_point_.reserve(text.size() + 1);
  for (uint32_t i = first_byte_; i < utf8.size(); ++i) {
    if ((static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80) byte_of_code_point_.push_back(i);
  }
  byte_of_code_point_.push_back(size_);
}

uint32_t OffsetMap::ByteOffset(size_t code_point_index) const {
  if (byte_of_code_point_.empty()) {
    return static_cast<uint32_t>(std::min<size_t>(code_point_index + first_byte_, size_));
  }
  if (code_point_index >= byte_of_code_point_.size()) return byte_of_code_point_.back();
  return byte_of_code_point_[code_point_index];
}

source::SourceRange TokenRange(const TransformContext& cx, const antlr4::Token* token) {
  if (token == nullptr || token->getType() == antlr4::Token::EOF) {
    auto end = static_cast<uint32_t>(cx.text.size());
    return {cx.file, end, end};
  }
  return {cx.file, cx.offsets.ByteOffset(token->getStartIndex()),
          cx.offsets.ByteOffset(token->getStopIndex() + 1)};
}

std::string TokenText(const TransformContext& cx, const antlr4::Token* token) {
  if (token->getType() == antlr4::Token::EOF || token->getStartIndex() == INVALID_INDEX ||
      token->getStopIndex() == INVALID_INDEX ||
      token->getStopIndex() + 1 < token->getStartIndex()) {
    return token->getText();
  }
  source::SourceRange range = TokenRange(cx, token);
  return std::string(cx.text.substr(range.begin, range.end - range.begin));
}

source::SourceRange ContextRange(const TransformContext& cx, antlr4::ParserRuleContext* ctx) {
  source::SourceRange start = TokenRange(cx, ctx->getStart());
  const antlr4::Token* stop = ctx->getStop();
  if (stop == nullptr || stop->getStopIndex() + 1 < ctx->getStart()->getStartIndex()) return start;
  return source::Cover(start, TokenRange(cx, stop));
}

ast::Module Parse(const source::SourceFile& file, source::FileId id, diag::Emitter& emitter) {
  ast::Module empty;
  empty.file = id;
  if (!CheckSize(file, id, emitter) || !CheckUtf8(file, id, emitter)) return empty;
  OffsetMap offsets(file.text());
  TransformContext cx{id, offsets, file.text(), emitter};
  SyntaxErrorListener errors(cx);
  try {
    Utf8InputStream input(file.text());
    Lexer lexer(&input, input.code_points());
    std::vector<ast::Comment> comments;
    antlr4::ListTokenSource source(ScreenTokens(lexer, cx, errors, comments));
    antlr4::CommonTokenStream tokens(&source);
    TrustParser parser(&tokens);
    ast::Module module = Transform(cx, ParseProgram(parser, errors));
    module.comments = std::move(comments);
    return module;
  } catch (const TooManyErrors&) {
    return empty;
  } catch (const std::exception& e) {
    emitter.Emit(diag::Kind::syntax, {id, 0, 0}, std::string("the parser failed: ") + e.what());
    return empty;
  }
}

}  // namespace trust::parse
