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

namespace trust::lower::bundle::xml {

class Element;

// The output: an XML declaration (version 1.0, UTF-8), optional comments, one root element.
class Document {
 public:
  Document();
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  // A comment before the root. XML comments cannot be escaped, so any "--" in `text` (which
  // would end the comment early) is broken up as "- -".
  void AddComment(std::string_view text);
  // Opens the root element; call once, after the comments.
  Element AddRoot(const char* name);
  // Makes room for a document of about `bytes`, so that a large bundle is not copied each
  // time its buffer doubles (the copies, not the bundle, were a build's peak memory).
  void Reserve(size_t bytes) { out_.reserve(bytes); }
  // The document indented by four spaces per level, ending with a single "\n". Call after the
  // root element has been closed.
  std::string Take();

 private:
  friend class Element;

  // XMLPrinter writing straight into a std::string (instead of its own buffer, which would
  // then be copied).
  class StringPrinter : public tinyxml2::XMLPrinter {
   public:
    explicit StringPrinter(std::string& out) : tinyxml2::XMLPrinter(nullptr, false), out_(out) {}

   protected:
    void Write(const char* data, size_t size) override { out_.append(data, size); }
    void Putc(char ch) override { out_.push_back(ch); }

   private:
    std::string& out_;
  };

  std::string out_;
  StringPrinter printer_{out_};
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
