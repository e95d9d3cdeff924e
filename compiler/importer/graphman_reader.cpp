#include "compiler/importer/graphman_reader.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include "base/digest.h"
#include "base/file_read.h"
#include "compiler/importer/bundle_xml.h"
#include "compiler/importer/gateway_checks.h"
#include "compiler/importer/names.h"
#include "compiler/limits.h"
#include "compiler/sema/program.h"

namespace trust::importer {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Deeper nesting than any bundle has: refused before it costs anything.
constexpr int kMaxDepth = 64;

// The bundle keys of the entity kinds read here, and their old names.
const std::map<std::string, std::string>& KindAliases() {
  static const std::map<std::string, std::string> aliases = {
      {"trustedCerts", "trustedCerts"}, {"federatedIdps", "federatedIdps"},
      {"fips", "federatedIdps"},        {"federatedUsers", "federatedUsers"},
      {"fipUsers", "federatedUsers"},   {"revocationCheckPolicies", "revocationCheckPolicies"},
  };
  return aliases;
}

// A failure with its place; caught once, at the top.
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The certificate of a Graphman field holding base64 DER. DecodeCertificate words its errors for
// bundles ("l7:Encoded"); here they name `field` instead. Throws a Failure located at `where`.
std::shared_ptr<const x509::Certificate> DecodeCertificateField(const std::string& where,
                                                                const std::string& base64,
                                                                std::string_view field) {
  std::string error;
  auto certificate = DecodeCertificate(base64, &error);
  if (!certificate) {
    static constexpr std::string_view kBundleField = "l7:Encoded";
    for (size_t at = error.find(kBundleField); at != std::string::npos;
         at = error.find(kBundleField, at + field.size())) {
      error.replace(at, kBundleField.size(), field);
    }
    throw Failure(where + ": " + error);
  }
  return certificate;
}

std::string Sha1Base64(const std::vector<uint8_t>& der) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(der.data(), der.size(), digest);
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < sizeof digest; i += 3) {
    uint32_t n = uint32_t{digest[i]} << 16;
    if (i + 1 < sizeof digest) n |= uint32_t{digest[i + 1]} << 8;
    if (i + 2 < sizeof digest) n |= digest[i + 2];
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < sizeof digest ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back(i + 2 < sizeof digest ? kAlphabet[n & 63] : '=');
  }
  return out;
}

std::string Sha1Hex(const std::vector<uint8_t>& der) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(der.data(), der.size(), digest);
  return base::Hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// One entity of the merged bundle, with where it came from for messages.
struct Entity {
  const json* value = nullptr;
  std::string where;  // "FILE: trustedCerts[2]"
};

class GraphmanReader {
 public:
  GraphmanReader(std::string path, Estate* estate) : path_(std::move(path)), estate_(estate) {}

  // Adds the entities of one parsed document (a whole bundle) found in `file`.
  void AddBundle(const json& bundle, const std::string& file) {
    if (!bundle.is_object()) throw Failure(file + ": a Graphman bundle is a JSON object");
    for (const auto& [key, value] : bundle.items()) {
      if (key == "properties") {
        ReadProperties(value, file);
        continue;
      }
      auto kind = KindAliases().find(key);
      if (!value.is_array()) throw Failure(file + ": `" + key + "` is not a list");
      if (kind == KindAliases().end()) {
        skipped_[key] += value.size();
        continue;
      }
      for (size_t i = 0; i < value.size(); ++i) {
        AddEntity(kind->second, value[i], file + ": " + key + "[" + std::to_string(i) + "]");
      }
    }
  }

  // One entity file of an exploded bundle, in a directory named after its kind.
  void AddEntity(const std::string& kind, const json& value, std::string where) {
    if (!value.is_object()) throw Failure(where + ": not a JSON object");
    entities_[kind].push_back({&value, std::move(where)});
  }

  void Skip(const std::string& kind, size_t count) { skipped_[kind] += count; }

