// What every bundle reader (RESTMAN, Graphman) does with the entities it found, so that the
// imported source compiles: what the language cannot say is left out with a note rather than
// written wrongly.
#pragma once

#include <functional>
#include <string>

#include "compiler/importer/estate.h"

namespace trust::importer {

// Receives one note (without the input's path).
using NoteSink = std::function<void(const std::string&)>;

// Adds `trust` to the gateway, unless it is trusted for nothing (imported as a `cert` only) or
// repeats a certificate or an entity name already there.
void AddTrust(ImportedGateway* gateway, ImportedTrust trust, const NoteSink& note);

// Once every trust is added: drops provider references to certificates the gateway does not
// trust, then providers and users the compiler would reject, each with its reason.
void FinishProviders(ImportedGateway* gateway, const NoteSink& note);

}  // namespace trust::importer
