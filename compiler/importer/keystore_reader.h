// Reading keystores given with `--keystore PATH:FORMAT[:ENVVAR]` through the runtime's readers:
// trusted entries become keystore entries of the estate; key entries are skipped with a note.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/importer/estate.h"

namespace trust::importer {

inline constexpr std::string_view kDefaultPasswordEnv = "TRUSTC_KEYSTORE_PASSWORD";

struct KeystoreInput {
  std::string path;
  ir::KeystoreFormat format = ir::KeystoreFormat::kJks;
  std::string password_env = std::string(kDefaultPasswordEnv);
};

// "PATH:FORMAT[:ENVVAR]" (FORMAT jks, pkcs12 or pem). On failure sets *error.
std::optional<KeystoreInput> ParseKeystoreSpec(std::string_view spec, std::string* error);

// Reads the keystore into a new ImportedKeystore of `estate`. The password comes from the
// environment variable, never from the command line. On failure returns false, sets *error.
bool ReadKeystore(const KeystoreInput& input, Estate* estate, std::string* error);

}  // namespace trust::importer
