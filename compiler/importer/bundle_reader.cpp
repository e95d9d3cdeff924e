#include "compiler/importer/bundle_reader.h"

#include <tinyxml2.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <utility>

#include "base/utf8.h"
#include "compiler/importer/bundle_xml.h"
#include "compiler/importer/gateway_checks.h"
#include "compiler/importer/names.h"
#include "compiler/source/source.h"

namespace trust::importer {
namespace {

using tinyxml2::XMLElement;

struct Item {
  std::string name;
  std::string id;
  std::string type;
  const XMLElement* element = nullptr;   // the l7:Item
  const XMLElement* resource = nullptr;  // the entity element inside l7:Resource
};

struct MappingInfo {
  std::string action;
  bool map_by_name = false;
};

// What one kind of skipped item looked like: how many, and a few distinguishing details.
struct Skipped {
  int count = 0;
  std::set<std::string> details;
};

class BundleReader {
 public:
  BundleReader(const std::string& path, Estate* estate) : xml_(path), estate_(estate) {}

  bool Read(const std::string& bytes, std::string* error) {
    // tinyxml2 does not check the encoding, and every name read here ends up in .trust source,
    // which must be UTF-8 (found by fuzz_bundle).
    if (size_t bad = base::FindInvalidUtf8(bytes); bad != std::string::npos) {
      size_t line = 1 + std::count(bytes.begin(), bytes.begin() + static_cast<long>(bad), '\n');
      *error = xml_.path() + ":" + std::to_string(line) +
               ": invalid UTF-8 byte; a RESTMAN bundle must be UTF-8";
      return false;
    }
    const XMLElement* root = xml_.Parse(bytes, error);
    if (root == nullptr || !CollectItems(root, error)) return false;
    CollectMappings(root);
    CollectSignerIds();
    gateway_.name = GatewayName();
    gateway_.source = std::filesystem::path(xml_.path()).filename().string();
    gateway_.mapping = Mapping(bytes);
    for (const Item& item : items_) {
      if (!Dispatch(item, error)) return false;
    }
    for (const Item& item : items_) {
      if (item.type == "USER" && !Included(item)) continue;
      if (item.type == "USER" && !ReadUser(item, error)) return false;
    }
    ResolveRevocationReferences();
    FinishProviders(&gateway_, [this](const std::string& text) { Note(text); });
    FinishRevocationPolicies(&gateway_, [this](const std::string& text) { Note(text); });
    estate_->gateways.push_back(std::move(gateway_));
    AddSkipNotes();
    return true;
  }

 private:
  bool CollectItems(const XMLElement* root, std::string* error) {
    std::set<std::pair<std::string, std::string>> seen;
    for (const XMLElement* element : Children(Child(root, "References"), "Item")) {
      Item item{Text(Child(element, "Name")), Text(Child(element, "Id")),
                Text(Child(element, "Type")), element, nullptr};
      const XMLElement* resource = Child(element, "Resource");
      item.resource = resource != nullptr ? resource->FirstChildElement() : nullptr;
      if (item.id.empty() || item.type.empty()) {
        return xml_.Fail(element, "an l7:Item without l7:Id or l7:Type", error);
      }
      if (!seen.emplace(item.id, item.type).second) {
        return xml_.Fail(element, "duplicate id " + item.id + " of type " + item.type, error);
      }
      items_.push_back(std::move(item));
    }
    return true;
  }

  // Before any certificate is read: a certificate that only signs for a policy is still trusted.
  void CollectSignerIds() {
    for (const Item& item : items_) {
      if (item.type != "REVOCATION_CHECK_POLICY") continue;
      for (const XMLElement* check : Children(item.resource, "RevocationCheckItems")) {
        for (const XMLElement* signer : Children(check, "TrustedSigners")) {
          signer_ids_.insert(Text(signer));
        }
      }
    }
  }

  void CollectMappings(const XMLElement* root) {
    for (const XMLElement* element : Children(Child(root, "Mappings"), "Mapping")) {
      MappingInfo info{Attribute(element, "action"), false};
      for (const XMLElement* property : Children(Child(element, "Properties"), "Property")) {
        if (Attribute(property, "key") == "MapBy") {
          info.map_by_name = Text(property->FirstChildElement()) == "name";
        }
      }
      mappings_[{Attribute(element, "srcId"), Attribute(element, "type")}] = info;
    }
  }

