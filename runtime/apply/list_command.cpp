// list: the entries of one keystore, as Java would see them. Without a password a jks store
// is listed without its integrity check (as keytool does, with a warning) and a pkcs12 store
// shows only its unencrypted containers.
#include <algorithm>

#include "runtime/apply/commands.h"
#include "runtime/apply/password.h"
#include "runtime/apply/plan_output.h"
#include "runtime/apply/run_support.h"
#include "runtime/apply/safe_write.h"
#include "runtime/keystore/keystore.h"

namespace trust::apply {
namespace {

std::optional<keystore::StoreFormat> ParseStoreFormat(const std::string& name) {
  for (auto format :
       {keystore::StoreFormat::kJks, keystore::StoreFormat::kPkcs12, keystore::StoreFormat::kPem}) {
    if (keystore::StoreFormatName(format) == name) {
      return format;
    }
  }
  return std::nullopt;
}

bool LoadListPassword(const ListOptions& options, std::optional<keystore::Secret>* out,
                      std::string* error) {
  manifest::Password password = manifest::PasswordNone{};
  if (options.password_env) {
    password = manifest::PasswordEnv{*options.password_env};
  } else if (options.password_file) {
    password = manifest::PasswordFile{*options.password_file};
  }
  return LoadPassword(password, out, error);
}

void PrintEntries(const std::vector<keystore::EntryInfo>& entries, std::ostream& out) {
  size_t alias_width = 5;
  for (const auto& e : entries) {
    alias_width = std::max(alias_width, Printable(e.alias).size());
  }
  for (const auto& e : entries) {
    std::string kind(keystore::EntryKindName(e.kind));
    std::string alias = Printable(e.alias);
    out << alias << std::string(alias_width - alias.size() + 2, ' ') << kind
        << std::string(13 - kind.size(), ' ') << (e.sha256.empty() ? "-" : e.sha256) << "  "
        << (e.not_after.empty() ? "-" : e.not_after) << "  " << Printable(e.subject) << "\n";
  }
}

}  // namespace

int RunList(const ListOptions& options, std::ostream& out, std::ostream& err) {
  std::string error;
  std::optional<std::string> bytes = ReadWholeFile(options.keystore, kMaxFileBytes, &error);
  std::optional<keystore::Secret> password;
  if (!bytes || !LoadListPassword(options, &password, &error)) {
    ReportError(err, options.keystore, error);
    return kExitError;
  }
  keystore::StoreFormat format = keystore::DetectFormat(*bytes);
  if (options.format) {
    std::optional<keystore::StoreFormat> wanted = ParseStoreFormat(*options.format);
    bool jceks_as_jks =
        wanted == keystore::StoreFormat::kJks && format == keystore::StoreFormat::kJceks;
    if (!wanted || (*wanted != format && !jceks_as_jks)) {
      ReportError(err, options.keystore,
                  "the keystore is " + std::string(keystore::StoreFormatName(format)) + ", not " +
                      *options.format);
      return kExitError;
    }
  }
  if (!password && format != keystore::StoreFormat::kPem) {
    err << "trust-apply: warning: no password given: integrity not checked, encrypted parts "
           "not shown\n";
  }
  std::unique_ptr<keystore::Keystore> store =
      keystore::OpenKeystore(*bytes, format, password ? &*password : nullptr, &error);
  if (!store) {
    ReportError(err, options.keystore, error);
    return kExitError;
  }
  PrintEntries(store->List(), out);
  return kExitOk;
}

}  // namespace trust::apply
