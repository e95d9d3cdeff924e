// One manifest made ready to plan: read (and checked against SHA256SUMS), placeholders
// expanded, certificates loaded and verified against their pins, the keystore path resolved
// and the password loaded.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/apply/artifacts.h"
#include "runtime/apply/password.h"
#include "runtime/apply/plan.h"
#include "runtime/apply/safe_write.h"
#include "runtime/keystore/keystore.h"
#include "runtime/manifest/manifest.h"

namespace trust::apply {

struct Job {
  std::string manifest_path;
  manifest::Manifest manifest;
  std::vector<LoadedEntry> entries;
  std::string path;  // expanded
  Target target;
  std::optional<keystore::Secret> password;
};

std::optional<Job> LoadJob(const std::string& manifest_path, const ArtifactReader& reader,
                           std::string* error);

// The keystore as it is now; an empty one when the file is missing and `create` is true.
// *original receives the file's bytes ("" when missing).
std::unique_ptr<keystore::Keystore> OpenStore(const Job& job, std::string* original,
                                              std::string* error);

// Opens bytes as the manifest's format (jceks counts as jks, read-only).
std::unique_ptr<keystore::Keystore> OpenAs(std::string_view bytes, manifest::Format format,
                                           const keystore::Secret* password, std::string* error);

}  // namespace trust::apply