  // `NAME.install.bundle` (what trustc writes) and `NAME.bundle` both give NAME, kept verbatim
  // when it is an identifier so that a rebuilt bundle derives the same ids.
  std::string GatewayName() const {
    std::string stem = std::filesystem::path(xml_.path()).filename().string();
    for (std::string_view suffix : {".bundle", ".xml", ".install", ".delete"}) {
      if (stem.ends_with(suffix)) stem.resize(stem.size() - suffix.size());
    }
    return IsIdentifier(stem) ? stem : Identifier(stem, "gateway");
  }

  // by_id only for trustc's own bundles written with `mapping by_id` (no MapBy anywhere);
  // anything else is adopted by name, so that the first apply updates what already exists.
  ir::Mapping Mapping(const std::string& bytes) const {
    if (bytes.find("<!-- Generated by trustc") == std::string::npos) return ir::Mapping::kByName;
    bool any = false;
    for (const auto& [key, info] : mappings_) {
      if (!IsTrustType(key.second)) continue;
      if (info.map_by_name) return ir::Mapping::kByName;
      any = true;
    }
    return any ? ir::Mapping::kById : ir::Mapping::kByName;
  }

  static bool IsTrustType(std::string_view type) {
    return type == "TRUSTED_CERT" || type == "ID_PROVIDER_CONFIG" || type == "USER" ||
           type == "REVOCATION_CHECK_POLICY";
  }

  // An item whose mapping deletes or ignores it (a delete bundle) configures nothing.
  bool Included(const Item& item) {
    auto it = mappings_.find({item.id, item.type});
    if (it == mappings_.end() || (it->second.action != "Delete" && it->second.action != "Ignore")) {
      return true;
    }
    Skip(item.type, "mapping action " + it->second.action);
    return false;
  }

  bool Dispatch(const Item& item, std::string* error) {
    if (item.type == "USER") return true;  // after every provider is known
    if (!IsTrustType(item.type)) {
      Skip(item.type, "");
      return true;
    }
    if (!Included(item)) return true;
    if (item.resource == nullptr)
      return xml_.Fail(item.element, "an l7:Item without l7:Resource", error);
    if (item.type == "TRUSTED_CERT") return ReadTrustedCert(item, error);
    if (item.type == "REVOCATION_CHECK_POLICY") return ReadRevocationPolicy(item, error);
    return ReadProvider(item, error);
  }

  bool ReadTrustedCert(const Item& item, std::string* error) {
    std::string name = Text(Child(item.resource, "Name"));
    if (name.empty()) name = item.name;
    const XMLElement* encoded = Child(Child(item.resource, "CertificateData"), "Encoded");
    if (encoded == nullptr) {
      return xml_.Fail(item.element, "trusted certificate `" + name + "` has no l7:Encoded", error);
    }
    auto certificate = DecodeCertificate(Text(encoded), error);
    if (!certificate)
      return xml_.Fail(encoded, "trusted certificate `" + name + "`: " + *error, error);
    ImportedTrust trust;
    trust.cert = estate_->AddCert(certificate, name);
    trust.entity_name = name;
    trust.revocation_signer = signer_ids_.contains(item.id);
    if (!ReadTrustFlags(Child(item.resource, "Properties"), &trust, error)) return false;
    const XMLElement* policy =
        Child(Child(item.resource, "Extension"), "RevocationCheckingPolicyReference");
    if (policy != nullptr) policy_id_by_cert_[trust.cert] = Attribute(policy, "id");
    cert_by_id_[item.id] = trust.cert;
    AddTrust(&gateway_, std::move(trust), [this](const std::string& text) { Note(text); });
    return true;
  }

  bool ReadTrustFlags(const XMLElement* properties, ImportedTrust* trust, std::string* error) {
    for (const XMLElement* property : Children(properties, "Property")) {
      std::string key = Attribute(property, "key");
      std::optional<bool> value = Boolean(Text(property->FirstChildElement()));
      bool* flag = TrustFlag(key, trust);
      if (flag == nullptr) continue;  // the gateway ignores unknown keys too
      if (!value) return xml_.Fail(property, "property `" + key + "` is not a boolean", error);
      *flag = *value;
    }
    return true;
  }

  static bool* TrustFlag(const std::string& key, ImportedTrust* trust) {
    if (key == "revocationCheckingEnabled") return &trust->revocation_checking;
    if (key == "trustAnchor") return &trust->anchor;
    if (key == "verifyHostname") return &trust->verify_hostname;
    for (ir::Purpose purpose : ir::AllPurposes()) {
      if (key == ir::PurposeProperty(purpose))
        return &trust->purposes[static_cast<size_t>(purpose)];
    }
    return nullptr;
  }

