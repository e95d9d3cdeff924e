// Reading Graphman bundles (graphman-client exports, Layer7 Operator repositories, trustc's
// own `NAME.graphman.json`): trusted certificates, federated identity providers (either naming:
// `federatedIdps` or the older `fips`) and their users become one ImportedGateway; every other
// entity kind is counted and skipped, as for RESTMAN bundles (bundle_reader.h).
#pragma once

#include <string>

#include "compiler/importer/estate.h"

namespace trust::importer {

// True when `bytes` looks like JSON (first non-blank byte `{`): a Graphman bundle, not XML.
bool LooksLikeGraphman(const std::string& bytes);

// Reads the Graphman bundle `bytes` of file `path` into a new gateway of `estate`. On failure
// returns false and sets *error to "PATH: where: what" (where: `trustedCerts[2]` and the
// entity's name, or the line and column of a JSON syntax error); `estate` may then hold part of
// the input and must be dropped.
bool ReadGraphman(const std::string& path, const std::string& bytes, Estate* estate,
                  std::string* error);

// Reads an exploded bundle: a directory of `.json` files, each a whole bundle or one entity in
// a directory named after its kind (`trustedCerts/NAME.json`, `federatedIdps/NAME.json`, ...,
// at any depth), merged into one gateway named after the directory.
bool ReadGraphmanDirectory(const std::string& path, Estate* estate, std::string* error);

}  // namespace trust::importer
