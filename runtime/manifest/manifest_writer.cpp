// The writer the compiler uses. nlohmann::ordered_json keeps insertion order, which is how the
// keys come out in the order of docs/manifest.md.
#include <nlohmann/json.hpp>

#include "runtime/manifest/json_stream.h"
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

// Streamed entry by entry (JsonObjectStream): a keystore of 25,000 certificates is never a
// JSON tree in memory.
void WriteManifest(const Manifest& manifest, base::ByteSink& out) {
  JsonObjectStream<OrderedJson> json(out);
  json.Member("schema", manifest.schema);
  json.Member("generator", manifest.generator);
  json.Member("source", manifest.source);
  json.Member("keystore", manifest.keystore);
  if (!manifest.host.empty()) {
    json.Member("host", manifest.host);
  }
  json.Member("format", std::string(keystore::StoreFormatName(manifest.format)));
  json.Member("path", manifest.path);
  json.Member("password", std::visit(PasswordToJson{}, manifest.password));
  json.Member("create", manifest.create);
  json.BeginArray("entries");
  for (const Entry& entry : manifest.entries) {
    json.Element(EntryToJson(entry));
  }
  json.EndArray();
  json.BeginArray("remove");
  for (const std::string& alias : manifest.remove) {
    json.Element(alias);
  }
  json.EndArray();
  json.Finish();
}

std::string WriteManifest(const Manifest& manifest) {
  return base::WriteToString([&](base::ByteSink& out) { WriteManifest(manifest, out); });
}

}  // namespace trust::manifest
