#include "runtime/apply/plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "runtime/manifest/validate.h"

namespace trust::apply {
namespace {

using keystore::EntryInfo;
using keystore::EntryKind;

// The keystore's entries as the plan goes along: alias -> entry, and which alias holds each
// trusted certificate.
class Simulation {
 public:
  Simulation(const std::vector<EntryInfo>& entries, bool case_insensitive)
      : case_insensitive_(case_insensitive) {
    for (const EntryInfo& entry : entries) {
      by_alias_.emplace(Key(entry.alias), entry);
      if (entry.kind == EntryKind::kTrustedCert && !entry.sha256.empty()) {
        alias_by_sha_.emplace(entry.sha256, entry.alias);
      }
    }
  }

  const EntryInfo* Find(const std::string& alias) const {
    auto it = by_alias_.find(Key(alias));
    return it == by_alias_.end() ? nullptr : &it->second;
  }

  const std::string* AliasHolding(const std::string& sha256) const {
    auto it = alias_by_sha_.find(sha256);
    return it == alias_by_sha_.end() ? nullptr : &it->second;
  }

  void Put(const std::string& alias, const std::string& sha256) {
    by_alias_[Key(alias)] = EntryInfo{alias, EntryKind::kTrustedCert, sha256, {}, {}};
    alias_by_sha_.emplace(sha256, alias);
  }

 private:
  std::string Key(const std::string& alias) const {
    return case_insensitive_ ? manifest::AsciiLower(alias) : alias;
  }

  bool case_insensitive_;
  std::map<std::string, EntryInfo> by_alias_;
  std::multimap<std::string, std::string> alias_by_sha_;
};

EntryPlan Decide(const LoadedEntry& loaded, Simulation& sim) {
  EntryPlan plan;
  plan.alias = loaded.entry.alias;
  plan.sha256 = loaded.cert->facts().sha256;
  plan.subject = loaded.cert->facts().subject;
  plan.source = &loaded;
  const EntryInfo* existing = sim.Find(plan.alias);
  if (existing != nullptr && existing->kind != EntryKind::kTrustedCert) {
    plan.action = Action::kConflict;
    plan.reason = "the alias holds a " + std::string(keystore::EntryKindName(existing->kind)) +
                  " entry, which is never overwritten";
  } else if (existing != nullptr && existing->sha256 == plan.sha256) {
    plan.action = Action::kUnchanged;
  } else if (existing != nullptr) {
    plan.other_sha256 = existing->sha256;
    plan.action = loaded.entry.replace ? Action::kReplace : Action::kConflict;
    plan.reason = "the alias holds another certificate and replace is false";
  } else if (const std::string* holder = sim.AliasHolding(plan.sha256)) {
    plan.action = Action::kSkip;
    plan.other_alias = *holder;
  } else {
    plan.action = Action::kAdd;
  }
  if (plan.action == Action::kAdd || plan.action == Action::kReplace) {
    sim.Put(plan.alias, plan.sha256);
  }
  return plan;
}

std::optional<EntryPlan> DecideRemove(const std::string& alias, const Simulation& sim) {
  const EntryInfo* existing = sim.Find(alias);
  if (existing == nullptr) {
    return std::nullopt;
  }
  EntryPlan plan;
  plan.alias = alias;
  plan.sha256 = existing->sha256;
  plan.subject = existing->subject;
  plan.action = Action::kRemove;
  if (existing->kind != EntryKind::kTrustedCert) {
    plan.action = Action::kConflict;
    plan.reason = "the alias holds a " + std::string(keystore::EntryKindName(existing->kind)) +
                  " entry, which is never removed";
  }
  return plan;
}

}  // namespace

int KeystorePlan::Count(Action action) const {
  return static_cast<int>(std::count_if(
      entries.begin(), entries.end(), [action](const EntryPlan& e) { return e.action == action; }));
}

bool KeystorePlan::HasChanges() const {
  return create || Count(Action::kAdd) + Count(Action::kReplace) + Count(Action::kRemove) > 0;
}

bool KeystorePlan::HasConflicts() const { return Count(Action::kConflict) > 0; }

KeystorePlan ComputePlan(const manifest::Manifest& manifest, const std::string& path,
                         const std::vector<LoadedEntry>& entries, const keystore::Keystore& store,
                         bool create) {
  KeystorePlan plan;
  plan.keystore = manifest.keystore;
  plan.path = path;
  plan.format = manifest.format;
  plan.create = create;
  Simulation sim(store.List(), store.CaseInsensitiveAliases());
  for (const LoadedEntry& loaded : entries) {
    plan.entries.push_back(Decide(loaded, sim));
  }
  for (const std::string& alias : manifest.remove) {
    if (std::optional<EntryPlan> remove = DecideRemove(alias, sim)) {
      plan.entries.push_back(std::move(*remove));
    }
  }
  return plan;
}

bool ApplyPlan(const KeystorePlan& plan, keystore::Keystore* store, std::string* error) {
  for (const EntryPlan& entry : plan.entries) {
    bool ok = true;
    if (entry.action == Action::kAdd) {
      ok = store->AddTrusted(entry.alias, *entry.source->cert, error);
    } else if (entry.action == Action::kReplace) {
      ok = store->ReplaceTrusted(entry.alias, *entry.source->cert, error);
    } else if (entry.action == Action::kRemove) {
      ok = store->Remove(entry.alias, error);
    } else if (entry.action == Action::kConflict) {
      *error = "alias `" + entry.alias + "`: " + entry.reason;
      ok = false;
    }
    if (!ok) {
      return false;
    }
  }
  return true;
}

namespace {

bool CheckPlanned(const KeystorePlan& plan, const keystore::AliasIndex& now, std::string* error) {
  for (const EntryPlan& entry : plan.entries) {
    const EntryInfo* found = now.Find(entry.alias);
    bool expect_present = entry.action == Action::kAdd || entry.action == Action::kReplace ||
                          entry.action == Action::kUnchanged;
    if (expect_present && (found == nullptr || found->sha256 != entry.sha256)) {
      *error = "after writing, alias `" + entry.alias + "` does not hold sha256 " + entry.sha256;
      return false;
    }
    if (entry.action == Action::kRemove && found != nullptr) {
      *error = "after writing, alias `" + entry.alias + "` is still present";
      return false;
    }
  }
  return true;
}

}  // namespace

bool VerifyResult(const KeystorePlan& plan, const std::vector<EntryInfo>& before,
                  const keystore::Keystore& after, std::string* error) {
  bool ci = after.CaseInsensitiveAliases();
  std::vector<EntryInfo> listed = after.List();
  keystore::AliasIndex now(listed, ci);
  if (!CheckPlanned(plan, now, error)) {
    return false;
  }
  std::set<std::string> named;
  for (const EntryPlan& entry : plan.entries) {
    named.insert(ci ? manifest::AsciiLower(entry.alias) : entry.alias);
  }
  for (const EntryInfo& old : before) {
    if (named.count(ci ? manifest::AsciiLower(old.alias) : old.alias) != 0) {
      continue;
    }
    const EntryInfo* found = now.Find(old.alias);
    if (found == nullptr || found->kind != old.kind || found->sha256 != old.sha256) {
      *error = "after writing, entry `" + old.alias + "` is missing or changed";
      return false;
    }
  }
  return true;
}

}  // namespace trust::apply
