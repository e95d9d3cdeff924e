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

}  // namespace

Element Element::Add(std::string_view name) {
  tinyxml2::XMLElement* child = element_->GetDocument()->NewElement(Z(name).c_str());
  element_->InsertEndChild(child);
  return Element(child);
}

Element Element::AddText(std::string_view name, std::string_view text) {
  Element child = Add(name);
  child.element_->SetText(Z(text).c_str());
  return child;
}

Element& Element::Attr(std::string_view name, std::string_view value) {
  element_->SetAttribute(Z(name).c_str(), Z(value).c_str());
  return *this;
}

Document::Document() { doc_.InsertEndChild(doc_.NewDeclaration()); }

void Document::AddComment(std::string_view text) {
  doc_.InsertEndChild(doc_.NewComment(CommentSafe(text).c_str()));
}

Element Document::AddRoot(std::string_view name) {
  tinyxml2::XMLElement* root = doc_.NewElement(Z(name).c_str());
  doc_.InsertEndChild(root);
  return Element(root);
}

std::string Document::Print() const {
  tinyxml2::XMLPrinter printer(nullptr, /*compact=*/false);
  doc_.Print(&printer);
  std::string out(printer.CStr(), static_cast<size_t>(printer.CStrSize() - 1));
  while (!out.empty() && out.back() == '\n') {
    out.pop_back();
  }
  out.push_back('\n');
  return out;
}

}  // namespace trust::lower::bundle::xml
