#include "compiler/importer/importer.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "base/file_read.h"
#include "compiler/importer/baseline.h"
#include "compiler/importer/bundle_reader.h"
#include "compiler/importer/graphman_reader.h"
#include "compiler/importer/source_writer.h"
#include "compiler/limits.h"

namespace trust::importer {

size_t Estate::AddCert(std::shared_ptr<const x509::Certificate> certificate,
                       const std::string& hint) {
  auto [it, added] = cert_by_sha256.emplace(certificate->facts().sha256, certs.size());
  if (added) certs.push_back({std::move(certificate), hint});
  return it->second;
}

std::optional<ImportResult> Import(const ImportOptions& options, std::string* error) {
  Estate estate;
  for (const std::string& path : options.bundles) {
    if (std::filesystem::is_directory(path)) {  // an exploded Graphman bundle
      if (!ReadGraphmanDirectory(path, &estate, error)) return std::nullopt;
      continue;
    }
    // The bounded reader: bounded, never blocking on a FIFO, regular files only.
    std::string why;
    std::optional<std::string> bytes = base::ReadRegularFile(path, limits::kMaxBundleBytes, &why);
    if (!bytes) {
      *error = path + ": cannot read the bundle: " + why;
      return std::nullopt;
    }
    bool read = LooksLikeGraphman(*bytes) ? ReadGraphman(path, *bytes, &estate, error)
                                          : ReadBundle(path, *bytes, &estate, error);
    if (!read) return std::nullopt;
  }
  for (const KeystoreInput& keystore : options.keystores) {
    if (!ReadKeystore(keystore, &estate, error)) return std::nullopt;
  }
  std::filesystem::path dir = std::filesystem::path(options.output).parent_path();
  if (dir.empty()) dir = ".";
  WrittenSource written = WriteSource(estate, dir, Baseline{});
  std::optional<Baseline> baseline =
      FindBaseline(written.source, written.cert_files, options.now, error);
  if (!baseline) return std::nullopt;
  if (!baseline->empty()) written = WriteSource(estate, dir, *baseline);
  return ImportResult{std::move(written.source), std::move(written.cert_files),
                      std::move(estate.notes),   std::move(estate.warnings),
                      baseline->Lines(),         std::move(estate.details)};
}

}  // namespace trust::importer