  void Finish(const std::string& gateway_name) {
    gateway_.name = gateway_name;
    gateway_.source = fs::path(path_).filename().string();
    gateway_.mapping = ir::Mapping::kByName;
    if (deleting_) {
      size_t count = 0;
      for (const auto& [kind, list] : entities_) count += list.size();
      Note("the bundle deletes (defaultAction " + default_action_ + "): its " +
           std::to_string(count) + " entities configure nothing and are skipped");
      entities_.clear();
    }
    CollectSigners();
    for (const Entity& e : entities_["trustedCerts"]) ReadTrustedCert(e);
    for (const Entity& e : entities_["federatedIdps"]) ReadProvider(e);
    for (const Entity& e : entities_["federatedUsers"]) ReadUser(e);
    for (const Entity& e : entities_["revocationCheckPolicies"]) ReadRevocationPolicy(e);
    ResolvePolicyReferences(&gateway_, policy_name_by_cert_, policies_,
                            [this](const std::string& text) { Note(text); });
    FinishProviders(&gateway_, [this](const std::string& text) { Note(text); });
    FinishRevocationPolicies(&gateway_, [this](const std::string& text) { Note(text); });
    estate_->gateways.push_back(std::move(gateway_));
    for (const auto& [kind, count] : skipped_) {
      if (count > 0) Note("skipped " + std::to_string(count) + " " + kind + " (not trust)");
    }
  }

 private:
  void ReadProperties(const json& properties, const std::string& file) {
    if (!properties.is_object()) throw Failure(file + ": `properties` is not an object");
    auto default_action = properties.find("defaultAction");
    if (default_action != properties.end()) {
      if (!default_action->is_string()) {
        throw Failure(file + ": properties.defaultAction is not a string");
      }
      default_action_ = default_action->get<std::string>();
      deleting_ = default_action_ == "DELETE" || default_action_ == "IGNORE";
    }
    auto mappings = properties.find("mappings");
    if (mappings == properties.end()) return;
    if (!mappings->is_object()) throw Failure(file + ": properties.mappings is not an object");
    for (const auto& [key, list] : mappings->items()) {
      if (!list.is_array()) throw Failure(file + ": properties.mappings." + key + " is not a list");
      for (const json& mapping : list) {
        if (!mapping.is_object()) continue;
        std::string action = mapping.value("action", "");
        if (action != "DELETE" && action != "IGNORE") continue;
        const json& source = mapping.contains("source") ? mapping["source"] : json::object();
        if (!source.is_object()) continue;
        for (const char* field : {"thumbprintSha1", "name", "login"}) {
          if (source.contains(field) && source[field].is_string()) {
            excluded_.insert(source[field].get<std::string>());
          }
        }
      }
    }
  }

  static const json* Field(const Entity& e, const char* name) {
    auto it = e.value->find(name);
    return it == e.value->end() || it->is_null() ? nullptr : &*it;
  }

  static std::string String(const Entity& e, const char* name, bool required) {
    const json* field = Field(e, name);
    if (field == nullptr) {
      if (required) throw Failure(e.where + ": `" + name + "` is missing");
      return "";
    }
    if (!field->is_string()) throw Failure(e.where + ": `" + name + "` is not a string");
    return field->get<std::string>();
  }

  static std::optional<bool> Bool(const Entity& e, const char* name) {
    const json* field = Field(e, name);
    if (field == nullptr) return std::nullopt;
    if (!field->is_boolean()) throw Failure(e.where + ": `" + name + "` is not a boolean");
    return field->get<bool>();
  }

  static std::string Named(const Entity& e, const std::string& name) {
    return e.where + " (`" + name + "`)";
  }

  bool Excluded(const std::string& key) {
    if (!excluded_.contains(key)) return false;
    ++skipped_["entities mapped DELETE or IGNORE"];
    return true;
  }

  // Before any certificate is read: a certificate that only signs for a policy is still trusted.
  void CollectSigners() {
    for (const Entity& e : entities_["revocationCheckPolicies"]) {
      const json* items = Field(e, "revocationCheckPolicyItems");
      if (items == nullptr || !items->is_array()) continue;  // reported when the policy is read
      for (const json& item : *items) {
        for (const char* key : {"signerThumbprintSha1s", "trustedSignerNames"}) {
          if (!item.is_object() || !item.contains(key) || !item[key].is_array()) continue;
          for (const json& value : item[key]) {
            if (value.is_string()) signers_.insert(value.get<std::string>());
          }
        }
      }
    }
  }

