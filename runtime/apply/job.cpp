#include "runtime/apply/job.h"

#include <variant>

namespace trust::apply {
namespace {

constexpr size_t kMaxCertBytes = 1u << 20;

std::string DirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
}

// The variable the manifest's password comes from, or "" when it comes from elsewhere.
std::string PasswordVariable(const manifest::Manifest& manifest) {
  const auto* env = std::get_if<manifest::PasswordEnv>(&manifest.password);
  return env != nullptr ? env->name : std::string();
}

bool LoadEntry(const manifest::Entry& entry, size_t index, const std::string& dir,
               const ArtifactReader& reader, const std::string& password_variable, LoadedEntry* out,
               std::string* error) {
  std::string where = "entries[" + std::to_string(index) + "] `" + entry.alias + "`: ";
  std::string path = dir + "/" + entry.cert;
  std::optional<std::string> bytes = reader.Read(path, kMaxCertBytes, error);
  if (!bytes) {
    *error = where + *error;
    return false;
  }
  x509::LoadResult result = x509::ParseCertificate(*bytes);
  if (const auto* failure = std::get_if<x509::LoadError>(&result)) {
    *error = where + path + ": " + failure->message;
    return false;
  }
  out->entry = entry;
  out->cert = std::get<std::shared_ptr<const x509::Certificate>>(result);
  if (out->cert->facts().sha256 != entry.sha256) {
    *error = where + path + " has sha256 " + out->cert->facts().sha256 + ", the manifest pins " +
             entry.sha256;
    return false;
  }
  if (entry.require_endpoint) {
    out->endpoint = manifest::ExpandEnv(*entry.require_endpoint, error, password_variable);
    if (!out->endpoint) {
      *error = where + "requireEndpoint: " + *error;
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<Job> LoadJob(const std::string& manifest_path, const ArtifactReader& reader,
                           std::string* error) {
  Job job;
  job.manifest_path = manifest_path;
  std::optional<std::string> text = reader.Read(manifest_path, manifest::kMaxManifestBytes, error);
  std::optional<manifest::Manifest> parsed =
      text ? manifest::ReadManifest(*text, error) : std::nullopt;
  if (!parsed) {
    return std::nullopt;
  }
  job.manifest = std::move(*parsed);
  std::string password_variable = PasswordVariable(job.manifest);
  std::optional<std::string> path =
      manifest::ExpandEnv(job.manifest.path, error, password_variable);
  if (!path) {
    *error = "path: " + *error;
    return std::nullopt;
  }
  job.path = *path;
  std::string dir = DirOf(manifest_path);
  job.entries.resize(job.manifest.entries.size());
  for (size_t i = 0; i < job.entries.size(); ++i) {
    if (!LoadEntry(job.manifest.entries[i], i, dir, reader, password_variable, &job.entries[i],
                   error)) {
      return std::nullopt;
    }
  }
  std::optional<Target> target = ResolveTarget(job.path, error);
  if (!target || !OpenDir(&*target, error) || !StatInDir(&*target, error) ||
      !LoadPassword(job.manifest.password, &job.password, error)) {
    return std::nullopt;
  }
  job.target = std::move(*target);
  return job;
}

std::unique_ptr<keystore::Keystore> OpenAs(std::string_view bytes, manifest::Format format,
                                           const keystore::Secret* password, std::string* error) {
  keystore::StoreFormat wanted = format;
  keystore::StoreFormat found = keystore::DetectFormat(bytes);
  bool compatible = found == wanted || (found == keystore::StoreFormat::kJceks &&
                                        wanted == keystore::StoreFormat::kJks);
  if (!compatible) {
    *error = "the keystore is " + std::string(keystore::StoreFormatName(found)) +
             ", the manifest says " + std::string(keystore::StoreFormatName(format));
    return nullptr;
  }
  return keystore::OpenKeystore(bytes, found, password, error);
}

std::unique_ptr<keystore::Keystore> OpenStore(const Job& job, std::string* original,
                                              std::string* error) {
  const keystore::Secret* password = job.password ? &*job.password : nullptr;
  original->clear();
  if (!job.target.exists) {
    if (!job.manifest.create) {
      *error = job.path + " does not exist (and the manifest says create: false)";
      return nullptr;
    }
    return keystore::NewKeystore(job.manifest.format, password, error);
  }
  std::optional<std::string> bytes = ReadTarget(job.target, kMaxFileBytes, error);
  if (!bytes) {
    return nullptr;
  }
  *original = std::move(*bytes);
  std::unique_ptr<keystore::Keystore> store =
      OpenAs(*original, job.manifest.format, password, error);
  if (!store) {
    *error = job.path + ": " + *error;
  }
  return store;
}

}  // namespace trust::apply
