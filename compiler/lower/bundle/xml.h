// A tiny streaming writer over tinyxml2's XMLPrinter: elements are printed as they are opened
// and closed, so no document tree is ever built and memory does not grow with the bundle.
// tinyxml2 does every bit of escaping: no caller ever builds markup from strings, so names such
// as `A & B <C>` cannot break a bundle.
//
// Elements are RAII scopes: an Element opens its tag when constructed and closes it when
// destroyed. Set attributes before adding children or text; open children only from the
// innermost open element (a sibling's scope must have ended). Element names are C strings that
// must outlive the element (string literals): XMLPrinter keeps the pointer to close the tag.
// Temporaries in a chain such as `parent.Add("a").Attr("k", "v").AddText("b", "t")` close at the
// end of the statement.
#pragma once

#include <tinyxml2.h>

#include <string>
#include <string_view>

#include "base/byte_sink.h"

namespace trust::lower::bundle::xml {

class Element;

// The output: an XML declaration (version 1.0, UTF-8), optional comments, one root element,
// written into `out` as it is printed.
class Document {
 public:
  explicit Document(base::ByteSink& out);
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  // A comment before the root. XML comments cannot be escaped, so any "--" in `text` (which
  // would end the comment early) is broken up as "- -".
  void AddComment(std::string_view text);
  // Opens the root element; call once, after the comments.
  Element AddRoot(const char* name);
  // Ends the document, indented by four spaces per level, with a single "\n". Call after the
  // root element has been closed.
  void Finish() { out_.Finish(); }

 private:
  friend class Element;

  // XMLPrinter writing straight into a sink (instead of its own buffer, which would grow with
  // the document).
  class SinkPrinter : public tinyxml2::XMLPrinter {
   public:
    explicit SinkPrinter(base::ByteSink& out) : tinyxml2::XMLPrinter(nullptr, false), out_(out) {}

   protected:
    void Write(const char* data, size_t size) override { out_.Write(std::string_view(data, size)); }
    void Putc(char ch) override { out_.Put(ch); }

   private:
    base::ByteSink& out_;
  };

  base::TrailingNewlines out_;
  SinkPrinter printer_{out_};
};

// An open element; closed when it goes out of scope. Neither copyable nor movable: returned
// only as a prvalue (guaranteed elision), so each tag is closed exactly once.
class Element {
 public:
  Element(const Element&) = delete;
  Element& operator=(const Element&) = delete;
  ~Element();

  // Opens a child element.
  [[nodiscard]] Element Add(const char* name);
  // Writes a child element holding `text`, closed at once.
  void AddText(const char* name, std::string_view text);
  // Sets an attribute; only before any child or text.
  Element& Attr(std::string_view name, std::string_view value);

 private:
  friend class Document;
  Element(tinyxml2::XMLPrinter& printer, const char* name);

  tinyxml2::XMLPrinter& printer_;
};

}  // namespace trust::lower::bundle::xml
