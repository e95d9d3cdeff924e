// The keystore manifest, version 1: the compiler's instruction to the runtime ("this keystore
// must contain these certificates under these aliases"). This header is the single source of
// truth for the schema: the compiler writes with WriteManifest, trust-apply reads with
// ReadManifest, so both sides always agree on every key.
//
// Invariants ReadManifest establishes on success:
//   - schema is kSchemaV1, every required key was present with the right JSON type, no
//     unknown key, no duplicate key;
//   - every sha256 is 64 lower-case hex digits, every notAfter is "YYYY-MM-DDTHH:MM:SSZ";
//   - aliases are non-empty printable ASCII, unique (case-insensitively) across entries and
//     remove, and no entry alias starts with "debian:";
//   - cert paths are relative and non-empty;
//   - at most kMaxEntries entries and kMaxEntries remove aliases.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/byte_sink.h"
#include "runtime/keystore/format.h"

namespace trust::manifest {

inline constexpr std::string_view kSchemaV1 = "trustc.keystore-manifest/1";
inline constexpr size_t kMaxManifestBytes = 16u << 20;  // 16 MiB
inline constexpr size_t kMaxEntries = 100000;

using Format = keystore::StoreFormat;  // jks, pkcs12 or pem: never the read-only jceks

// Passwords never appear in a manifest: only where to find them.
struct PasswordEnv {
  std::string name;  // {"env": "VAR"}
  bool operator==(const PasswordEnv&) const = default;
};
struct PasswordFile {
  std::string path;  // {"file": "PATH"}: the first line, without its line break
  bool operator==(const PasswordFile&) const = default;
};
struct PasswordNone {  // {"none": true}
  bool operator==(const PasswordNone&) const = default;
};
using Password = std::variant<PasswordNone, PasswordEnv, PasswordFile>;

struct Entry {
  std::string alias;
  std::string cert;       // relative to the manifest's own directory
  std::string sha256;     // lower-case hex of the DER bytes
  std::string subject;    // informational (RFC 4514)
  std::string not_after;  // informational, "2031-03-01T12:00:00Z"
  bool replace = false;
  std::optional<std::string> require_endpoint;  // "host:port", may hold ${env:NAME}
  bool operator==(const Entry&) const = default;
};

struct Manifest {
  std::string schema{kSchemaV1};
  std::string generator;
  std::string source;
  std::string keystore;
  std::string host;  // optional: omitted from the JSON when empty
  Format format = Format::kJks;
  std::string path;  // may hold ${env:NAME}
  Password password;
  bool create = false;
  std::vector<Entry> entries;
  std::vector<std::string> remove;
  bool operator==(const Manifest&) const = default;
};

// Canonical JSON: keys in docs/manifest.md order, 2-space indent, trailing newline. `host` is
// omitted when empty, `requireEndpoint` when absent. Deterministic: same Manifest, same bytes.
// Written into `out` entry by entry (a build streams it to its file), or returned whole.
void WriteManifest(const Manifest& manifest, base::ByteSink& out);
std::string WriteManifest(const Manifest& manifest);

// Parses and validates. On failure returns nullopt and sets *error to a message that starts
// with the JSON path of the offending value, e.g. "entries[2].sha256: expected 64 hex digits".
std::optional<Manifest> ReadManifest(std::string_view json, std::string* error);

// Expands ${env:NAME} placeholders. An unset variable or a malformed placeholder is an error
// that names it (never its value). Other text, including a lone '$', is kept as is. Values
// may not hold control characters, and `password_variable` (the variable a manifest's
// password comes from) may not be used at all: an error message that shows an expanded path
// or endpoint must never show a password.
std::optional<std::string> ExpandEnv(std::string_view text, std::string* error,
                                     std::string_view password_variable = {});

}  // namespace trust::manifest
