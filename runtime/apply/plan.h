// The decision table of docs/manifest.md: what apply would do to one keystore, entry by
// entry. Pure: no I/O, so it is tested on its own.
//
// Invariants of a KeystorePlan:
//   - entries come in manifest order, then the remove list in its order; a remove of an
//     absent alias produces no line;
//   - aliases compare case-insensitively when the keystore says so (jks, pkcs12);
//   - the plan is simulated in order, so a certificate added by an earlier entry counts as
//     present for a later one (that one is skipped);
//   - a key entry under a named alias is always a conflict, for entries and removes alike;
//   - an alias can match several stored entries (written by other tools: exact repeats, or
//     spellings that differ only in case): unchanged only when all hold the certificate, a
//     replace or remove resolves all of them, anything else is a conflict;
//   - a skip needs a holder that stays: an alias the same plan removes does not count, so
//     "trust A as new" + "remove old" (old holding A) adds A under new.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/keystore/keystore.h"
#include "runtime/manifest/manifest.h"
#include "runtime/x509/certificate.h"

namespace trust::apply {

enum class Action { kAdd, kUnchanged, kSkip, kReplace, kConflict, kRemove };

// A manifest entry with its certificate loaded and verified, placeholders expanded.
struct LoadedEntry {
  manifest::Entry entry;
  std::shared_ptr<const x509::Certificate> cert;
  std::optional<std::string> endpoint;  // expanded requireEndpoint
};

struct EntryPlan {
  Action action = Action::kAdd;
  std::string alias;
  std::string sha256;  // the manifest's certificate; for a remove, what is there now
  std::string subject;
  std::string other_sha256;             // replace: the old certificate; conflict: what is there
  std::string other_alias;              // skip: the alias that already holds the certificate
  std::string reason;                   // conflict: why
  const LoadedEntry* source = nullptr;  // null for removes
};

struct KeystorePlan {
  std::string keystore;  // the manifest's keystore name
  std::string path;      // as the manifest names it, expanded
  manifest::Format format = manifest::Format::kJks;
  bool create = false;  // the file does not exist yet and will be created
  std::vector<EntryPlan> entries;

  int Count(Action action) const;
  bool HasChanges() const;  // add, replace, remove, or a file to create
  bool HasConflicts() const;
};

// `store` is the keystore as it is now (an empty one when it is to be created).
KeystorePlan ComputePlan(const manifest::Manifest& manifest, const std::string& path,
                         const std::vector<LoadedEntry>& entries, const keystore::Keystore& store,
                         bool create);

// Carries out the plan's add, replace and remove actions on `store`.
bool ApplyPlan(const KeystorePlan& plan, keystore::Keystore* store, std::string* error);

// Checks a re-read keystore against the plan: every planned alias holds the planned
// certificate, removed aliases are gone, every skipped certificate is still trusted under some
// alias, and every entry the plan did not name is as it was in `before`.
bool VerifyResult(const KeystorePlan& plan, const std::vector<keystore::EntryInfo>& before,
                  const keystore::Keystore& after, std::string* error);

}  // namespace trust::apply
