// Renders plans as docs/runtime.md shows ("  + alias   sha256 5b0c…9e  CN=...   add") or as JSON.
#pragma once

#include <string>
#include <vector>

#include "runtime/apply/plan.h"

namespace trust::apply {

// One block per keystore: a header line, one line per entry, a summary line.
// `drift_only` (verify) leaves out unchanged and skipped entries.
std::string RenderPlanText(const KeystorePlan& plan, bool drift_only);

// {"keystores": [...]} with every entry's action, alias, digests and reasons.
std::string RenderPlansJson(const std::vector<KeystorePlan>& plans, bool in_sync_field);

// `text` safe for a terminal: control characters (C0, DEL, and C1 as UTF-8) become \xNN or
// \u00NN, so that an alias, subject or path read from a file cannot move the cursor, clear
// the screen or fake a line. Everything trust-apply prints as text goes through it.
std::string Printable(std::string_view text);

// "5b0c…9e": enough to recognise a digest in a line that a person reads.
std::string ShortSha(const std::string& sha256);

}  // namespace trust::apply
