#include "runtime/apply/plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/ascii.h"

namespace trust::apply {
namespace {

using keystore::EntryInfo;
using keystore::EntryKind;

// The keystore's entries as the plan goes along: alias -> every entry it matches (a store
// written by other tools can hold two entries whose aliases differ only in case, or repeat
// exactly), and which aliases hold each trusted certificate. Aliases the manifest removes do
// not count as holders: a certificate kept only under such an alias is about to go.
class Simulation {
 public:
  Simulation(const std::vector<EntryInfo>& entries, bool case_insensitive,
             const std::vector<std::string>& removed)
      : case_insensitive_(case_insensitive) {
    for (const std::string& alias : removed) {
      removed_.insert(Key(alias));
    }
    for (const EntryInfo& entry : entries) {
      by_alias_[Key(entry.alias)].push_back(entry);
      if (entry.kind == EntryKind::kTrustedCert && !entry.sha256.empty()) {
        alias_by_sha_.emplace(entry.sha256, entry.alias);
      }
    }
  }

  // Every entry `alias` matches, in file order; empty when none.
  const std::vector<EntryInfo>& Find(const std::string& alias) const {
    static const std::vector<EntryInfo> kNone;
    auto it = by_alias_.find(Key(alias));
    return it == by_alias_.end() ? kNone : it->second;
  }

  const std::string* AliasHolding(const std::string& sha256) const {
    auto [begin, end] = alias_by_sha_.equal_range(sha256);
    for (auto it = begin; it != end; ++it) {
      if (removed_.count(Key(it->second)) == 0) {
        return &it->second;
      }
    }
    return nullptr;
  }

  void Put(const std::string& alias, const std::string& sha256) {
    by_alias_[Key(alias)] = {EntryInfo{alias, EntryKind::kTrustedCert, sha256, {}, {}}};
    alias_by_sha_.emplace(sha256, alias);
  }

 private:
  std::string Key(const std::string& alias) const {
    return case_insensitive_ ? base::AsciiLower(alias) : alias;
  }

