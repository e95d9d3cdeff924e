// `trustc diff`: a semantic diff of two resolved programs, in trust terms.
//
// Invariants established: changes are grouped per component (gateway, keystore, policy) in name
// order, and inside a component in a fixed order of kinds, then entity; the same two programs
// always give the same result. Gateway trusts are matched by entity name (same entity, new
// sha256 = rotation), then by sha256 (same certificate, new entity name = rename on the
// gateway); keystore entries by alias, then by sha256 (re-aliased). Identity providers are
// matched by their name on the gateway, users by login.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/artifacts/artifacts.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/ir/ir.h"
#include "compiler/source/source.h"

namespace trust::review {

// A lint diagnostic tied to the entity it is about, so that findings of two versions of a
// program compare by (id, entity) whatever lines moved.
struct LintFinding {
  std::string id;
  std::string severity;
  std::string entity;  // stable key: "cert:SHA256", "gateway:G:trust:ENTITY", ...
  std::string label;   // for humans: "certificate `Endpoint CA`"
  std::string message;
  auto operator<=>(const LintFinding& other) const {
    return std::tie(id, entity) <=> std::tie(other.id, other.entity);
  }
  bool operator==(const LintFinding& other) const {
    return id == other.id && entity == other.entity;
  }
};

std::vector<LintFinding> LintFindings(const ir::Program& program,
                                      const std::vector<diag::Diagnostic>& diagnostics);

enum class Op { kAdded, kRemoved, kChanged };

struct Change {
  Op op = Op::kChanged;
  std::string kind;          // stable, see docs/review.md: "trust_added", "cert_rotated", ...
  std::string entity;        // what changed inside the component: a certificate, user, alias, field
  std::string message;       // one sentence in trust terms, names in backticks
  nlohmann::json old_value;  // null when not applicable
  nlohmann::json new_value;
};

struct Component {
  std::string kind;  // "gateway", "keystore" or "policy"
  std::string name;
  std::string status;  // "added", "removed" or "changed"
  std::vector<Change> changes;
};

struct DiffResult {
  std::string old_label;
  std::string new_label;
  std::vector<Component> components;
  std::vector<LintFinding> lint_appeared;
  std::vector<LintFinding> lint_disappeared;
  // Artifacts whose bytes differ although no trust changed (e.g. a moved certificate file).
  std::vector<std::string> other_artifacts;
  bool Same() const {
    return components.empty() && lint_appeared.empty() && lint_disappeared.empty() &&
           other_artifacts.empty();
  }
  size_t ChangeCount() const;
};

struct DiffInput {
  ir::Program* program;
  std::vector<LintFinding> lint;
  std::string label;  // the path or git:REV:path as given
  // The program's artifacts (driver::Compilation::artifacts), made lazily from `program`.
  const std::vector<artifacts::Artifact>* artifacts;
};

// When `old` and `new` produce byte-identical artifacts, only lint changes are reported: a pure
// rename or reformatting is no change. The old program is lowered under the new one's root
// file name (and given its own back after).
DiffResult Diff(const DiffInput& old_side, const DiffInput& new_side);

std::string RenderText(const DiffResult& result, bool color);
std::string RenderMarkdown(const DiffResult& result);
nlohmann::json RenderJson(const DiffResult& result);

}  // namespace trust::review
