// The reader trust-apply uses. Strict on purpose: a manifest is reviewed and signed, so
// anything the schema does not say (an unknown key, a duplicate key, a wrong type) is more
// likely a mistake or tampering than an extension, and is rejected with its JSON path.
#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "base/ascii.h"
#include "runtime/keystore/alias.h"
#include "runtime/manifest/manifest.h"
#include "runtime/manifest/validate.h"

namespace trust::manifest {
namespace {

using Json = nlohmann::json;

// Thrown by the parser callback to stop at the first duplicate key; caught in ParseJson.
struct DuplicateKey {
  std::string key;
};

std::optional<Json> ParseJson(std::string_view text, std::string* error) {
  std::vector<std::set<std::string>> seen;  // keys of each open object
  auto callback = [&seen](int /*depth*/, Json::parse_event_t event, Json& parsed) {
    if (event == Json::parse_event_t::object_start) {
      seen.emplace_back();
    } else if (event == Json::parse_event_t::object_end && !seen.empty()) {
      seen.pop_back();
    } else if (event == Json::parse_event_t::key && !seen.empty()) {
      std::string key = parsed.get<std::string>();
      if (!seen.back().insert(key).second) {
        throw DuplicateKey{key};
      }
    }
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), callback);
  } catch (const DuplicateKey& dup) {
    *error = "`" + dup.key + "`: duplicate key";
  } catch (const Json::exception& e) {
    *error = std::string("invalid JSON: ") + e.what();
  }
  return std::nullopt;
}

bool Fail(std::string* error, const std::string& path, const std::string& message) {
  *error = (path.empty() ? std::string("(root)") : path) + ": " + message;
  return false;
}

// Walks one JSON object, remembering the path for messages.
class ObjectReader {
 public:
  ObjectReader(const Json& object, std::string path, std::string* error)
      : object_(object), path_(std::move(path)), error_(error) {}

