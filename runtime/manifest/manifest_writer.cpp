// The writer the compiler uses. nlohmann::ordered_json keeps insertion order, which is how the
// keys come out in the order of docs/manifest.md.
#include <nlohmann/json.hpp>

#include "runtime/manifest/manifest.h"

namespace trust::manifest {
namespace {

using OrderedJson = nlohmann::ordered_json;

struct PasswordToJson {
  OrderedJson operator()(const PasswordNone&) const { return {{"none", true}}; }
  OrderedJson operator()(const PasswordEnv& p) const { return {{"env", p.name}}; }
  OrderedJson operator()(const PasswordFile& p) const { return {{"file", p.path}}; }
};

OrderedJson EntryToJson(const Entry& entry) {
  OrderedJson json = OrderedJson::object();
  json["alias"] = entry.alias;
  json["cert"] = entry.cert;
  json["sha256"] = entry.sha256;
  json["subject"] = entry.subject;
  json["notAfter"] = entry.not_after;
  json["replace"] = entry.replace;
  if (entry.require_endpoint) {
    json["requireEndpoint"] = *entry.require_endpoint;
  }
  return json;
}

}  // namespace

std::string WriteManifest(const Manifest& manifest) {
  OrderedJson json = OrderedJson::object();
  json["schema"] = manifest.schema;
  json["generator"] = manifest.generator;
  json["source"] = manifest.source;
  json["keystore"] = manifest.keystore;
  if (!manifest.host.empty()) {
    json["host"] = manifest.host;
  }
  json["format"] = std::string(keystore::StoreFormatName(manifest.format));
  json["path"] = manifest.path;
  json["password"] = std::visit(PasswordToJson{}, manifest.password);
  json["create"] = manifest.create;
  json["entries"] = OrderedJson::array();
  for (const Entry& entry : manifest.entries) {
    json["entries"].push_back(EntryToJson(entry));
  }
  json["remove"] = OrderedJson::array();
  for (const std::string& alias : manifest.remove) {
    json["remove"].push_back(alias);
  }
  // replace: invalid UTF-8 must never make the writer throw; ensure_ascii off keeps UTF-8.
  return json.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
}

}  // namespace trust::manifest
