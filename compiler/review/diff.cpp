// The semantic diff: matches the entities of two programs and says what changed for each, in
// trust terms. Rendering is in diff_render.cpp.
#include "compiler/review/diff.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <utility>

#include "compiler/artifacts/artifacts.h"

namespace trust::review {
namespace {

using nlohmann::json;

std::string Sha(const ir::Program& program, ir::CertId id) {
  const auto& cert = program.cert(id).certificate;
  return cert ? cert->facts().sha256 : "";
}

std::string Subject(const ir::Program& program, ir::CertId id) {
  const auto& cert = program.cert(id).certificate;
  return cert ? cert->facts().subject : "";
}

std::string Short(const std::string& sha) { return sha.size() > 8 ? sha.substr(0, 8) + "…" : sha; }

std::string Q(const std::string& name) { return diag::Quote(name); }

std::vector<std::string> Purposes(const ir::Trust& trust) {
  std::vector<std::string> words;
  for (ir::Purpose p : ir::AllPurposes()) {
    if (trust.Has(p)) words.emplace_back(ir::PurposeWord(p));
  }
  return words;
}

std::string JoinWords(const std::vector<std::string>& words, const std::string& none = "none") {
  if (words.empty()) return none;
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

// Collects the changes of one component.
class Collector {
 public:
  Collector(const ir::Program& a, const ir::Program& b, Component& out) : a_(a), b_(b), out_(out) {}
  void Gateway(const ir::Gateway& old_gw, const ir::Gateway& new_gw);
  void Keystore(const ir::Keystore& old_ks, const ir::Keystore& new_ks);
  void Policy(const ir::Policy& old_policy, const ir::Policy& new_policy);

 private:
  void Add(Op op, std::string kind, std::string entity, std::string message, json old_value = {},
           json new_value = {}) {
    out_.changes.push_back({op, std::move(kind), std::move(entity), std::move(message),
                            std::move(old_value), std::move(new_value)});
  }
  json TrustJson(const ir::Program& p, const ir::Trust& t) const;
  std::string Describe(const ir::Program& p, const ir::Trust& t) const;
  void TrustPair(const ir::Trust& o, const ir::Trust& n);
  void Provider(const ir::IdentityProvider& o, const ir::IdentityProvider& n);
  void Users(const ir::IdentityProvider& o, const ir::IdentityProvider& n);
  void UserPair(const std::string& provider, const ir::User& o, const ir::User& n);
  json EntryJson(const ir::Program& p, const ir::KeystoreEntry& e) const;
  void EntryPair(const ir::KeystoreEntry& o, const ir::KeystoreEntry& n);
  void Setting(const std::string& field, const std::string& o, const std::string& n);

  const ir::Program& a_;
  const ir::Program& b_;
  Component& out_;
};

// Pairs old and new elements by each key in turn; unpaired ones are removed or added.
template <typename T>
struct Matching {
  std::vector<std::pair<const T*, const T*>> pairs;
  std::vector<const T*> removed, added;
};

template <typename T>
Matching<T> Match(const std::vector<T>& olds, const std::vector<T>& news,
                  const std::vector<std::function<std::string(const T&, bool is_new)>>& keys) {
  Matching<T> m;
  std::vector<const T*> left, right;
  for (const T& o : olds) left.push_back(&o);
  for (const T& n : news) right.push_back(&n);
  for (const auto& key : keys) {
    for (auto& o : left) {
      if (o == nullptr) continue;
      for (auto& n : right) {
        if (n == nullptr || key(*o, false) != key(*n, true)) continue;
        m.pairs.push_back({o, n});
        o = n = nullptr;
        break;
      }
    }
  }
  for (const T* o : left) {
    if (o != nullptr) m.removed.push_back(o);
  }
  for (const T* n : right) {
    if (n != nullptr) m.added.push_back(n);
  }
  return m;
}

json Collector::TrustJson(const ir::Program& p, const ir::Trust& t) const {
  return {{"entity", t.entity_name},
          {"cert", p.cert(t.cert).name},
          {"subject", Subject(p, t.cert)},
          {"sha256", Sha(p, t.cert)},
          {"anchor", t.anchor},
          {"purposes", Purposes(t)},
          {"verify_hostname", t.verify_hostname},
          {"revocation", t.revocation_checking ? "default" : "off"},
          {"revocation_reason", t.revocation_reason}};
}

// "`Endpoint CA` (CN=Endpoint CA, sha256 9f2c0a1b…) for ssl as anchor, revocation off: <reason>"
std::string Collector::Describe(const ir::Program& p, const ir::Trust& t) const {
  std::string text =
      Q(t.entity_name) + " (" + Subject(p, t.cert) + ", sha256 " + Short(Sha(p, t.cert)) + ")";
  std::vector<std::string> purposes = Purposes(t);
  if (!purposes.empty()) text += " for " + JoinWords(purposes);
  if (t.anchor) text += " as anchor";
  if (!t.verify_hostname) text += ", hostname verification off";
  if (!t.revocation_checking) text += ", revocation off: " + t.revocation_reason;
  return text;
}

void Collector::TrustPair(const ir::Trust& o, const ir::Trust& n) {
  std::string gw = "gateway " + Q(out_.name);
  std::string who = gw + " trust " + Q(n.entity_name);
  std::string old_sha = Sha(a_, o.cert), new_sha = Sha(b_, n.cert);
  json ov = TrustJson(a_, o), nv = TrustJson(b_, n);
  if (old_sha != new_sha) {
    Add(Op::kChanged, "cert_rotated", n.entity_name,
        who + ": certificate rotated (old sha256 " + Short(old_sha) + ", new " + Short(new_sha) +
            "; now " + Subject(b_, n.cert) + ")",
        ov, nv);
  }
  if (o.entity_name != n.entity_name) {
    Add(Op::kChanged, "trust_renamed", n.entity_name,
        gw + " trust " + Q(o.entity_name) + " renamed to " + Q(n.entity_name), ov, nv);
  }
  if (Purposes(o) != Purposes(n)) {
    Add(Op::kChanged, "purposes_changed", n.entity_name,
        who + ": purposes " + JoinWords(Purposes(o)) + " → " + JoinWords(Purposes(n)), ov, nv);
  }
  if (o.anchor != n.anchor) {
    Add(Op::kChanged, "anchor_changed", n.entity_name,
        who + (n.anchor ? ": now a trust anchor" : ": no longer a trust anchor"), ov, nv);
  }
  if (o.verify_hostname != n.verify_hostname) {
    Add(Op::kChanged, "hostname_changed", n.entity_name,
        who + ": hostname verification " + (o.verify_hostname ? "on → off" : "off → on"), ov, nv);
  }
  if (o.revocation_checking != n.revocation_checking) {
    Add(Op::kChanged, "revocation_changed", n.entity_name,
        who + (n.revocation_checking ? ": revocation checking back to the gateway default"
                                     : ": revocation off: " + n.revocation_reason),
        ov, nv);
  } else if (o.revocation_reason != n.revocation_reason) {
    Add(Op::kChanged, "revocation_changed", n.entity_name,
        who + ": revocation still off, reason changed from \"" + o.revocation_reason + "\" to \"" +
            n.revocation_reason + "\"",
        ov, nv);
  }
}

void Collector::Gateway(const ir::Gateway& o, const ir::Gateway& n) {
  std::string gw = "gateway " + Q(out_.name);
  if (o.mapping != n.mapping && out_.status == "changed") {
    auto word = [](ir::Mapping m) { return m == ir::Mapping::kById ? "by_id" : "by_name"; };
    Setting("mapping", word(o.mapping), word(n.mapping));
  }
  auto m = Match<ir::Trust>(
      o.trusts, n.trusts,
      {[](const ir::Trust& t, bool) { return t.entity_name; },
       [this](const ir::Trust& t, bool is_new) { return Sha(is_new ? b_ : a_, t.cert); }});
  for (const ir::Trust* t : m.removed) {
    Add(Op::kRemoved, "trust_removed", t->entity_name, gw + " no longer trusts " + Describe(a_, *t),
        TrustJson(a_, *t), nullptr);
  }
  for (const ir::Trust* t : m.added) {
    Add(Op::kAdded, "trust_added", t->entity_name, gw + " trusts " + Describe(b_, *t), nullptr,
        TrustJson(b_, *t));
  }
  for (const auto& [ot, nt] : m.pairs) TrustPair(*ot, *nt);
  auto pm = Match<ir::IdentityProvider>(
      o.providers, n.providers,
      {[](const ir::IdentityProvider& p, bool) { return p.display_name; },
       [](const ir::IdentityProvider& p, bool) { return p.id; }});
  ir::IdentityProvider empty;
  for (const auto* p : pm.removed) {
    Add(Op::kRemoved, "provider_removed", p->display_name,
        gw + ": identity provider " + Q(p->display_name) + " removed (with its " +
            std::to_string(p->users.size()) + " user(s))");
  }
  for (const auto* p : pm.added) {
    Add(Op::kAdded, "provider_added", p->display_name,
        gw + ": identity provider " + Q(p->display_name) + " added");
    Provider(empty, *p);
  }
  for (const auto& [op, np] : pm.pairs) Provider(*op, *np);
}

void Collector::Provider(const ir::IdentityProvider& o, const ir::IdentityProvider& n) {
  std::string who = "identity provider " + Q(n.display_name);
  auto creds = [](const ir::IdentityProvider& p) {
    std::vector<std::string> words;
    if (p.x509) words.emplace_back("x509");
    if (p.saml) words.emplace_back("saml");
    return words;
  };
  bool existed = !o.display_name.empty();
  if (existed && o.display_name != n.display_name) {
    Add(Op::kChanged, "provider_renamed", n.display_name,
        "identity provider " + Q(o.display_name) + " renamed to " + Q(n.display_name));
  }
  if (existed && creds(o) != creds(n)) {
    Add(Op::kChanged, "provider_changed", n.display_name,
        who + ": credentials " + JoinWords(creds(o)) + " → " + JoinWords(creds(n)), creds(o),
        creds(n));
  }
  if (existed && o.validation != n.validation) {
    static const char* kNames[] = {"gateway default", "certificate", "path", "revocation"};
    Add(Op::kChanged, "provider_changed", n.display_name,
        who + ": certificate validation " + kNames[static_cast<int>(o.validation)] + " → " +
            kNames[static_cast<int>(n.validation)]);
  }
  std::set<std::string> old_shas, new_shas;
  for (ir::CertId id : o.trusted) old_shas.insert(Sha(a_, id));
  for (ir::CertId id : n.trusted) new_shas.insert(Sha(b_, id));
  for (ir::CertId id : o.trusted) {
    if (new_shas.contains(Sha(a_, id))) continue;
    Add(Op::kRemoved, "provider_trust_removed", n.display_name,
        who + " no longer trusts " + Q(a_.cert(id).display_name) + " (sha256 " +
            Short(Sha(a_, id)) + ")",
        Sha(a_, id), nullptr);
  }
  for (ir::CertId id : n.trusted) {
    if (old_shas.contains(Sha(b_, id))) continue;
    Add(Op::kAdded, "provider_trust_added", n.display_name,
        who + " trusts " + Q(b_.cert(id).display_name) + " (" + Subject(b_, id) + ", sha256 " +
            Short(Sha(b_, id)) + ")",
        nullptr, Sha(b_, id));
  }
  Users(o, n);
}

void Collector::Users(const ir::IdentityProvider& o, const ir::IdentityProvider& n) {
  auto m = Match<ir::User>(o.users, n.users, {[](const ir::User& u, bool) { return u.login; }});
  std::string from = Q(n.display_name);
  for (const ir::User* u : m.removed) {
    Add(Op::kRemoved, "user_removed", u->login, "user " + Q(u->login) + " removed from " + from,
        json{{"dn", u->dn}}, nullptr);
  }
  for (const ir::User* u : m.added) {
    std::string cert = u->cert ? ", certificate " + Q(b_.cert(*u->cert).display_name) +
                                     " (sha256 " + Short(Sha(b_, *u->cert)) + ")"
                               : "";
    Add(Op::kAdded, "user_added", u->login,
        "user " + Q(u->login) + " added to " + from +
            (u->dn.empty() && cert.empty() ? "" : " (dn " + Q(u->dn) + cert + ")"),
        nullptr, json{{"dn", u->dn}});
  }
  for (const auto& [ou, nu] : m.pairs) UserPair(n.display_name, *ou, *nu);
}

void Collector::UserPair(const std::string& provider, const ir::User& o, const ir::User& n) {
  std::string who = "user " + Q(n.login) + " of " + Q(provider);
  if (o.dn != n.dn) {
    Add(Op::kChanged, "user_dn_changed", n.login, who + ": DN " + Q(o.dn) + " → " + Q(n.dn), o.dn,
        n.dn);
  }
  std::string old_sha = o.cert ? Sha(a_, *o.cert) : "", new_sha = n.cert ? Sha(b_, *n.cert) : "";
  if (old_sha != new_sha) {
    auto text = [](const std::string& sha) {
      return sha.empty() ? "none" : "sha256 " + Short(sha);
    };
    Add(Op::kChanged, "user_cert_changed", n.login,
        who + ": certificate " + text(old_sha) + " → " + text(new_sha),
        old_sha.empty() ? json() : json(old_sha), new_sha.empty() ? json() : json(new_sha));
  }
  auto details = [](const ir::User& u) {
    return json{{"email", u.email}, {"first_name", u.first_name}, {"last_name", u.last_name}};
  };
  if (details(o) != details(n)) {
    Add(Op::kChanged, "user_details_changed", n.login, who + ": email or name changed", details(o),
        details(n));
  }
}

json Collector::EntryJson(const ir::Program& p, const ir::KeystoreEntry& e) const {
  return {{"alias", e.alias},
          {"cert", p.cert(e.cert).name},
          {"subject", Subject(p, e.cert)},
          {"sha256", Sha(p, e.cert)},
          {"replace", e.replace},
          {"require_endpoint", e.require_endpoint ? json(*e.require_endpoint) : json()}};
}

void Collector::EntryPair(const ir::KeystoreEntry& o, const ir::KeystoreEntry& n) {
  std::string ks = "keystore " + Q(out_.name);
  std::string old_sha = Sha(a_, o.cert), new_sha = Sha(b_, n.cert);
  json ov = EntryJson(a_, o), nv = EntryJson(b_, n);
  if (old_sha != new_sha) {
    Add(Op::kChanged, "entry_rotated", n.alias,
        ks + " alias " + Q(n.alias) + ": certificate rotated (old sha256 " + Short(old_sha) +
            ", new " + Short(new_sha) + "; now " + Subject(b_, n.cert) + ")",
        ov, nv);
  }
  if (o.alias != n.alias) {
    Add(Op::kChanged, "entry_realiased", n.alias,
        ks + ": " + Q(b_.cert(n.cert).display_name) + " re-aliased from " + Q(o.alias) + " to " +
            Q(n.alias),
        ov, nv);
  }
  if (o.replace != n.replace || o.require_endpoint != n.require_endpoint) {
    Add(Op::kChanged, "entry_changed", n.alias,
        ks + " alias " + Q(n.alias) + ": replace " + (n.replace ? "on" : "off") +
            ", require_endpoint " + (n.require_endpoint ? *n.require_endpoint : "none"),
        ov, nv);
  }
}

void Collector::Setting(const std::string& field, const std::string& o, const std::string& n) {
  if (o == n) return;
  std::string who = out_.kind == "policy" ? "policy" : out_.kind + " " + Q(out_.name);
  Add(Op::kChanged, out_.kind + "_setting_changed", field,
      who + ": " + field + " " + (o.empty() ? "(none)" : o) + " → " + (n.empty() ? "(none)" : n), o,
      n);
}

std::string PasswordText(const ir::Password& p) {
  switch (p.kind) {
    case ir::Password::Kind::kEnv:
      return "env " + p.value;
    case ir::Password::Kind::kFile:
      return "file " + p.value;
    case ir::Password::Kind::kNone:
      return "none";
  }
  return "";
}

void Collector::Keystore(const ir::Keystore& o, const ir::Keystore& n) {
  std::string ks = "keystore " + Q(out_.name);
  if (out_.status == "changed") {
    Setting("path", o.path, n.path);
    Setting("format", std::string(ir::FormatName(o.format)), std::string(ir::FormatName(n.format)));
    Setting("host", o.host, n.host);
    Setting("password", PasswordText(o.password), PasswordText(n.password));
    Setting("create", o.create ? "on" : "off", n.create ? "on" : "off");
  }
  auto m = Match<ir::KeystoreEntry>(
      o.entries, n.entries,
      {[](const ir::KeystoreEntry& e, bool) { return e.alias; },
       [this](const ir::KeystoreEntry& e, bool is_new) { return Sha(is_new ? b_ : a_, e.cert); }});
  for (const auto* e : m.removed) {
    Add(Op::kRemoved, "entry_removed", e->alias,
        ks + " no longer holds " + Q(a_.cert(e->cert).display_name) + " as " + Q(e->alias),
        EntryJson(a_, *e), nullptr);
  }
  for (const auto* e : m.added) {
    Add(Op::kAdded, "entry_added", e->alias,
        ks + " holds " + Q(b_.cert(e->cert).display_name) + " (" + Subject(b_, e->cert) +
            ", sha256 " + Short(Sha(b_, e->cert)) + ") as " + Q(e->alias),
        nullptr, EntryJson(b_, *e));
  }
  for (const auto& [oe, ne] : m.pairs) EntryPair(*oe, *ne);
  std::set<std::string> old_remove(o.remove.begin(), o.remove.end());
  std::set<std::string> new_remove(n.remove.begin(), n.remove.end());
  for (const std::string& alias : new_remove) {
    if (old_remove.contains(alias)) continue;
    Add(Op::kAdded, "remove_added", alias, ks + ": alias " + Q(alias) + " is now removed", nullptr,
        alias);
  }
  for (const std::string& alias : old_remove) {
    if (new_remove.contains(alias)) continue;
    Add(Op::kRemoved, "remove_dropped", alias, ks + ": alias " + Q(alias) + " is no longer removed",
        alias, nullptr);
  }
}

void Collector::Policy(const ir::Policy& o, const ir::Policy& n) {
  Setting("min_rsa_bits", std::to_string(o.min_rsa_bits), std::to_string(n.min_rsa_bits));
  Setting("min_ec_bits", std::to_string(o.min_ec_bits), std::to_string(n.min_ec_bits));
  Setting("forbid_signature", JoinWords(o.forbid_signature), JoinWords(n.forbid_signature));
  Setting("expiry warn_within", std::to_string(o.warn_within_days) + "d",
          std::to_string(n.warn_within_days) + "d");
  static const char* kPin[] = {"none", "anchors", "all"};
  Setting("require_pin", kPin[static_cast<int>(o.require_pin)],
          kPin[static_cast<int>(n.require_pin)]);
  static const char* kLevel[] = {"off", "note", "warning", "error"};
  std::set<std::string> rules;
  for (const auto& [rule, level] : o.rule_levels) rules.insert(rule);
  for (const auto& [rule, level] : n.rule_levels) rules.insert(rule);
  for (const std::string& rule : rules) {
    auto level = [&](const ir::Policy& p) {
      auto it = p.rule_levels.find(rule);
      return it == p.rule_levels.end() ? std::string("default")
                                       : kLevel[static_cast<int>(it->second)];
    };
    Setting("rule " + rule, level(o), level(n));
  }
}

// Runs one component comparison; keeps the component only if something changed.
template <typename T, typename F>
void Compare(const std::string& kind, const std::vector<T>& olds, const std::vector<T>& news,
             const ir::Program& a, const ir::Program& b, DiffResult& result, F diff) {
  std::map<std::string, std::pair<const T*, const T*>> by_name;
  for (const T& o : olds) by_name[o.name].first = &o;
  for (const T& n : news) by_name[n.name].second = &n;
  for (const auto& [name, pair] : by_name) {
    Component component{kind,
                        name,
                        pair.first == nullptr    ? "added"
                        : pair.second == nullptr ? "removed"
                                                 : "changed",
                        {}};
    T empty;
    Collector collector(a, b, component);
    diff(collector, pair.first ? *pair.first : empty, pair.second ? *pair.second : empty);
    if (!component.changes.empty() || component.status != "changed") {
      result.components.push_back(std::move(component));
    }
  }
}

}  // namespace

namespace {

// Unsigned artifacts: making them never fails.
artifacts::ArtifactSet MakeAll(const std::vector<artifacts::Artifact>& list) {
  std::string unused;
  return artifacts::Collect(list, &unused).value_or(artifacts::ArtifactSet{});
}

}  // namespace

size_t DiffResult::ChangeCount() const {
  size_t count = lint_appeared.size() + lint_disappeared.size();
  for (const Component& c : components) count += std::max<size_t>(c.changes.size(), 1);
  return count;
}

DiffResult Diff(const DiffInput& old_side, const DiffInput& new_side) {
  DiffResult result;
  result.old_label = old_side.label;
  result.new_label = new_side.label;
  const ir::Program& a = *old_side.program;
  const ir::Program& b = *new_side.program;
  std::set<LintFinding> old_lint(old_side.lint.begin(), old_side.lint.end());
  std::set<LintFinding> new_lint(new_side.lint.begin(), new_side.lint.end());
  for (const LintFinding& f : new_lint) {
    if (!old_lint.contains(f)) result.lint_appeared.push_back(f);
  }
  for (const LintFinding& f : old_lint) {
    if (!new_lint.contains(f)) result.lint_disappeared.push_back(f);
  }
  // The root file's name is written into the artifacts; comparing `x.trust` with its renamed
  // copy must not count as a change, so both sides are made under the new name.
  std::string old_name = std::exchange(old_side.program->root_source, b.root_source);
  artifacts::ArtifactSet old_files = MakeAll(*old_side.artifacts);
  old_side.program->root_source = std::move(old_name);
  artifacts::ArtifactSet new_files = MakeAll(*new_side.artifacts);
  Component policy{"policy", "policy", "changed", {}};
  Collector(a, b, policy).Policy(a.policy, b.policy);
  if (old_files == new_files) {
    if (!policy.changes.empty()) result.components.push_back(std::move(policy));
    return result;
  }
  Compare<ir::Gateway>("gateway", a.gateways, b.gateways, a, b, result,
                       [](Collector& c, const auto& o, const auto& n) { c.Gateway(o, n); });
  Compare<ir::Keystore>("keystore", a.keystores, b.keystores, a, b, result,
                        [](Collector& c, const auto& o, const auto& n) { c.Keystore(o, n); });
  if (!policy.changes.empty()) result.components.push_back(std::move(policy));
  if (!result.components.empty()) return result;
  std::set<std::string> paths;
  for (const auto& [path, bytes] : old_files) paths.insert(path);
  for (const auto& [path, bytes] : new_files) paths.insert(path);
  for (const std::string& path : paths) {
    if (path == "SHA256SUMS") continue;
    auto o = old_files.find(path), n = new_files.find(path);
    bool differ = o == old_files.end() || n == new_files.end() || o->second != n->second;
    if (differ) result.other_artifacts.push_back(path);
  }
  return result;
}

namespace {

// A place in the program that a lint diagnostic may be about.
struct Candidate {
  source::SourceRange range;
  std::string entity;
  std::string label;
};

void AddAllows(const std::vector<ir::Allow>& allows, const Candidate& owner,
               std::vector<Candidate>& out) {
  for (const ir::Allow& allow : allows) {
    out.push_back({allow.range, owner.entity + ":allow:" + allow.rule,
                   "`allow " + allow.rule + "` on " + owner.label});
  }
}

std::vector<Candidate> Candidates(const ir::Program& p) {
  std::vector<Candidate> out;
  for (const ir::Cert& cert : p.certs) {
    std::string sha = cert.certificate ? cert.certificate->facts().sha256 : cert.name;
    out.push_back({cert.range, "cert:" + sha, "certificate " + Q(cert.display_name)});
    AddAllows(cert.allows, out.back(), out);
  }
  for (const ir::Gateway& g : p.gateways) {
    std::string gw = "gateway:" + g.name;
    out.push_back({g.range, gw, "gateway " + Q(g.name)});
    for (const ir::Trust& t : g.trusts) {
      // By entity name, not sha256: a rotation keeps the trust's findings (e.g. revocation_off).
      out.push_back({t.range, gw + ":trust:" + t.entity_name,
                     "gateway " + Q(g.name) + " trust " + Q(t.entity_name)});
      AddAllows(t.allows, out.back(), out);
    }
    for (const ir::IdentityProvider& idp : g.providers) {
      std::string key = gw + ":provider:" + idp.display_name;
      out.push_back({idp.range, key, "identity provider " + Q(idp.display_name)});
      for (const ir::User& u : idp.users) {
        std::string label = "user " + Q(u.login) + " of " + Q(idp.display_name);
        out.push_back({u.range, key + ":user:" + u.login, label});
        out.push_back({u.dn_range, key + ":user:" + u.login, label});
      }
    }
  }
  for (const ir::Keystore& k : p.keystores) {
    out.push_back({k.range, "keystore:" + k.name, "keystore " + Q(k.name)});
    for (const ir::KeystoreEntry& e : k.entries) {
      out.push_back({e.range, "keystore:" + k.name + ":alias:" + e.alias,
                     "keystore " + Q(k.name) + " alias " + Q(e.alias)});
    }
  }
  return out;
}

}  // namespace

// The entity of a diagnostic is the smallest entity whose source range holds its start.
std::vector<LintFinding> LintFindings(const ir::Program& program,
                                      const std::vector<diag::Diagnostic>& diagnostics) {
  std::vector<Candidate> candidates = Candidates(program);
  std::vector<LintFinding> findings;
  for (const diag::Diagnostic& d : diagnostics) {
    const diag::KindInfo& info = diag::Info(d.kind);
    if (!info.is_lint) continue;
    const Candidate* best = nullptr;
    for (const Candidate& c : candidates) {
      bool holds = c.range.valid() && c.range.file == d.range.file &&
                   c.range.begin <= d.range.begin &&
                   (d.range.begin < c.range.end || c.range.begin == d.range.begin);
      if (!holds) continue;
      if (best == nullptr || c.range.end - c.range.begin < best->range.end - best->range.begin) {
        best = &c;
      }
    }
    LintFinding f{std::string(info.id), std::string(diag::SeverityName(d.severity)),
                  best ? best->entity : "message:" + d.message, best ? best->label : "", d.message};
    findings.push_back(std::move(f));
  }
  std::sort(findings.begin(), findings.end());
  return findings;
}

}  // namespace trust::review
