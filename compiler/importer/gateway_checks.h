// What every bundle reader (RESTMAN, Graphman) does with the entities it found, so that the
// imported source compiles: what the language cannot say is left out with a note rather than
// written wrongly.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "compiler/importer/estate.h"

namespace trust::importer {

// Receives one note (without the input's path).
using NoteSink = std::function<void(const std::string&)>;

// Adds `trust` to the gateway, unless it is trusted for nothing (imported as a `cert` only) or
// repeats a certificate or an entity name already there.
void AddTrust(ImportedGateway* gateway, ImportedTrust trust, const NoteSink& note);

// Attaches the certificate a bundle holds for `user` when the compiler would accept it: its
// subject is the user's DN and, when the provider trusts certificates, one that it trusts for
// signing client certificates signed it. Otherwise the user is imported without it, with a note.
void AttachUserCert(Estate* estate, const ImportedGateway& gateway,
                    const ImportedProvider& provider,
                    std::shared_ptr<const pem::Certificate> certificate, ImportedUser* user,
                    const NoteSink& note);

// Once every trust is added: drops provider references to certificates the gateway does not
// trust, then providers and users the compiler would reject, each with its reason.
void FinishProviders(ImportedGateway* gateway, const NoteSink& note);

}  // namespace trust::importer
