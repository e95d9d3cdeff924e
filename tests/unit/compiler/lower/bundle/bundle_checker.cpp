#include "tests/unit/compiler/lower/bundle/bundle_checker.h"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <tinyxml2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <utility>

namespace trust::test {
namespace {

using tinyxml2::XMLElement;
using Key = std::pair<std::string, std::string>;  // (id, type)

constexpr std::string_view kNs = "http://ns.l7tech.com/2010/04/gateway-management";
constexpr std::array<std::string_view, 5> kValueTypes = {"StringValue", "BooleanValue",
                                                         "IntegerValue", "LongValue", "DateValue"};
constexpr std::array<std::string_view, 5> kActions = {"NewOrExisting", "NewOrUpdate",
                                                      "AlwaysCreateNew", "Ignore", "Delete"};
// The trust flags of a TRUSTED_CERT, as docs/bundles.md's table lists them.
constexpr std::array<std::string_view, 8> kTrustKeys = {"revocationCheckingEnabled",
                                                        "trustAnchor",
                                                        "trustedAsSamlAttestingEntity",
                                                        "trustedAsSamlIssuer",
                                                        "trustedForSigningClientCerts",
                                                        "trustedForSigningServerCerts",
                                                        "trustedForSsl",
                                                        "verifyHostname"};
constexpr std::array<std::string_view, 3> kValidations = {"Validate", "Validate Certificate Path",
                                                          "Revocation Checking"};

constexpr std::array<std::string_view, 4> kCheckTypes = {
    "CRL from certificate URL", "CRL from URL", "OCSP from certificate URL", "OCSP from URL"};

template <size_t N>
bool OneOf(std::string_view s, const std::array<std::string_view, N>& set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

bool IsHex(std::string_view s, size_t length) {
  return s.size() == length && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool IsUuid(std::string_view s) {
  return s.size() == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-' &&
         IsHex(s.substr(0, 8), 8) && IsHex(s.substr(9, 4), 4) && IsHex(s.substr(14, 4), 4) &&
         IsHex(s.substr(19, 4), 4) && IsHex(s.substr(24), 12);
}

std::string Text(const XMLElement* e) { return e && e->GetText() ? e->GetText() : ""; }
std::string Attr(const XMLElement* e, const char* name) {
  const char* v = e->Attribute(name);
  return v ? v : "";
}

// True if the base64 text (no white space allowed) decodes to a DER X.509 certificate.
bool IsDerCertificateBase64(const std::string& text) {
  if (text.empty() || text.size() % 4 != 0) {
    return false;
  }
  std::string der(text.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(der.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) {
    return false;
  }
  size_t padding = std::count(text.end() - 2, text.end(), '=');
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  long length = n - static_cast<long>(padding);
  X509* x509 = d2i_X509(nullptr, &p, length);
  bool ok = x509 != nullptr && p == reinterpret_cast<const unsigned char*>(der.data()) + length;
  X509_free(x509);
  return ok;
}

struct Step {
  std::string_view local;
  bool required;
  bool repeated = false;  // a list the gateway's model writes without a wrapper element
};

struct Reference {
  Key from;
  Key to;
  std::string what;
  // Whether `to` must be mapped before `from`. A revocation policy's trusted signers need not:
  // the gateway maps policies before the certificates that reference them and resolves the
  // signers of a policy once the whole bundle is in (a certificate may be both).
  bool ordered = true;
};

class Checker {
 public:
  explicit Checker(const BundleCheckOptions& options) : options_(options) {}
  std::vector<std::string> Run(std::string_view xml);

 private:
  void Error(std::string message) { errors_.push_back(std::move(message)); }
  std::string Local(const XMLElement* e) const;
  const XMLElement* Child(const XMLElement* e, std::string_view local) const;
  bool FindPrefix(const XMLElement* root);
  void CheckNames(const XMLElement* e);
  void CheckSequence(const XMLElement* parent, const std::vector<Step>& steps,
                     const std::string& where);
  void CheckIdFormat(const std::string& id, const std::string& type, const std::string& where);
  void CheckProperty(const XMLElement* property);
  void CheckAllProperties(const XMLElement* e);
  void CheckItem(const XMLElement* item);
  void CheckEntity(const Key& key, const XMLElement* entity);
  void CheckTrustedCert(const XMLElement* entity, const std::string& where);
  void CheckTrustProperties(const XMLElement* properties, const std::string& where);
  void CheckProvider(const Key& key, const XMLElement* entity, const std::string& where);
  void CheckUser(const Key& key, const XMLElement* entity, const std::string& where);
  void CheckRevocationPolicy(const Key& key, const XMLElement* entity, const std::string& where);
  void CheckBoolean(const XMLElement* element, const std::string& where);
  void CheckMapping(const XMLElement* mapping);
  void CheckReferences();
  void CheckOneToOne();

  const BundleCheckOptions& options_;
  std::string prefix_;  // "l7:" (whatever prefix the root binds to the namespace)
  std::vector<std::string> errors_;
  std::set<Key> items_;
  std::map<Key, size_t> mapped_at_;
  std::vector<std::string> actions_;
  std::vector<Reference> references_;
};

std::string Checker::Local(const XMLElement* e) const {
  std::string_view name = e->Name();
  if (name.substr(0, prefix_.size()) != prefix_) {
    return "";
  }
  return std::string(name.substr(prefix_.size()));
}

const XMLElement* Checker::Child(const XMLElement* e, std::string_view local) const {
  if (e == nullptr) {
    return nullptr;
  }
  return e->FirstChildElement((prefix_ + std::string(local)).c_str());
}

bool Checker::FindPrefix(const XMLElement* root) {
  for (const tinyxml2::XMLAttribute* a = root->FirstAttribute(); a; a = a->Next()) {
    std::string_view name = a->Name();
    if (a->Value() != kNs) {
      continue;
    }
    if (name == "xmlns") {
      prefix_.clear();
      return true;
    }
    if (name.substr(0, 6) == "xmlns:") {
      prefix_ = std::string(name.substr(6)) + ":";
      return true;
    }
  }
  Error("root element does not declare the namespace " + std::string(kNs));
  return false;
}

// Every element is in the gateway namespace; attributes are unqualified.
void Checker::CheckNames(const XMLElement* e) {
  std::string local = Local(e);
  if (local.empty() || local.find(':') != std::string::npos) {
    Error(std::string("element <") + e->Name() + "> is not in the gateway namespace");
  }
  for (const tinyxml2::XMLAttribute* a = e->FirstAttribute(); a; a = a->Next()) {
    std::string_view name = a->Name();
    if (name.find(':') != std::string_view::npos && name.substr(0, 6) != "xmlns:") {
      Error(std::string("attribute ") + a->Name() + " is qualified");
    }
  }
  for (const XMLElement* c = e->FirstChildElement(); c; c = c->NextSiblingElement()) {
    CheckNames(c);
  }
}

// Children must follow `steps` in order; optional steps may be absent, repeated ones repeat;
// nothing else allowed.
void Checker::CheckSequence(const XMLElement* parent, const std::vector<Step>& steps,
                            const std::string& where) {
  size_t next = 0;
  for (const XMLElement* c = parent->FirstChildElement(); c; c = c->NextSiblingElement()) {
    std::string local = Local(c);
    size_t at = next;
    while (at < steps.size() && steps[at].local != local) {
      ++at;
    }
    if (at == steps.size()) {
      Error(where + ": unexpected or misplaced <" + c->Name() + ">");
      continue;
    }
    for (size_t skipped = next; skipped < at; ++skipped) {
      if (steps[skipped].required) {
        Error(where + ": missing " + std::string(steps[skipped].local));
      }
    }
    next = steps[at].repeated ? at : at + 1;
  }
  for (; next < steps.size(); ++next) {
    if (steps[next].required) {
      Error(where + ": missing " + std::string(steps[next].local));
    }
  }
}

void Checker::CheckIdFormat(const std::string& id, const std::string& type,
                            const std::string& where) {
  bool goid = IsHex(id, 32);
  if (options_.strict) {
    if (!goid) {
      Error(where + ": id " + id + " is not 32 lower-case hex digits");
    }
    // Ids whose high 64 bits are 0..65535 belong to built-in entities.
    if (goid && id.substr(0, 12) == "000000000000") {
      Error(where + ": id " + id + " is reserved");
    }
    return;
  }
  // Real exports: interface tags are named by UUID, private keys by "keystore GOID:alias".
  size_t colon = id.find(':');
  bool key_entry =
      type == "SSG_KEY_ENTRY" && colon == 32 && IsHex(id.substr(0, 32), 32) && id.size() > 33;
  if (!goid && !(type == "INTERFACE_TAG" && IsUuid(id)) && !key_entry) {
    Error(where + ": id " + id + " is not a GOID");
  }
}

void Checker::CheckProperty(const XMLElement* property) {
  std::string where = "property " + Attr(property, "key");
  if (property->Attribute("key") == nullptr) {
    Error("property without a key");
  }
  const XMLElement* value = property->FirstChildElement();
  if (value == nullptr || value->NextSiblingElement() != nullptr) {
    Error(where + ": needs exactly one typed value");
    return;
  }
  if (!OneOf(Local(value), kValueTypes)) {
    Error(where + ": unknown value type " + value->Name());
  }
  if (Local(value) == "BooleanValue" && Text(value) != "true" && Text(value) != "false") {
    Error(where + ": BooleanValue is neither true nor false");
  }
}

void Checker::CheckAllProperties(const XMLElement* e) {
  if (Local(e) == "Property") {
    CheckProperty(e);
  }
  for (const XMLElement* c = e->FirstChildElement(); c; c = c->NextSiblingElement()) {
    CheckAllProperties(c);
  }
}

void Checker::CheckItem(const XMLElement* item) {
  CheckSequence(
      item,
      {{"Name", true}, {"Id", true}, {"Type", true}, {"TimeStamp", false}, {"Resource", true}},
      "item " + Text(Child(item, "Name")));
  Key key{Text(Child(item, "Id")), Text(Child(item, "Type"))};
  std::string where = key.second + " " + key.first;
  CheckIdFormat(key.first, key.second, where);
  if (!items_.insert(key).second) {
    Error(where + ": duplicate (id, type)");
  }
  const XMLElement* resource = Child(item, "Resource");
  const XMLElement* entity = resource ? resource->FirstChildElement() : nullptr;
  if (entity == nullptr || entity->NextSiblingElement() != nullptr) {
    Error(where + ": Resource must hold exactly one entity element");
    return;
  }
  const char* entity_id = entity->Attribute("id");
  // Singletons such as the audit configuration are exported without an id attribute.
  if (entity_id == nullptr && options_.strict) {
    Error(where + ": entity element has no id");
  }
  if (entity_id != nullptr && key.first != entity_id) {
    Error(where + ": entity id " + entity_id + " differs from l7:Id");
  }
  CheckEntity(key, entity);
}

void Checker::CheckEntity(const Key& key, const XMLElement* entity) {
  std::string where = key.second + " " + key.first;
  if (key.second == "TRUSTED_CERT") {
    if (Local(entity) != "TrustedCertificate") {
      Error(where + ": entity is not TrustedCertificate");
    }
    CheckTrustedCert(entity, where);
  } else if (key.second == "ID_PROVIDER_CONFIG") {
    if (Local(entity) != "IdentityProvider") {
      Error(where + ": entity is not IdentityProvider");
    }
    CheckProvider(key, entity, where);
  } else if (key.second == "USER") {
    if (Local(entity) != "User") {
      Error(where + ": entity is not User");
    }
    CheckUser(key, entity, where);
  } else if (key.second == "REVOCATION_CHECK_POLICY") {
    if (Local(entity) != "RevocationCheckingPolicy") {
      Error(where + ": entity is not RevocationCheckingPolicy");
    }
    CheckRevocationPolicy(key, entity, where);
  }
}

void Checker::CheckBoolean(const XMLElement* element, const std::string& where) {
  std::string text = Text(element);
  if (element != nullptr && text != "true" && text != "false") {
    Error(where + ": " + Local(element) + " is not true or false");
  }
}

void Checker::CheckRevocationPolicy(const Key& key, const XMLElement* entity,
                                    const std::string& where) {
  CheckSequence(entity,
                {{"Name", true},
                 {"DefaultPolicy", false},
                 {"ContinueOnServerUnavailable", false},
                 {"DefaultSuccess", false},
                 {"RevocationCheckItems", false, true},
                 {"Properties", false},
                 {"Extension", false}},
                where);
  for (const char* flag : {"DefaultPolicy", "ContinueOnServerUnavailable", "DefaultSuccess"}) {
    CheckBoolean(Child(entity, flag), where);
  }
  for (const XMLElement* item = Child(entity, "RevocationCheckItems"); item;
       item = item->NextSiblingElement(item->Name())) {
    CheckSequence(item,
                  {{"Type", true},
                   {"Url", true},
                   {"AllowIssuerSignature", false},
                   {"TrustedSigners", false, true},
                   {"Extension", false}},
                  where + " RevocationCheckItems");
    if (!OneOf(Text(Child(item, "Type")), kCheckTypes)) {
      Error(where + ": unknown revocation check Type " + Text(Child(item, "Type")));
    }
    CheckBoolean(Child(item, "AllowIssuerSignature"), where);
    for (const XMLElement* s = Child(item, "TrustedSigners"); s;
         s = s->NextSiblingElement(s->Name())) {
      references_.push_back({key, {Text(s), "TRUSTED_CERT"}, "trusted signer", false});
    }
  }
}

void Checker::CheckTrustedCert(const XMLElement* entity, const std::string& where) {
  CheckSequence(
      entity,
      {{"Name", true}, {"CertificateData", true}, {"Properties", true}, {"Extension", false}},
      where);
  const XMLElement* data = Child(entity, "CertificateData");
  if (data != nullptr) {
    CheckSequence(
        data,
        {{"IssuerName", false}, {"SerialNumber", false}, {"SubjectName", false}, {"Encoded", true}},
        where + " CertificateData");
    std::string serial = Text(Child(data, "SerialNumber"));
    if (!std::all_of(serial.begin(), serial.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      Error(where + ": SerialNumber is not decimal");
    }
    if (!IsDerCertificateBase64(Text(Child(data, "Encoded")))) {
      Error(where + ": Encoded is not one-line base64 of a DER certificate");
    }
  }
  if (const XMLElement* properties = Child(entity, "Properties")) {
    CheckTrustProperties(properties, where);
  }
  const XMLElement* policy = Child(Child(entity, "Extension"), "RevocationCheckingPolicyReference");
  if (policy != nullptr) {
    references_.push_back({{Attr(entity, "id"), "TRUSTED_CERT"},
                           {Attr(policy, "id"), "REVOCATION_CHECK_POLICY"},
                           "revocation policy reference"});
  }
}

void Checker::CheckTrustProperties(const XMLElement* properties, const std::string& where) {
  std::set<std::string> seen;
  for (const XMLElement* p = Child(properties, "Property"); p;
       p = p->NextSiblingElement(p->Name())) {
    std::string key = Attr(p, "key");
    const XMLElement* value = p->FirstChildElement();
    bool known = OneOf(key, kTrustKeys);
    if (known && (value == nullptr || Local(value) != "BooleanValue")) {
      Error(where + ": trust flag " + key + " is not a BooleanValue");
    }
    if (!known && options_.strict) {
      Error(where + ": unknown trust property " + key);
    }
    if (!seen.insert(key).second) {
      Error(where + ": property " + key + " given twice");
    }
  }
  if (!options_.strict) {
    return;
  }
  for (std::string_view key : kTrustKeys) {
    if (!seen.count(std::string(key))) {
      Error(where + ": trust flag " + std::string(key) + " missing");
    }
  }
}

void Checker::CheckProvider(const Key& key, const XMLElement* entity, const std::string& where) {
  if (Text(Child(entity, "IdentityProviderType")) != "Federated") {
    return;
  }
  CheckSequence(entity,
                {{"Name", true},
                 {"IdentityProviderType", true},
                 {"Properties", options_.strict},
                 {"Extension", options_.strict}},
                where);
  for (const XMLElement* p = Child(Child(entity, "Properties"), "Property"); p;
       p = p->NextSiblingElement(p->Name())) {
    std::string name = Attr(p, "key");
    std::string type = p->FirstChildElement() ? Local(p->FirstChildElement()) : "";
    if (name.rfind("enableCredentialType.", 0) == 0 && type != "BooleanValue") {
      Error(where + ": " + name + " is not a BooleanValue");
    }
    if (name == "certificateValidation" &&
        (type != "StringValue" || !OneOf(Text(p->FirstChildElement()), kValidations))) {
      Error(where + ": certificateValidation is not one of the three StringValues");
    }
  }
  const XMLElement* refs =
      Child(Child(Child(entity, "Extension"), "FederatedIdentityProviderDetail"),
            "CertificateReferences");
  for (const XMLElement* r = Child(refs, "Reference"); r; r = r->NextSiblingElement(r->Name())) {
    references_.push_back({key, {Attr(r, "id"), "TRUSTED_CERT"}, "certificate reference"});
  }
}

void Checker::CheckUser(const Key& key, const XMLElement* entity, const std::string& where) {
  CheckSequence(entity,
                {{"Login", true},
                 {"FirstName", false},
                 {"LastName", false},
                 {"Email", false},
                 {"SubjectDn", options_.strict},
                 {"Properties", options_.strict},
                 {"Extension", false}},  // the user's own certificate, when attached
                where);
  if (const XMLElement* data = Child(Child(entity, "Extension"), "CertificateData")) {
    if (Child(data, "Encoded") == nullptr)
      Error(where + ": attached certificate without l7:Encoded");
  }
  if (entity->Attribute("providerId") == nullptr) {
    Error(where + ": user without providerId");
  }
  references_.push_back({key, {Attr(entity, "providerId"), "ID_PROVIDER_CONFIG"}, "providerId"});
}

void Checker::CheckMapping(const XMLElement* mapping) {
  Key key{Attr(mapping, "srcId"), Attr(mapping, "type")};
  std::string where = "mapping of " + key.second + " " + key.first;
  if (!OneOf(Attr(mapping, "action"), kActions)) {
    Error(where + ": unknown action");
  }
  if (key.first.empty() || key.second.empty()) {
    Error(where + ": needs srcId and type");
  }
  CheckIdFormat(key.first, key.second, where);
  if (!mapped_at_.emplace(key, actions_.size()).second) {
    Error(where + ": mapped twice");
  }
  actions_.push_back(Attr(mapping, "action"));
  for (const XMLElement* p = Child(Child(mapping, "Properties"), "Property"); p;
       p = p->NextSiblingElement(p->Name())) {
    std::string name = Attr(p, "key");
    std::string type = p->FirstChildElement() ? Local(p->FirstChildElement()) : "";
    bool boolean = name == "FailOnNew" || name == "FailOnExisting";
    bool string = name == "MapBy" || name == "MapTo";
    if ((boolean && type != "BooleanValue") || (string && type != "StringValue")) {
      Error(where + ": " + name + " has the wrong value type");
    }
  }
}

// Mappings run in document order: what an entity references must exist first, and when both
// are deleted, the dependent must go first.
void Checker::CheckReferences() {
  for (const Reference& r : references_) {
    std::string where = r.from.second + " " + r.from.first + ": " + r.what + " " + r.to.first;
    if (!items_.count(r.to)) {
      Error(where + " resolves to no item");
      continue;
    }
    auto from = mapped_at_.find(r.from);
    auto to = mapped_at_.find(r.to);
    if (from == mapped_at_.end()) {
      continue;
    }
    if (to == mapped_at_.end()) {
      Error(where + " is not mapped");
    } else if (!r.ordered) {
      continue;
    } else if (actions_[from->second] != "Delete" && to->second > from->second) {
      Error(where + " is mapped after the entity referencing it");
    } else if (actions_[from->second] == "Delete" && actions_[to->second] == "Delete" &&
               to->second < from->second) {
      Error(where + " is deleted before the entity referencing it");
    }
  }
}

void Checker::CheckOneToOne() {
  for (const Key& key : items_) {
    if (!mapped_at_.count(key)) {
      Error(key.second + " " + key.first + ": item is not mapped");
    }
  }
  for (const auto& [key, index] : mapped_at_) {
    if (!items_.count(key)) {
      Error(key.second + " " + key.first + ": mapping has no item");
    }
  }
}

std::vector<std::string> Checker::Run(std::string_view xml) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS) {
    return {std::string("not well-formed XML: ") + doc.ErrorStr()};
  }
  const XMLElement* root = doc.RootElement();
  if (root == nullptr || !FindPrefix(root)) {
    return errors_;
  }
  if (Local(root) != "Bundle") {
    Error(std::string("root is <") + root->Name() + ">, not Bundle");
  }
  CheckNames(root);
  CheckSequence(root, {{"References", true}, {"Mappings", true}, {"DependencyGraph", false}},
                "Bundle");
  CheckAllProperties(root);
  for (const XMLElement* item = Child(Child(root, "References"), "Item"); item;
       item = item->NextSiblingElement(item->Name())) {
    CheckItem(item);
  }
  for (const XMLElement* m = Child(Child(root, "Mappings"), "Mapping"); m;
       m = m->NextSiblingElement(m->Name())) {
    CheckMapping(m);
  }
  CheckReferences();
  if (options_.strict) {
    CheckOneToOne();
  }
  return errors_;
}

std::string Print(const XMLElement* e) {
  tinyxml2::XMLPrinter printer(nullptr, /*compact=*/true);
  if (e != nullptr) {
    e->Accept(&printer);
  }
  return printer.CStr();
}

// A mapping as text with its action left out, for comparing install and delete.
struct MappingText {
  std::string action;
  std::string rest;
};

std::vector<MappingText> Mappings(const XMLElement* root) {
  std::vector<MappingText> out;
  const XMLElement* mappings = root->FirstChildElement("l7:Mappings");
  for (const XMLElement* m = mappings ? mappings->FirstChildElement("l7:Mapping") : nullptr; m;
       m = m->NextSiblingElement("l7:Mapping")) {
    tinyxml2::XMLDocument scratch;
    XMLElement* copy = m->DeepClone(&scratch)->ToElement();
    copy->DeleteAttribute("action");
    out.push_back({Attr(m, "action"), Print(copy)});
  }
  return out;
}

}  // namespace

std::vector<std::string> CheckDeleteBundle(std::string_view install_xml,
                                           std::string_view delete_xml) {
  tinyxml2::XMLDocument install;
  tinyxml2::XMLDocument remove;
  if (install.Parse(install_xml.data(), install_xml.size()) != tinyxml2::XML_SUCCESS ||
      remove.Parse(delete_xml.data(), delete_xml.size()) != tinyxml2::XML_SUCCESS ||
      !install.RootElement() || !remove.RootElement()) {
    return {"not well-formed XML"};
  }
  std::vector<std::string> errors;
  if (Print(install.RootElement()->FirstChildElement("l7:References")) !=
      Print(remove.RootElement()->FirstChildElement("l7:References"))) {
    errors.emplace_back("the delete bundle's items differ from the install bundle's");
  }
  std::vector<MappingText> in = Mappings(install.RootElement());
  std::vector<MappingText> out = Mappings(remove.RootElement());
  if (in.size() != out.size()) {
    errors.emplace_back("mapping counts differ");
    return errors;
  }
  for (size_t i = 0; i < in.size(); ++i) {
    const MappingText& mirror = in[in.size() - 1 - i];
    if (in[i].action == "Delete") {
      errors.push_back("install mapping " + std::to_string(i) + " deletes");
    }
    if (out[i].action != "Delete") {
      errors.push_back("delete mapping " + std::to_string(i) + " does not delete");
    }
    if (out[i].rest != mirror.rest) {
      errors.push_back("delete mapping " + std::to_string(i) + " is not install mapping " +
                       std::to_string(in.size() - 1 - i));
    }
  }
  return errors;
}

std::vector<std::string> CheckBundle(std::string_view xml, const BundleCheckOptions& options) {
  return Checker(options).Run(xml);
}

}  // namespace trust::test
