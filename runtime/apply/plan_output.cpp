#include "runtime/apply/plan_output.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/digest.h"

namespace trust::apply {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026

// Characters, not bytes: subjects may be UTF-8.
size_t DisplayWidth(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string Pad(const std::string& text, size_t width) {
  size_t w = DisplayWidth(text);
  return text + std::string(width > w ? width - w : 0, ' ');
}

char Symbol(Action action) {
  switch (action) {
    case Action::kAdd:
      return '+';
    case Action::kUnchanged:
      return '=';
    case Action::kSkip:
      return '.';
    case Action::kReplace:
      return '~';
    case Action::kConflict:
      return '!';
    case Action::kRemove:
      return '-';
  }
  return '?';
}

std::string ActionName(Action action) {
  switch (action) {
    case Action::kAdd:
      return "add";
    case Action::kUnchanged:
      return "unchanged";
    case Action::kSkip:
      return "skip";
    case Action::kReplace:
      return "replace";
    case Action::kConflict:
      return "conflict";
    case Action::kRemove:
      return "remove";
  }
  return "?";
}

std::string Outcome(const EntryPlan& e) {
  switch (e.action) {
    case Action::kReplace:
      return "replace (was sha256 " + ShortSha(e.other_sha256) + ")";
    case Action::kSkip:
      return "already present as `" + e.other_alias + "`: skipped";
    case Action::kConflict:
      return "conflict: " + e.reason +
             (e.other_sha256.empty() ? "" : " (holds sha256 " + ShortSha(e.other_sha256) + ")");
    default:
      return ActionName(e.action);
  }
}

bool Shown(const EntryPlan& e, bool drift_only) {
  return !drift_only || (e.action != Action::kUnchanged && e.action != Action::kSkip);
}

std::string Summary(const KeystorePlan& plan) {
  std::string out = std::to_string(plan.Count(Action::kAdd)) + " to add, " +
                    std::to_string(plan.Count(Action::kReplace)) + " to replace, " +
                    std::to_string(plan.Count(Action::kRemove)) + " to remove, " +
                    std::to_string(plan.Count(Action::kUnchanged)) + " unchanged, " +
                    std::to_string(plan.Count(Action::kSkip)) + " skipped";
  int conflicts = plan.Count(Action::kConflict);
  if (conflicts > 0) {
    out += ", " + std::to_string(conflicts) + (conflicts == 1 ? " conflict" : " conflicts");
  }
  return out;
}

}  // namespace

std::string Printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c < 0x20 || c == 0x7f) {
      out += "\\x" + base::HexByte(c);
    } else if (c == 0xC2 && next >= 0x80 && next <= 0x9F) {
      out += "\\u00" + base::HexByte(next);
      ++i;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string ShortSha(const std::string& sha256) {
  if (sha256.size() < 8) {
    return sha256;
  }
  return sha256.substr(0, 4) + std::string(kEllipsis) + sha256.substr(sha256.size() - 2);
}

std::string RenderPlanText(const KeystorePlan& plan, bool drift_only) {
  std::string out = Printable(plan.keystore) + "  " + Printable(plan.path) + " (" +
                    std::string(keystore::StoreFormatName(plan.format)) +
                    (plan.create ? ", to be created" : "") + ")\n";
  size_t alias_width = 0;
  size_t subject_width = 0;
  for (const EntryPlan& e : plan.entries) {
    alias_width = std::max(alias_width, DisplayWidth(Printable(e.alias)));
    subject_width = std::max(subject_width, DisplayWidth(Printable(e.subject)));
  }
  const size_t sha_width = std::string("sha256 ").size() + 4 + 1 + 2;
  for (const EntryPlan& e : plan.entries) {
    if (!Shown(e, drift_only)) {
      continue;
    }
    std::string sha = e.sha256.empty() ? "" : "sha256 " + ShortSha(e.sha256);
    std::string line = "  " + std::string(1, Symbol(e.action)) + " " +
                       Pad(Printable(e.alias), alias_width) + "   " + Pad(sha, sha_width) + "  " +
                       Pad(Printable(e.subject), subject_width) + "  " + Printable(Outcome(e));
    out += line + "\n";
  }
  return out + Summary(plan) + "\n";
}

std::string RenderPlansJson(const std::vector<KeystorePlan>& plans, bool in_sync_field) {
  nlohmann::ordered_json root = {{"keystores", nlohmann::ordered_json::array()}};
  for (const KeystorePlan& plan : plans) {
    nlohmann::ordered_json ks = {{"keystore", plan.keystore},
                                 {"path", plan.path},
                                 {"format", std::string(keystore::StoreFormatName(plan.format))},
                                 {"create", plan.create}};
    if (in_sync_field) {
      ks["inSync"] = !plan.HasChanges() && !plan.HasConflicts();
    }
    ks["entries"] = nlohmann::ordered_json::array();
    for (const EntryPlan& e : plan.entries) {
      nlohmann::ordered_json entry = {{"action", ActionName(e.action)},
                                      {"alias", e.alias},
                                      {"sha256", e.sha256},
                                      {"subject", e.subject}};
      if (!e.other_sha256.empty()) {
        entry["previousSha256"] = e.other_sha256;
      }
      if (!e.other_alias.empty()) {
        entry["presentAs"] = e.other_alias;
      }
      if (!e.reason.empty()) {
        entry["reason"] = e.reason;
      }
      ks["entries"].push_back(entry);
    }
    ks["summary"] = {
        {"add", plan.Count(Action::kAdd)},       {"replace", plan.Count(Action::kReplace)},
        {"remove", plan.Count(Action::kRemove)}, {"unchanged", plan.Count(Action::kUnchanged)},
        {"skip", plan.Count(Action::kSkip)},     {"conflict", plan.Count(Action::kConflict)}};
    root["keystores"].push_back(ks);
  }
  return root.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace trust::apply
