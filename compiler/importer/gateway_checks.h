// What every bundle reader (RESTMAN, Graphman) does with the entities it found, so that the
// imported source compiles: what the language cannot say is left out with a note rather than
// written wrongly.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "compiler/importer/estate.h"

namespace trust::importer {

// Receives one note (without the input's path).
using NoteSink = std::function<void(const std::string&)>;

// Adds `trust` to the gateway, unless it is trusted for nothing, not even as a revocation
// policy's signer (imported as a `cert` only), or
// repeats a certificate or an entity name already there.
void AddTrust(ImportedGateway* gateway, ImportedTrust trust, const NoteSink& note);

// Attaches the certificate a bundle holds for `user` when the compiler would accept it: its
// subject is the user's DN and, when the provider trusts certificates, one that it trusts for
// signing client certificates signed it. Otherwise the user is imported without it, with a note.
void AttachUserCert(Estate* estate, const ImportedGateway& gateway,
                    const ImportedProvider& provider,
                    std::shared_ptr<const x509::Certificate> certificate, ImportedUser* user,
                    const NoteSink& note);

// Once every trust is added: drops provider references to certificates the gateway does not
// trust, then providers and users the compiler would reject, each with its reason.
void FinishProviders(ImportedGateway* gateway, const NoteSink& note);

// Once every trust and policy is read: sets each trust's policy from the key (an id or a name)
// its certificate referenced it by; a key that names no policy of the bundle leaves the
// gateway's default policy, with a note.
void ResolvePolicyReferences(ImportedGateway* gateway,
                             const std::map<size_t, std::string>& policy_key_by_cert,
                             const std::map<std::string, size_t>& policy_by_key,
                             const NoteSink& note);

// Once every trust is added: drops policy signers the gateway does not trust, and policies with
// no check (their trusts fall back to the gateway's default policy), each with a note.
void FinishRevocationPolicies(ImportedGateway* gateway, const NoteSink& note);

}  // namespace trust::importer