  // Booleans absent from the element keep the gateway's default, false.
  bool ReadRevocationPolicy(const Item& item, std::string* error) {
    ImportedRevocationPolicy policy;
    policy.name = Text(Child(item.resource, "Name"));
    if (policy.name.empty()) policy.name = item.name;
    bool* flags[] = {&policy.default_policy, &policy.continue_on_unavailable,
                     &policy.default_success};
    const char* names[] = {"DefaultPolicy", "ContinueOnServerUnavailable", "DefaultSuccess"};
    for (size_t i = 0; i < 3; ++i) {
      if (!ReadBoolean(Child(item.resource, names[i]), flags[i], error)) return false;
    }
    std::vector<std::vector<std::string>>& signer_ids = signer_ids_by_policy_[item.id];
    for (const XMLElement* element : Children(item.resource, "RevocationCheckItems")) {
      ImportedRevocationCheck check;
      std::string type = Text(Child(element, "Type"));
      if (!CheckKind(type, &check)) {
        return xml_.Fail(element,
                         "revocation policy `" + policy.name + "`: unknown check type `" + type +
                             "`; expected `OCSP from certificate URL`, `OCSP from URL`, "
                             "`CRL from certificate URL` or `CRL from URL`",
                         error);
      }
      check.url = Text(Child(element, "Url"));
      if (!ReadBoolean(Child(element, "AllowIssuerSignature"), &check.allow_issuer_signature,
                       error)) {
        return false;
      }
      std::vector<std::string>& ids = signer_ids.emplace_back();
      for (const XMLElement* signer : Children(element, "TrustedSigners")) {
        ids.push_back(Text(signer));
      }
      policy.checks.push_back(std::move(check));
    }
    policy_by_id_[item.id] = gateway_.revocation_policies.size();
    gateway_.revocation_policies.push_back(std::move(policy));
    return true;
  }

  bool ReadBoolean(const XMLElement* element, bool* flag, std::string* error) {
    if (element == nullptr) return true;
    std::optional<bool> value = Boolean(Text(element));
    if (!value) {
      return xml_.Fail(element, "`" + std::string(element->Name()) + "` is not a boolean", error);
    }
    *flag = *value;
    return true;
  }

  static bool CheckKind(const std::string& type, ImportedRevocationCheck* check) {
    check->ocsp = type.starts_with("OCSP ");
    check->from_certificate = type.ends_with(" from certificate URL");
    return type == "OCSP from certificate URL" || type == "OCSP from URL" ||
           type == "CRL from certificate URL" || type == "CRL from URL";
  }

  // Policies and certificates refer to each other by id, in any item order: resolved once
  // both are read.
  void ResolveRevocationReferences() {
    for (auto& [policy_id, checks] : signer_ids_by_policy_) {
      ImportedRevocationPolicy& policy = gateway_.revocation_policies[policy_by_id_[policy_id]];
      for (size_t i = 0; i < checks.size(); ++i) {
        for (const std::string& id : checks[i]) {
          auto cert = cert_by_id_.find(id);
          if (cert != cert_by_id_.end()) {
            policy.checks[i].signers.push_back(cert->second);
          } else {
            Note("revocation policy `" + policy.name + "`: trusted signer " + id +
                 " is not a trusted certificate of this bundle: left out");
          }
        }
      }
    }
    ResolvePolicyReferences(&gateway_, policy_id_by_cert_, policy_by_id_,
                            [this](const std::string& text) { Note(text); });
  }

  bool ReadProvider(const Item& item, std::string* error) {
    std::string type = Text(Child(item.resource, "IdentityProviderType"));
    if (type != "Federated") {
      Skip(item.type, type.empty() ? "no type" : type);
      return true;
    }
    ImportedProvider provider;
    provider.name = Text(Child(item.resource, "Name"));
    if (provider.name.empty()) provider.name = item.name;
    if (!ReadProviderProperties(Child(item.resource, "Properties"), &provider, error)) return false;
    const XMLElement* references =
        Child(Child(Child(item.resource, "Extension"), "FederatedIdentityProviderDetail"),
              "CertificateReferences");
    for (const XMLElement* reference : Children(references, "Reference")) {
      std::string id = Attribute(reference, "id");
      auto cert = cert_by_id_.find(id);
      if (cert == cert_by_id_.end()) {
        return xml_.Fail(reference,
                         "identity provider `" + provider.name + "` references certificate " + id +
                             ", which is not a trusted certificate of this bundle",
                         error);
      }
      provider.certs.push_back(cert->second);
    }
    provider_by_id_[item.id] = gateway_.providers.size();
    gateway_.providers.push_back(std::move(provider));
    return true;
  }

