// A tiny builder over tinyxml2 for writing documents. tinyxml2 does every bit of escaping: no
// caller ever builds markup from strings, so names such as `A & B <C>` cannot break a bundle.
#pragma once

#include <tinyxml2.h>

#include <string>
#include <string_view>

namespace trust::lower::bundle::xml {

// A handle to an element owned by its Document. Cheap to copy.
class Element {
 public:
  explicit Element(tinyxml2::XMLElement* element) : element_(element) {}

  // Appends an empty child element and returns it.
  Element Add(std::string_view name);
  // Appends a child element holding `text` and returns it.
  Element AddText(std::string_view name, std::string_view text);
  // Sets an attribute; attributes print in the order they were first set.
  Element& Attr(std::string_view name, std::string_view value);

 private:
  tinyxml2::XMLElement* element_;
};

// A document with an XML declaration (version 1.0, UTF-8), optional comments before the root
// element and one root element.
class Document {
 public:
  Document();
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  // A comment before the root. XML comments cannot be escaped, so any "--" in `text` (which
  // would end the comment early) is broken up as "- -".
  void AddComment(std::string_view text);
  // Creates the root element; call once, after the comments.
  Element AddRoot(std::string_view name);
  // The document indented by four spaces per level, ending with a single "\n".
  std::string Print() const;

 private:
  tinyxml2::XMLDocument doc_;
};

}  // namespace trust::lower::bundle::xml