  void ReadTrustedCert(const Entity& e) {
    std::string name = String(e, "name", true);
    std::string base64 = String(e, "certBase64", true);
    auto certificate = DecodeCertificateField(Named(e, name), base64, "certBase64");
    std::string thumbprint = Sha1Base64(certificate->der());
    std::string given = String(e, "thumbprintSha1", false);
    if (!given.empty() && given != thumbprint) {
      throw Failure(Named(e, name) + ": thumbprintSha1 " + given +
                    " is not the SHA-1 of certBase64 (" + thumbprint + ")");
    }
    if (Excluded(thumbprint) || Excluded(name)) return;
    ImportedTrust trust;
    trust.cert = estate_->AddCert(certificate, name);
    trust.entity_name = name;
    trust.revocation_signer = signers_.contains(thumbprint) || signers_.contains(name);
    trust.anchor = Bool(e, "trustAnchor").value_or(false);
    trust.verify_hostname = Bool(e, "verifyHostname").value_or(false);
    ReadPurposes(e, name, &trust);
    ReadRevocation(e, name, &trust);
    by_thumbprint_[thumbprint] = trust.cert;
    by_hex_[Sha1Hex(certificate->der())] = trust.cert;
    by_name_.emplace(name, trust.cert);
    AddTrust(&gateway_, std::move(trust), [this](const std::string& text) { Note(text); });
  }

  void ReadPurposes(const Entity& e, const std::string& name, ImportedTrust* trust) {
    const json* list = Field(e, "trustedFor");
    if (list == nullptr) return;
    if (!list->is_array()) throw Failure(Named(e, name) + ": `trustedFor` is not a list");
    for (const json& value : *list) {
      std::string word = value.is_string() ? value.get<std::string>() : "";
      std::optional<ir::Purpose> purpose = PurposeOf(word);
      if (!purpose) {
        throw Failure(Named(e, name) + ": trustedFor value `" +
                      (value.is_string() ? word : value.dump()) + "` is not a purpose");
      }
      trust->purposes[static_cast<size_t>(*purpose)] = true;
    }
  }

  static std::optional<ir::Purpose> PurposeOf(const std::string& word) {
    if (word == "SSL") return ir::Purpose::kSsl;
    if (word == "SIGNING_SERVER_CERTS") return ir::Purpose::kSigningServerCerts;
    if (word == "SIGNING_CLIENT_CERTS") return ir::Purpose::kSigningClientCerts;
    if (word == "SAML_ISSUER") return ir::Purpose::kSamlIssuer;
    if (word == "SAML_ATTESTING_ENTITY") return ir::Purpose::kSamlAttestingEntity;
    return std::nullopt;
  }

  void ReadRevocation(const Entity& e, const std::string& name, ImportedTrust* trust) {
    std::string type = String(e, "revocationCheckPolicyType", false);
    if (type == "NONE") {
      trust->revocation_checking = false;
    } else if (type == "SPECIFIED") {
      std::string policy = String(e, "revocationCheckPolicyName", false);
      if (policy.empty()) {
        throw Failure(Named(e, name) +
                      ": revocationCheckPolicyType SPECIFIED without "
                      "revocationCheckPolicyName");
      }
      policy_name_by_cert_[trust->cert] = policy;
    } else if (!type.empty() && type != "USE_DEFAULT") {
      throw Failure(Named(e, name) + ": revocationCheckPolicyType `" + type + "` is unknown");
    }
  }

  void ReadRevocationPolicy(const Entity& e) {
    ImportedRevocationPolicy policy;
    policy.name = String(e, "name", true);
    if (Excluded(policy.name)) return;
    policy.default_policy = Bool(e, "defaultPolicy").value_or(false);
    policy.continue_on_unavailable = Bool(e, "continueOnServerUnavailable").value_or(false);
    policy.default_success = Bool(e, "defaultSuccess").value_or(false);
    const json* items = Field(e, "revocationCheckPolicyItems");
    if (items != nullptr && !items->is_array()) {
      throw Failure(Named(e, policy.name) + ": `revocationCheckPolicyItems` is not a list");
    }
    for (size_t i = 0; items != nullptr && i < items->size(); ++i) {
      Entity item{&(*items)[i], Named(e, policy.name) + ": revocationCheckPolicyItems[" +
                                    std::to_string(i) + "]"};
      if (!item.value->is_object()) throw Failure(item.where + ": not a JSON object");
      policy.checks.push_back(ReadRevocationCheck(item));
    }
    if (policies_.contains(policy.name)) {
      throw Failure(Named(e, policy.name) + ": a second revocation policy of that name");
    }
    policies_[policy.name] = gateway_.revocation_policies.size();
    gateway_.revocation_policies.push_back(std::move(policy));
  }