  bool case_insensitive_;
  std::set<std::string> removed_;
  std::map<std::string, std::vector<EntryInfo>> by_alias_;
  std::multimap<std::string, std::string> alias_by_sha_;
};

const EntryInfo* FirstKeyEntry(const std::vector<EntryInfo>& matches) {
  for (const EntryInfo& entry : matches) {
    if (entry.kind != EntryKind::kTrustedCert) {
      return &entry;
    }
  }
  return nullptr;
}

bool AllHold(const std::vector<EntryInfo>& matches, const std::string& sha256) {
  return std::all_of(matches.begin(), matches.end(),
                     [&](const EntryInfo& e) { return e.sha256 == sha256; });
}

// The certificate the alias holds now: the one that differs from `sha256` when there are
// several.
std::string HeldOtherThan(const std::vector<EntryInfo>& matches, const std::string& sha256) {
  for (const EntryInfo& entry : matches) {
    if (entry.sha256 != sha256) {
      return entry.sha256;
    }
  }
  return matches.front().sha256;
}

std::string SeveralEntriesReason(size_t count) {
  return "the alias matches " + std::to_string(count) +
         " entries (aliases that differ only in case, or repeat) and replace is false";
}

EntryPlan Decide(const LoadedEntry& loaded, Simulation& sim) {
  EntryPlan plan;
  plan.alias = loaded.entry.alias;
  plan.sha256 = loaded.cert->facts().sha256;
  plan.subject = loaded.cert->facts().subject;
  plan.source = &loaded;
  const std::vector<EntryInfo>& matches = sim.Find(plan.alias);
  if (const EntryInfo* key = FirstKeyEntry(matches)) {
    plan.action = Action::kConflict;
    plan.reason = "the alias holds a " + std::string(keystore::EntryKindName(key->kind)) +
                  " entry, which is never overwritten";
  } else if (!matches.empty() && AllHold(matches, plan.sha256)) {
    plan.action = Action::kUnchanged;
  } else if (!matches.empty()) {
    // A replace resolves every match: the store ends with one entry under the alias.
    plan.other_sha256 = HeldOtherThan(matches, plan.sha256);
    plan.action = loaded.entry.replace ? Action::kReplace : Action::kConflict;
    plan.reason = matches.size() > 1 ? SeveralEntriesReason(matches.size())
                                     : "the alias holds another certificate and replace is false";
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

// A remove resolves every entry the alias matches, so several trusted matches are all removed.
std::optional<EntryPlan> DecideRemove(const std::string& alias, const Simulation& sim) {
  const std::vector<EntryInfo>& matches = sim.Find(alias);
  if (matches.empty()) {
    return std::nullopt;
  }
  EntryPlan plan;
  plan.alias = alias;
  plan.sha256 = matches.front().sha256;
  plan.subject = matches.front().subject;
  plan.action = Action::kRemove;
  if (const EntryInfo* key = FirstKeyEntry(matches)) {
    plan.action = Action::kConflict;
    plan.reason = "the alias holds a " + std::string(keystore::EntryKindName(key->kind)) +
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
  Simulation sim(store.List(), store.CaseInsensitiveAliases(), manifest.remove);
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

bool HoldsEverywhere(const std::vector<const EntryInfo*>& found, const std::string& sha256) {
  return !found.empty() && std::all_of(found.begin(), found.end(),
                                       [&](const EntryInfo* e) { return e->sha256 == sha256; });
}

bool CheckPlanned(const KeystorePlan& plan, const keystore::AliasIndex& now,
                  const std::set<std::string>& trusted_now, std::string* error) {
  for (const EntryPlan& entry : plan.entries) {
    std::vector<const EntryInfo*> found = now.FindAll(entry.alias);
    bool expect_present = entry.action == Action::kAdd || entry.action == Action::kReplace ||
                          entry.action == Action::kUnchanged;
    if (expect_present && !HoldsEverywhere(found, entry.sha256)) {
      *error = "after writing, alias `" + entry.alias + "` does not hold sha256 " + entry.sha256;
      return false;
    }
    if (entry.action == Action::kRemove && !found.empty()) {
      *error = "after writing, alias `" + entry.alias + "` is still present";
      return false;
    }
    // A skip promised the certificate stays trusted under another alias.
    if (entry.action == Action::kSkip && trusted_now.count(entry.sha256) == 0) {
      *error = "after writing, the certificate of skipped alias `" + entry.alias + "` (sha256 " +
               entry.sha256 + ") is no longer in the keystore";
      return false;
    }
  }
  return true;
}

// (kind, sha256) of every entry under one alias, in order: what must not change.
std::vector<std::pair<EntryKind, std::string>> Contents(
    const std::vector<const EntryInfo*>& found) {
  std::vector<std::pair<EntryKind, std::string>> out;
  for (const EntryInfo* e : found) {
    out.emplace_back(e->kind, e->sha256);
  }
  return out;
}

}  // namespace

bool VerifyResult(const KeystorePlan& plan, const std::vector<EntryInfo>& before,
                  const keystore::Keystore& after, std::string* error) {
  bool ci = after.CaseInsensitiveAliases();
  std::vector<EntryInfo> listed = after.List();
  keystore::AliasIndex now(listed, ci);
  std::set<std::string> trusted_now;
  for (const EntryInfo& e : listed) {
    if (e.kind == EntryKind::kTrustedCert) {
      trusted_now.insert(e.sha256);
    }
  }
  if (!CheckPlanned(plan, now, trusted_now, error)) {
    return false;
  }
  std::set<std::string> named;
  for (const EntryPlan& entry : plan.entries) {
    named.insert(ci ? base::AsciiLower(entry.alias) : entry.alias);
  }
  keystore::AliasIndex then(before, ci);
  for (const EntryInfo& old : before) {
    if (named.count(ci ? base::AsciiLower(old.alias) : old.alias) != 0) {
      continue;
    }
    if (Contents(now.FindAll(old.alias)) != Contents(then.FindAll(old.alias))) {
      *error = "after writing, entry `" + old.alias + "` is missing or changed";
      return false;
    }
  }
  return true;
}

}  // namespace trust::apply
