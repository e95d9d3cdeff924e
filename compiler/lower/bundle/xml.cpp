#include "compiler/lower/bundle/xml.h"

namespace trust::lower::bundle::xml {
namespace {

// tinyxml2 takes NUL-terminated strings; this keeps the copies in one place.
std::string Z(std::string_view text) { return std::string(text); }

std::string CommentSafe(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '-' && !out.empty() && out.back() == '-') {
      out.push_back(' ');
    }
    out.push_back(c);
  }
  // A comment may not end in '-' either (it would merge with the closing "-->").
  if (!out.empty() && out.back() == '-') {
    out.push_back(' ');
  }
  return out;
}

// What tinyxml2's XMLDocument::NewDeclaration() writes by default.
constexpr const char* kDeclaration = "xml version=\"1.0\" encoding=\"UTF-8\"";

}  // namespace

Element::Element(tinyxml2::XMLPrinter& printer, const char* name) : printer_(printer) {
  printer_.OpenElement(name, /*compactMode=*/false);
}

Element::~Element() { printer_.CloseElement(/*compactMode=*/false); }

Element Element::Add(const char* name) { return Element(printer_, name); }

void Element::AddText(const char* name, std::string_view text) {
  Element child(printer_, name);
  printer_.PushText(Z(text).c_str());
}

Element& Element::Attr(std::string_view name, std::string_view value) {
  printer_.PushAttribute(Z(name).c_str(), Z(value).c_str());
  return *this;
}

Document::Document(base::ByteSink& out) : out_(out) { printer_.PushDeclaration(kDeclaration); }

void Document::AddComment(std::string_view text) {
  printer_.PushComment(CommentSafe(text).c_str());
}

Element Document::AddRoot(const char* name) { return Element(printer_, name); }

}  // namespace trust::lower::bundle::xml