  bool ReadProviderProperties(const XMLElement* properties, ImportedProvider* provider,
                              std::string* error) {
    for (const XMLElement* property : Children(properties, "Property")) {
      std::string key = Attribute(property, "key");
      std::string value = Text(property->FirstChildElement());
      if (key == "enableCredentialType.x509" || key == "enableCredentialType.saml") {
        std::optional<bool> flag = Boolean(value);
        if (!flag) return xml_.Fail(property, "property `" + key + "` is not a boolean", error);
        (key.ends_with("x509") ? provider->x509 : provider->saml) = *flag;
      } else if (key == "certificateValidation") {
        provider->validation = ValidationOf(value, provider->name);
      }
    }
    return true;
  }

  ir::Validation ValidationOf(const std::string& value, const std::string& provider) {
    if (std::optional<ir::Validation> known = ir::ValidationFromRestman(value)) return *known;
    Note("identity provider `" + provider + "`: certificateValidation `" + value +
         "` is unknown: left at the gateway default");
    return ir::Validation::kGatewayDefault;
  }

  bool ReadUser(const Item& item, std::string* error) {
    auto provider = provider_by_id_.find(Attribute(item.resource, "providerId"));
    if (provider == provider_by_id_.end()) {
      Skip("USER", "not of an imported federated provider");
      return true;
    }
    ImportedUser user;
    user.login = Text(Child(item.resource, "Login"));
    user.dn = Text(Child(item.resource, "SubjectDn"));
    user.email = Text(Child(item.resource, "Email"));
    user.first_name = Text(Child(item.resource, "FirstName"));
    user.last_name = Text(Child(item.resource, "LastName"));
    // A login-less user (real exports have them) is known by its `name` property.
    user.name = user.login.empty() ? NameProperty(item.resource) : user.login;
    if (user.name.empty()) user.name = item.name;
    if (user.name.empty()) {
      return xml_.Fail(item.element, "a user with neither l7:Login nor a `name` property", error);
    }
    const ImportedProvider& owner = gateway_.providers[provider->second];
    if (!ReadUserCert(item.resource, owner, &user, error)) return false;
    gateway_.providers[provider->second].users.push_back(std::move(user));
    return true;
  }

  static std::string NameProperty(const XMLElement* user) {
    for (const XMLElement* property : Children(Child(user, "Properties"), "Property")) {
      if (Attribute(property, "key") == "name") return Text(property->FirstChildElement());
    }
    return "";
  }

  // The certificate attached to the user on the gateway, in l7:Extension/l7:CertificateData.
  bool ReadUserCert(const XMLElement* resource, const ImportedProvider& provider,
                    ImportedUser* user, std::string* error) {
    const XMLElement* encoded =
        Child(Child(Child(resource, "Extension"), "CertificateData"), "Encoded");
    if (encoded == nullptr) return true;
    auto certificate = DecodeCertificate(Text(encoded), error);
    if (!certificate) return xml_.Fail(encoded, "user `" + user->name + "`: " + *error, error);
    AttachUserCert(estate_, gateway_, provider, std::move(certificate), user,
                   [this](const std::string& text) { Note(text); });
    return true;
  }

  void Skip(const std::string& kind, const std::string& detail) {
    Skipped& skipped = skipped_[kind];
    ++skipped.count;
    if (!detail.empty()) skipped.details.insert(detail);
  }

  void Note(const std::string& text) { estate_->notes.push_back(xml_.path() + ": " + text); }

  void AddSkipNotes() {
    for (const auto& [kind, skipped] : skipped_) {
      std::string text = "skipped " + std::to_string(skipped.count) + " " + kind + " item" +
                         (skipped.count == 1 ? "" : "s") + " (" + KindDescription(kind);
      for (const std::string& detail : skipped.details) text += "; " + detail;
      Note(text + ")");
    }
  }

  BundleXml xml_;
  Estate* estate_;
  ImportedGateway gateway_;
  std::vector<Item> items_;
  std::map<std::pair<std::string, std::string>, MappingInfo> mappings_;
  std::map<std::string, size_t> cert_by_id_;
  std::map<std::string, size_t> provider_by_id_;
  std::map<std::string, size_t> policy_by_id_;
  std::set<std::string> signer_ids_;  // ids of certificates some policy names as a signer
  std::map<size_t, std::string> policy_id_by_cert_;  // Estate::certs index -> policy id
  // Per policy id, per check: the ids of its trusted signers, until every certificate is read.
  std::map<std::string, std::vector<std::vector<std::string>>> signer_ids_by_policy_;
  std::map<std::string, Skipped> skipped_;
};

}  // namespace

bool ReadBundle(const std::string& path, const std::string& bytes, Estate* estate,
                std::string* error) {
  BundleReader reader(path, estate);
  return reader.Read(bytes, error);
}

}  // namespace trust::importer
