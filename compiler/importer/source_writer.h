// Writing an Estate as `.trust` source in the canonical layout of `trustc fmt`, with the
// certificate files that go beside it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "compiler/importer/baseline.h"
#include "compiler/importer/estate.h"

namespace trust::importer {

struct WrittenSource {
  std::string source;
  std::map<std::string, std::string> cert_files;  // file name beside the source -> PEM
};

// PEM text of one certificate, as written beside imported source and by `trustc pin`.
std::string CertificatePem(const x509::Certificate& certificate);

// `output_dir` is where the source will be written: a certificate file name already used there
// by different contents is not reused. Each finding of `baseline` becomes an `allow` with
// ir::kBaselineReason in its cert or trust block. Identifiers depend on the estate only, so a
// second writing with a baseline names everything as the first did.
WrittenSource WriteSource(const Estate& estate, const std::filesystem::path& output_dir,
                          const Baseline& baseline);

}  // namespace trust::importer
