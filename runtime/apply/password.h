// Keystore passwords come only from where the manifest says: an environment variable or the
// first line of a file. Never from argv, never printed.
#pragma once

#include <optional>
#include <string>

#include "runtime/keystore/secret.h"
#include "runtime/manifest/manifest.h"

namespace trust::apply {

// On success *out holds the password, or nothing for {"none": true}. Placeholders in a
// password file's path are expanded. An empty password is refused. Once a password is to be
// read, the process is made non-dumpable (PR_SET_DUMPABLE 0) for the rest of its life.
bool LoadPassword(const manifest::Password& password, std::optional<keystore::Secret>* out,
                  std::string* error);

// The first line of `bytes`, without "\n" or "\r\n".
keystore::Secret FirstLine(std::string_view bytes);

}  // namespace trust::apply
