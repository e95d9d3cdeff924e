// The XML side of reading bundles: parsing with located errors, the namespace check, and
// lookups by local name (a bundle may bind the management namespace to any prefix).
#pragma once

#include <tinyxml2.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/x509/certificate.h"

namespace trust::importer {

inline constexpr std::string_view kManagementNamespace =
    "http://ns.l7tech.com/2010/04/gateway-management";

class BundleXml {
 public:
  explicit BundleXml(std::string path) : path_(std::move(path)) {}
  const std::string& path() const { return path_; }

  // The l7:Bundle root, or null with *error set ("PATH:LINE: ...").
  const tinyxml2::XMLElement* Parse(const std::string& bytes, std::string* error);

  // Sets *error to "PATH:LINE: message" for `element`'s line; returns false.
  bool Fail(const tinyxml2::XMLElement* element, const std::string& message,
            std::string* error) const;

 private:
  std::string path_;
  tinyxml2::XMLDocument doc_;
};

// The first child element named `local` (any prefix), or null; `parent` may be null.
const tinyxml2::XMLElement* Child(const tinyxml2::XMLElement* parent, std::string_view local);
std::vector<const tinyxml2::XMLElement*> Children(const tinyxml2::XMLElement* parent,
                                                  std::string_view local);
// The element's text ("" when the element is null or empty).
std::string Text(const tinyxml2::XMLElement* element);
std::string Attribute(const tinyxml2::XMLElement* element, const char* name);
std::optional<bool> Boolean(const std::string& text);

// The certificate of an l7:Encoded text (base64 DER, white space allowed). On failure returns
// null and sets *error.
std::shared_ptr<const x509::Certificate> DecodeCertificate(const std::string& base64,
                                                           std::string* error);

// "folders", "private keys", ... for the skip notes.
std::string KindDescription(std::string_view type);

}  // namespace trust::importer
