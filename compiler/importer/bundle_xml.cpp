#include "compiler/importer/bundle_xml.h"

#include <openssl/evp.h>

#include <cctype>
#include <utility>

namespace trust::importer {
namespace {

std::string_view LocalName(const char* name) {
  std::string_view text(name);
  size_t colon = text.find(':');
  return colon == std::string_view::npos ? text : text.substr(colon + 1);
}

}  // namespace

const tinyxml2::XMLElement* BundleXml::Parse(const std::string& bytes, std::string* error) {
  if (doc_.Parse(bytes.data(), bytes.size()) != tinyxml2::XML_SUCCESS) {
    // ErrorStr() repeats the id and the line; keep the readable part of each.
    std::string what = tinyxml2::XMLDocument::ErrorIDToName(doc_.ErrorID());
    if (what.starts_with("XML_ERROR_")) what = what.substr(10);
    for (char& c : what) c = c == '_' ? ' ' : static_cast<char>(std::tolower(c));
    std::string detail = doc_.ErrorStr();
    size_t colon = detail.find(": ", detail.find("Line number="));
    if (colon != std::string::npos) what += " (" + detail.substr(colon + 2) + ")";
    *error = path_ + ":" + std::to_string(doc_.ErrorLineNum()) + ": not well-formed XML: " + what;
    return nullptr;
  }
  const tinyxml2::XMLElement* root = doc_.RootElement();
  std::string name = root != nullptr ? root->Name() : "";
  size_t colon = name.find(':');
  std::string prefix = colon == std::string::npos ? "" : name.substr(0, colon);
  std::string xmlns = Attribute(root, prefix.empty() ? "xmlns" : ("xmlns:" + prefix).c_str());
  if (root == nullptr || LocalName(root->Name()) != "Bundle" || xmlns != kManagementNamespace) {
    Fail(root,
         "not a RESTMAN bundle: the root element must be l7:Bundle in namespace " +
             std::string(kManagementNamespace) + " (found `" + name + "`" +
             (xmlns.empty() ? std::string() : " in " + xmlns) + ")",
         error);
    return nullptr;
  }
  return root;
}

bool BundleXml::Fail(const tinyxml2::XMLElement* element, const std::string& message,
                     std::string* error) const {
  int line = element != nullptr ? element->GetLineNum() : 1;
  *error = path_ + ":" + std::to_string(line) + ": " + message;
  return false;
}

const tinyxml2::XMLElement* Child(const tinyxml2::XMLElement* parent, std::string_view local) {
  if (parent == nullptr) return nullptr;
  for (const tinyxml2::XMLElement* child = parent->FirstChildElement(); child != nullptr;
       child = child->NextSiblingElement()) {
    if (LocalName(child->Name()) == local) return child;
  }
  return nullptr;
}

std::vector<const tinyxml2::XMLElement*> Children(const tinyxml2::XMLElement* parent,
                                                  std::string_view local) {
  std::vector<const tinyxml2::XMLElement*> out;
  if (parent == nullptr) return out;
  for (const tinyxml2::XMLElement* child = parent->FirstChildElement(); child != nullptr;
       child = child->NextSiblingElement()) {
    if (LocalName(child->Name()) == local) out.push_back(child);
  }
  return out;
}

std::string Text(const tinyxml2::XMLElement* element) {
  const char* text = element != nullptr ? element->GetText() : nullptr;
  return text != nullptr ? text : "";
}

std::string Attribute(const tinyxml2::XMLElement* element, const char* name) {
  const char* value = element != nullptr ? element->Attribute(name) : nullptr;
  return value != nullptr ? value : "";
}

std::optional<bool> Boolean(const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return std::nullopt;
}

std::shared_ptr<const x509::Certificate> DecodeCertificate(const std::string& base64,
                                                           std::string* error) {
  std::string compact;
  for (char c : base64) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') compact.push_back(c);
  }
  std::string der(compact.size() / 4 * 3 + 3, '\0');
  int length = compact.empty() || compact.size() % 4 != 0
                   ? -1
                   : EVP_DecodeBlock(reinterpret_cast<unsigned char*>(der.data()),
                                     reinterpret_cast<const unsigned char*>(compact.data()),
                                     static_cast<int>(compact.size()));
  if (length < 0) {
    *error = "l7:Encoded is not valid base64";
    return nullptr;
  }
  // EVP_DecodeBlock counts the bytes the '=' padding stands for.
  size_t padding = compact.ends_with("==") ? 2 : compact.ends_with("=") ? 1 : 0;
  der.resize(static_cast<size_t>(length) - padding);
  x509::LoadResult result = x509::ParseCertificate(der);
  if (const auto* failure = std::get_if<x509::LoadError>(&result)) {
    *error = "l7:Encoded is not a DER certificate: " + failure->message;
    return nullptr;
  }
  return std::get<std::shared_ptr<const x509::Certificate>>(std::move(result));
}

std::string KindDescription(std::string_view type) {
  static const std::pair<std::string_view, std::string_view> kKinds[] = {
      {"FOLDER", "folders"},
      {"POLICY", "policies and policy fragments"},
      {"SERVICE", "published services"},
      {"ENCAPSULATED_ASSERTION", "encapsulated assertions"},
      {"CLUSTER_PROPERTY", "cluster properties"},
      {"SSG_KEY_ENTRY", "private keys: never imported"},
      {"SECURE_PASSWORD", "stored passwords: never imported"},
      {"RBAC_ROLE", "roles"},
      {"ID_PROVIDER_CONFIG", "identity providers that are not federated"},
      {"USER", "users"},
      {"GROUP", "groups"},
      {"SSG_CONNECTOR", "listen ports"},
      {"JDBC_CONNECTION", "JDBC connections"},
      {"JMS_ENDPOINT", "JMS destinations"},
      {"FIREWALL_RULE", "firewall rules"},
      {"LOG_SINK", "log sinks"},
      {"AUDIT_CONFIG", "audit configuration"},
      {"INTERFACE_TAG", "interface tags"},
      {"RESOURCE_ENTRY", "global resources"},
      {"SCHEDULED_TASK", "scheduled tasks"},
      {"REVOCATION_CHECK_POLICY", "revocation checking policies"},
      {"TRUSTED_CERT", "trusted certificates"},
  };
  for (const auto& [kind, description] : kKinds) {
    if (kind == type) return std::string(description);
  }
  return "not trust configuration";
}

}  // namespace trust::importer
