// Reading RESTMAN bundles (gateway exports, Gateway Migration Utility bundles, trustc's own):
// trusted certificates, federated identity providers and their users become one
// ImportedGateway; everything else is counted and skipped.
#pragma once

#include <string>

#include "compiler/importer/estate.h"

namespace trust::importer {

// Reads the bundle `bytes` of file `path` into a new gateway of `estate`, adding one note per
// skipped kind. On failure returns false and sets *error to "PATH:LINE: what".
bool ReadBundle(const std::string& path, const std::string& bytes, Estate* estate,
                std::string* error);

}  // namespace trust::importer