  std::string KeyPath(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

  bool Fail(const std::string& path, const std::string& message) {
    return trust::manifest::Fail(error_, path, message);
  }

  // Unknown keys first (they explain missing ones: a typo), then missing keys.
  bool CheckKeys(const std::vector<std::string_view>& required,
                 const std::vector<std::string_view>& optional) {
    for (const auto& [key, value] : object_.items()) {
      bool known = std::find(required.begin(), required.end(), key) != required.end() ||
                   std::find(optional.begin(), optional.end(), key) != optional.end();
      if (!known) {
        return Fail(KeyPath(key), "unknown key");
      }
    }
    for (std::string_view key : required) {
      if (!object_.contains(key)) {
        return Fail(path_, "missing key `" + std::string(key) + "`");
      }
    }
    return true;
  }

  bool Has(std::string_view key) const { return object_.contains(key); }
  const Json& At(std::string_view key) const { return object_.at(key); }

  bool String(std::string_view key, std::string* out) {
    const Json& value = object_.at(key);
    if (!value.is_string()) {
      return Fail(KeyPath(key), TypeMessage("a string", value));
    }
    *out = value.get<std::string>();
    return true;
  }

  bool NonEmptyString(std::string_view key, std::string* out) {
    if (!String(key, out)) {
      return false;
    }
    return !out->empty() || Fail(KeyPath(key), "expected a non-empty string");
  }

  // A path or endpoint: non-empty and free of control characters (a NUL would cut the path
  // short where the kernel reads it, an escape sequence would reach a terminal).
  bool LocationString(std::string_view key, std::string* out) {
    std::string message;
    if (!NonEmptyString(key, out)) {
      return false;
    }
    return CheckNoControl(*out, &message) || Fail(KeyPath(key), message);
  }

  bool Bool(std::string_view key, bool* out) {
    const Json& value = object_.at(key);
    if (!value.is_boolean()) {
      return Fail(KeyPath(key), TypeMessage("a boolean", value));
    }
    *out = value.get<bool>();
    return true;
  }

  static std::string TypeMessage(std::string_view expected, const Json& found) {
    return "expected " + std::string(expected) + ", found " + found.type_name();
  }

 private:
  const Json& object_;
  std::string path_;
  std::string* error_;
};

bool ReadPassword(const Json& value, std::string* error, Password* out) {
  if (!value.is_object()) {
    return Fail(error, "password", ObjectReader::TypeMessage("an object", value));
  }
  if (value.size() != 1) {
    return Fail(error, "password", "expected exactly one of `env`, `file`, `none`");
  }
  ObjectReader reader(value, "password", error);
  if (!reader.CheckKeys({}, {"env", "file", "none"})) {
    return false;
  }
  if (reader.Has("env")) {
    PasswordEnv env;
    if (!reader.NonEmptyString("env", &env.name)) {
      return false;
    }
    if (!IsEnvName(env.name)) {
      return reader.Fail("password.env", "expected an environment variable name");
    }
    *out = env;
    return true;
  }
  if (reader.Has("file")) {
    PasswordFile file;
    if (!reader.LocationString("file", &file.path)) {
      return false;
    }
    *out = file;
    return true;
  }
  bool none = false;
  if (!reader.Bool("none", &none)) {
    return false;
  }
  if (!none) {
    return reader.Fail("password.none", "expected true");
  }
  *out = PasswordNone{};
  return true;
}

bool ReadEntryFields(ObjectReader& reader, Entry* entry) {
  if (!reader.NonEmptyString("alias", &entry->alias) ||
      !reader.NonEmptyString("cert", &entry->cert) || !reader.String("sha256", &entry->sha256) ||
      !reader.String("subject", &entry->subject) || !reader.String("notAfter", &entry->not_after) ||
      !reader.Bool("replace", &entry->replace)) {
    return false;
  }
  if (reader.Has("requireEndpoint")) {
    std::string endpoint;
    if (!reader.LocationString("requireEndpoint", &endpoint)) {
      return false;
    }
    entry->require_endpoint = endpoint;
  }
  return true;
}

bool ReadEntry(const Json& value, const std::string& path, std::string* error, Entry* entry) {
  ObjectReader reader(value, path, error);
  if (!value.is_object()) {
    return reader.Fail(path, ObjectReader::TypeMessage("an object", value));
  }
  if (!reader.CheckKeys({"alias", "cert", "sha256", "subject", "notAfter", "replace"},
                        {"requireEndpoint"}) ||
      !ReadEntryFields(reader, entry)) {
    return false;
  }
  std::string message;
  if (!keystore::CheckAlias(entry->alias, /*new_entry=*/true, &message)) {
    return reader.Fail(reader.KeyPath("alias"), message);
  }
  if (entry->cert.front() == '/') {
    return reader.Fail(reader.KeyPath("cert"), "expected a path relative to the manifest");
  }
  if (!CheckSha256(entry->sha256, &message)) {
    return reader.Fail(reader.KeyPath("sha256"), message);
  }
  if (!IsUtcTimestamp(entry->not_after)) {
    return reader.Fail(reader.KeyPath("notAfter"), "expected a time like 2031-03-01T12:00:00Z");
  }
  return true;
}

bool ReadEntries(const Json& value, std::string* error, std::vector<Entry>* entries) {
  if (!value.is_array()) {
    return Fail(error, "entries", ObjectReader::TypeMessage("an array", value));
  }
  if (value.size() > kMaxEntries) {
    return Fail(error, "entries", "more than " + std::to_string(kMaxEntries) + " entries");
  }
  for (size_t i = 0; i < value.size(); ++i) {
    Entry entry;
    if (!ReadEntry(value[i], "entries[" + std::to_string(i) + "]", error, &entry)) {
      return false;
    }
    entries->push_back(std::move(entry));
  }
  return true;
}

bool ReadRemove(const Json& value, std::string* error, std::vector<std::string>* remove) {
  if (!value.is_array()) {
    return Fail(error, "remove", ObjectReader::TypeMessage("an array", value));
  }
  if (value.size() > kMaxEntries) {
    return Fail(error, "remove", "more than " + std::to_string(kMaxEntries) + " aliases");
  }
  for (size_t i = 0; i < value.size(); ++i) {
    std::string path = "remove[" + std::to_string(i) + "]";
    if (!value[i].is_string()) {
      return Fail(error, path, ObjectReader::TypeMessage("a string", value[i]));
    }
    std::string message;
    if (!keystore::CheckAlias(value[i].get<std::string>(), /*new_entry=*/false, &message)) {
      return Fail(error, path, message);
    }
    remove->push_back(value[i].get<std::string>());
  }
  return true;
}

// Two entries under one alias (or an alias both added and removed) has no meaning: reject.
bool CheckUniqueAliases(const Manifest& manifest, std::string* error) {
  std::map<std::string, std::string> seen;  // lower-case alias -> path of first use
  auto check = [&](const std::string& alias, const std::string& path) {
    auto [it, inserted] = seen.emplace(base::AsciiLower(alias), path);
    if (!inserted) {
      *error = path + ": duplicate alias `" + alias + "` (also " + it->second + ")";
    }
    return inserted;
  };
  for (size_t i = 0; i < manifest.entries.size(); ++i) {
    if (!check(manifest.entries[i].alias, "entries[" + std::to_string(i) + "].alias")) {
      return false;
    }
  }
  for (size_t i = 0; i < manifest.remove.size(); ++i) {
    if (!check(manifest.remove[i], "remove[" + std::to_string(i) + "]")) {
      return false;
    }
  }
  return true;
}

bool CheckSchema(ObjectReader& reader, Manifest* manifest) {
  if (!reader.Has("schema")) {
    return reader.Fail("", "missing key `schema`");
  }
  if (!reader.String("schema", &manifest->schema)) {
    return false;
  }
  if (manifest->schema != kSchemaV1) {
    return reader.Fail("schema", "unsupported schema `" + manifest->schema + "`, expected `" +
                                     std::string(kSchemaV1) + "`");
  }
  return true;
}

bool ReadTop(ObjectReader& reader, std::string* error, Manifest* manifest) {
  std::string format;
  if (!reader.String("generator", &manifest->generator) ||
      !reader.String("source", &manifest->source) ||
      !reader.NonEmptyString("keystore", &manifest->keystore) ||
      (reader.Has("host") && !reader.String("host", &manifest->host)) ||
      !reader.String("format", &format) || !reader.LocationString("path", &manifest->path)) {
    return false;
  }
  std::optional<Format> parsed = keystore::ParseWritableFormat(format);
  if (!parsed) {
    return reader.Fail("format", "expected one of jks, pkcs12, pem, found `" + format + "`");
  }
  manifest->format = *parsed;
  return ReadPassword(reader.At("password"), error, &manifest->password) &&
         reader.Bool("create", &manifest->create) &&
         ReadEntries(reader.At("entries"), error, &manifest->entries) &&
         ReadRemove(reader.At("remove"), error, &manifest->remove) &&
         CheckUniqueAliases(*manifest, error);
}

}  // namespace

std::optional<Manifest> ReadManifest(std::string_view json, std::string* error) {
  if (json.size() > kMaxManifestBytes) {
    *error = "manifest is larger than " + std::to_string(kMaxManifestBytes >> 20) + " MiB";
    return std::nullopt;
  }
  std::optional<Json> root = ParseJson(json, error);
  if (!root) {
    return std::nullopt;
  }
  ObjectReader reader(*root, "", error);
  if (!root->is_object()) {
    reader.Fail("", ObjectReader::TypeMessage("an object", *root));
    return std::nullopt;
  }
  Manifest manifest;
  if (!CheckSchema(reader, &manifest) ||
      !reader.CheckKeys({"schema", "generator", "source", "keystore", "format", "path", "password",
                         "create", "entries", "remove"},
                        {"host"}) ||
      !ReadTop(reader, error, &manifest)) {
    return std::nullopt;
  }
  return manifest;
}

}  // namespace trust::manifest
