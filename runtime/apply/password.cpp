#include "runtime/apply/password.h"

#include <openssl/crypto.h>
#include <sys/prctl.h>

#include <cstdlib>
#include <variant>

#include "runtime/apply/safe_write.h"

namespace trust::apply {
namespace {

constexpr size_t kMaxPasswordFileBytes = 64 * 1024;

}  // namespace

keystore::Secret FirstLine(std::string_view bytes) {
  std::string_view line = bytes.substr(0, bytes.find('\n'));
  if (line.ends_with('\r')) {
    line.remove_suffix(1);
  }
  return keystore::Secret(line);
}

bool LoadPassword(const manifest::Password& password, std::optional<keystore::Secret>* out,
                  std::string* error) {
  out->reset();
  if (std::holds_alternative<manifest::PasswordNone>(password)) {
    return true;
  }
  // From here on a password may be in memory: no core dump, no ptrace by other processes of
  // this user. It stays so until exit (the password's copies live as long as the run).
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (const auto* env = std::get_if<manifest::PasswordEnv>(&password)) {
    const char* value = std::getenv(env->name.c_str());
    if (value == nullptr) {
      *error = "password variable `" + env->name + "` is not set";
      return false;
    }
    if (*value == '\0') {
      // An empty password would write a store its users cannot open with theirs.
      *error = "password variable `" + env->name +
               "` is empty (a store without a password says `password: none`)";
      return false;
    }
    out->emplace(value);
    return true;
  }
  const auto& file = std::get<manifest::PasswordFile>(password);
  std::optional<std::string> path = manifest::ExpandEnv(file.path, error);
  if (!path) {
    *error = "password.file: " + *error;
    return false;
  }
  std::optional<std::string> bytes = ReadWholeFile(*path, kMaxPasswordFileBytes, error);
  if (!bytes) {
    *error = "password file: " + *error;
    return false;
  }
  out->emplace(FirstLine(*bytes));
  OPENSSL_cleanse(bytes->data(), bytes->size());
  if ((*out)->size() == 0) {
    out->reset();
    *error = "password file " + *path +
             ": the first line is empty (a store without a password says `password: none`)";
    return false;
  }
  return true;
}

}  // namespace trust::apply