  ImportedRevocationCheck ReadRevocationCheck(const Entity& item) {
    ImportedRevocationCheck check;
    std::string type = String(item, "type", true);
    check.ocsp = type.starts_with("OCSP_");
    check.from_certificate = type.ends_with("_FROM_CERTIFICATE");
    if (type != "OCSP_FROM_CERTIFICATE" && type != "OCSP_FROM_URL" &&
        type != "CRL_FROM_CERTIFICATE" && type != "CRL_FROM_URL") {
      throw Failure(item.where + ": revocation check type `" + type + "` is unknown");
    }
    check.url = String(item, "url", false);
    check.allow_issuer_signature = Bool(item, "allowIssuerSignature").value_or(false);
    for (const char* key : {"signerThumbprintSha1s", "trustedSignerNames"}) {
      const json* list = Field(item, key);
      if (list == nullptr) continue;
      if (!list->is_array()) throw Failure(item.where + ": `" + key + "` is not a list");
      for (const json& value : *list) {
        if (!value.is_string()) throw Failure(item.where + ": `" + key + "` holds a non-string");
        std::string text = value.get<std::string>();
        const auto& index =
            std::string_view(key) == "trustedSignerNames" ? by_name_ : by_thumbprint_;
        auto it = index.find(text);
        if (it == index.end()) {
          throw Failure(item.where + ": trusted signer " + text +
                        " is not a trusted certificate of the bundle");
        }
        if (std::find(check.signers.begin(), check.signers.end(), it->second) ==
            check.signers.end()) {
          check.signers.push_back(it->second);
        }
      }
    }
    return check;
  }

  void ReadProvider(const Entity& e) {
    ImportedProvider provider;
    provider.name = String(e, "name", true);
    if (Excluded(provider.name)) return;
    bool fip = e.value->contains("enableCredentialTypeX509") ||
               e.value->contains("enableCredentialTypeSaml") ||
               e.value->contains("certificateReferences");
    provider.x509 = Bool(e, fip ? "enableCredentialTypeX509" : "supportsX509").value_or(false);
    provider.saml = Bool(e, fip ? "enableCredentialTypeSaml" : "supportsSAML").value_or(false);
    provider.validation = ValidationOf(
        String(e, fip ? "certificateValidation" : "certValidation", false), e, provider.name);
    for (const char* key : {"trustedCerts", "certificateReferences"}) {
      const json* list = Field(e, key);
      if (list == nullptr) continue;
      if (!list->is_array())
        throw Failure(Named(e, provider.name) + ": `" + key + "` is not a list");
      for (size_t i = 0; i < list->size(); ++i) {
        Entity ref{&(*list)[i],
                   Named(e, provider.name) + ": " + key + "[" + std::to_string(i) + "]"};
        if (!ref.value->is_object()) throw Failure(ref.where + ": not a JSON object");
        provider.certs.push_back(Resolve(ref));
      }
    }
    if (const json* names = Field(e, "trustedCertNames")) {
      if (!names->is_array()) {
        throw Failure(Named(e, provider.name) + ": `trustedCertNames` is not a list");
      }
      for (const json& name : *names) {
        if (!name.is_string()) {
          throw Failure(Named(e, provider.name) + ": trustedCertNames holds a non-string");
        }
        auto it = by_name_.find(name.get<std::string>());
        if (it == by_name_.end()) {
          throw Failure(Named(e, provider.name) + ": trusted certificate `" +
                        name.get<std::string>() + "` is not in the bundle");
        }
        provider.certs.push_back(it->second);
      }
    }
    if (providers_.contains(provider.name)) {
      throw Failure(Named(e, provider.name) + ": a second provider of that name");
    }
    providers_[provider.name] = gateway_.providers.size();
    gateway_.providers.push_back(std::move(provider));
  }

  // A certificate reference: thumbprintSha1 (base64), thumbprint (`SHA1:hex`), else name.
  size_t Resolve(const Entity& ref) {
    std::string base64 = String(ref, "thumbprintSha1", false);
    std::string thumbprint = String(ref, "thumbprint", false);
    std::string name = String(ref, "name", false);
    if (!base64.empty()) {
      if (auto it = by_thumbprint_.find(base64); it != by_thumbprint_.end()) return it->second;
      throw Failure(ref.where + ": thumbprintSha1 " + base64 +
                    " is not a trusted certificate of the bundle");
    }
    if (Lower(thumbprint).starts_with("sha1:")) {
      if (auto it = by_hex_.find(Lower(thumbprint.substr(5))); it != by_hex_.end()) {
        return it->second;
      }
      throw Failure(ref.where + ": thumbprint " + thumbprint +
                    " is not a trusted certificate of the bundle");
    }
    if (!name.empty()) {
      if (auto it = by_name_.find(name); it != by_name_.end()) return it->second;
      throw Failure(ref.where + ": trusted certificate `" + name + "` is not in the bundle");
    }
    throw Failure(ref.where +
                  ": a certificate reference with no thumbprintSha1, thumbprint or name");
  }

  ir::Validation ValidationOf(const std::string& value, const Entity& e,
                              const std::string& provider) {
    if (value.empty()) return ir::Validation::kGatewayDefault;
    if (std::optional<ir::Validation> known = ir::ValidationFromGraphman(value)) return *known;
    throw Failure(Named(e, provider) + ": certificate validation `" + value + "` is unknown");
  }

  void ReadUser(const Entity& e) {
    std::string provider_name = String(e, "providerName", true);
    ImportedUser user{String(e, "login", false),
                      String(e, "name", true),
                      String(e, "subjectDn", false),
                      String(e, "email", false),
                      String(e, "firstName", false),
                      String(e, "lastName", false),
                      std::nullopt};
    if (user.login.empty() && user.name.empty()) {
      throw Failure(e.where + ": a user with neither `login` nor `name`");
    }
    if (!user.login.empty()) user.name = user.login;  // the language names a user by its login
    if (Excluded(user.name)) return;
    auto provider = providers_.find(provider_name);
    if (provider == providers_.end()) {
      ++skipped_["users not of an imported federated provider"];
      return;
    }
    std::string base64 = String(e, "certBase64", false);
    if (!base64.empty()) {
      const ImportedProvider& owner = gateway_.providers[provider->second];
      AttachUserCert(estate_, gateway_, owner, Certificate(Named(e, user.name), base64), &user,
                     [this](const std::string& text) { Note(text); });
    }
    gateway_.providers[provider->second].users.push_back(std::move(user));
  }

  // The certificate of `certBase64`, or a Failure that names that field.
  std::shared_ptr<const x509::Certificate> Certificate(const std::string& where,
                                                       const std::string& base64) {
    return DecodeCertificateField(where, base64, "certBase64");
  }

  void Note(const std::string& text) { estate_->notes.push_back(path_ + ": " + text); }

  std::string path_;
  Estate* estate_;
  ImportedGateway gateway_;
  std::map<std::string, std::vector<Entity>> entities_;
  std::map<std::string, size_t> skipped_;
  std::map<std::string, size_t> by_thumbprint_, by_hex_, by_name_, providers_, policies_;
  std::map<size_t, std::string> policy_name_by_cert_;  // Estate::certs index -> policy name
  std::set<std::string> signers_;  // thumbprints and names that some policy names as a signer
  std::set<std::string> excluded_;
  std::string default_action_;
  bool deleting_ = false;
};

// Parses JSON, refusing nesting deeper than kMaxDepth; a syntax error names line and column.
json Parse(const std::string& path, const std::string& bytes) {
  auto depth_guard = [&path](int depth, json::parse_event_t, json&) {
    if (depth > kMaxDepth) {
      throw Failure(path + ": nested deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    return true;
  };
  try {
    return json::parse(bytes, depth_guard);
  } catch (const json::parse_error& e) {
    // "[json.exception.parse_error.101] parse error at line 3, column 5: ..." → from "line".
    // nlohmann ends with "; last read: '...'": the raw input, which may not even be UTF-8.
    std::string what = e.what();
    if (size_t last = what.find("; last read:"); last != std::string::npos) what.resize(last);
    size_t at = what.find("line ");
    throw Failure(path + ": not valid JSON: " + (at == std::string::npos ? what : what.substr(at)));
  } catch (const json::exception& e) {
    // Anything else the parser refuses, e.g. a number too large for a double (out_of_range):
    // "[json.exception.out_of_range.406] number overflow parsing '1e999'" → from "number".
    std::string what = e.what();
    size_t at = what.find("] ");
    throw Failure(path +
                  ": not valid JSON: " + (at == std::string::npos ? what : what.substr(at + 2)));
  }
}

std::string Stem(const fs::path& path) {
  std::string stem = path.filename().string();
  for (std::string_view suffix : {".json", ".delete", ".graphman", ".install", ".bundle"}) {
    if (stem.ends_with(suffix)) stem.resize(stem.size() - suffix.size());
  }
  return IsIdentifier(stem) ? stem : Identifier(stem, "gateway");
}

}  // namespace

bool LooksLikeGraphman(const std::string& bytes) {
  size_t at = bytes.find_first_not_of(" \t\r\n");
  if (bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) at = bytes.find_first_not_of(" \t\r\n", 3);
  return at != std::string::npos && bytes[at] == '{';
}

bool ReadGraphman(const std::string& path, const std::string& bytes, Estate* estate,
                  std::string* error) {
  try {
    std::string text = bytes.starts_with("\xEF\xBB\xBF") ? bytes.substr(3) : bytes;
    json bundle = Parse(path, text);
    GraphmanReader reader(path, estate);
    reader.AddBundle(bundle, path);
    reader.Finish(Stem(path));
    return true;
  } catch (const Failure& failure) {
    *error = failure.what();
    return false;
  }
}

bool ReadGraphmanDirectory(const std::string& path, Estate* estate, std::string* error) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".json") files.push_back(it->path());
  }
  if (ec) {
    *error = path + ": cannot list the directory: " + ec.message();
    return false;
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    *error = path + ": no .json file: not an exploded Graphman bundle";
    return false;
  }
  std::vector<json> documents;  // kept alive: entities point into them
  documents.reserve(files.size());
  try {
    GraphmanReader reader(path, estate);
    for (const fs::path& file : files) {
      // The bounded reader: bounded, never blocking on a FIFO, regular files only.
      std::string why;
      std::optional<std::string> read = base::ReadRegularFile(file, limits::kMaxBundleBytes, &why);
      if (!read) {
        *error = file.string() + ": cannot read the file: " + why;
        return false;
      }
      std::string bytes = std::move(*read);
      if (bytes.starts_with("\xEF\xBB\xBF")) bytes.erase(0, 3);
      documents.push_back(Parse(file.string(), bytes));
      const json& document = documents.back();
      // An entity file sits in a directory named after its kind, somewhere below `path`.
      std::string kind;
      for (const fs::path& part : file.lexically_relative(path).parent_path()) {
        if (KindAliases().contains(part.string())) kind = part.string();
      }
      if (file.filename() == "bundle-properties.json") {
        reader.AddBundle(json{{"properties", document}}, file.string());
      } else if (!kind.empty()) {
        reader.AddEntity(KindAliases().at(kind), document, file.string());
      } else if (document.is_object() && std::any_of(document.items().begin(),
                                                     document.items().end(), [](const auto& item) {
                                                       return item.value().is_array() ||
                                                              item.key() == "properties";
                                                     })) {
        reader.AddBundle(document, file.string());
      } else {
        std::string parent = file.parent_path().filename().string();
        reader.Skip(parent.empty() ? "other files" : parent, 1);
      }
    }
    reader.Finish(Stem(fs::path(path).lexically_normal().filename().empty()
                           ? fs::path(path).lexically_normal().parent_path()
                           : fs::path(path).lexically_normal()));
    return true;
  } catch (const Failure& failure) {
    *error = failure.what();
    return false;
  }
}

}  // namespace trust::importer
