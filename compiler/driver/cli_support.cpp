#include "compiler/driver/cli_support.h"

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <iostream>

#include "compiler/diag/render.h"

namespace trust::driver {
namespace {

// "2027-01-01T00:00:00Z" or with a "+hh:mm"/"-hh:mm" offset.
std::optional<int64_t> ParseRfc3339(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
             &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  std::string zone = text.substr(static_cast<size_t>(consumed));
  int64_t offset = 0;
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    offset = (std::stoi(zone.substr(1, 2)) * 60 + std::stoi(zone.substr(4, 2))) * 60;
    if (zone[0] == '-') offset = -offset;
  } else if (zone != "Z" && zone != "z") {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm)) - offset;
}

int64_t BuildTime(const CommonFlags& flags) {
  if (!flags.now.empty()) {
    if (auto t = ParseRfc3339(flags.now)) return *t;
    throw UsageError{"--now: expected RFC 3339 such as 2027-01-01T00:00:00Z, got " + flags.now};
  }
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch) {
    try {
      return std::stoll(epoch);
    } catch (...) {
      throw UsageError{"SOURCE_DATE_EPOCH is not a number of seconds"};
    }
  }
  return static_cast<int64_t>(std::time(nullptr));
}

}  // namespace

void AddCommonFlags(CLI::App& command, CommonFlags& flags) {
  command.add_option("-D", flags.defines, "Set a param: -D NAME=VALUE (repeatable)");
  command.add_option("--stdlib", flags.stdlib_dir, "Read std/ modules from DIR");
  command.add_flag("--allow-outside-root", flags.allow_outside_root,
                   "Allow paths outside the root file's directory");
  command.add_option("--now", flags.now,
                     "Build time for date rules, RFC 3339 (default: SOURCE_DATE_EPOCH or now)");
  command.add_flag("--werror", flags.werror, "Treat warnings as errors");
  command.add_option("--diagnostics-format", flags.diagnostics_format, "text, json or sarif")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  command.add_flag("-q,--quiet", flags.quiet, "Print errors only");
}

CompileOptions MakeOptions(const std::string& file, const CommonFlags& flags) {
  CompileOptions options;
  options.root_path = file;
  for (const std::string& define : flags.defines) {
    size_t eq = define.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw UsageError{"-D " + define + ": expected NAME=VALUE"};
    }
    options.defines[define.substr(0, eq)] = define.substr(eq + 1);
  }
  if (!flags.stdlib_dir.empty()) options.stdlib_dir = flags.stdlib_dir;
  options.allow_outside_root = flags.allow_outside_root;
  options.build_time = BuildTime(flags);
  return options;
}

bool Report(const Compilation& compilation, const CommonFlags& flags) {
  std::vector<diag::Diagnostic> shown;
  for (diag::Diagnostic d : compilation.emitter.diagnostics()) {
    if (flags.werror && d.severity == diag::Severity::Warning) d.severity = diag::Severity::Error;
    if (flags.quiet && d.severity != diag::Severity::Error) continue;
    shown.push_back(std::move(d));
  }
  diag::RenderOptions options;
  options.color = isatty(STDERR_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
  options.tool_version = TRUSTC_VERSION;
  if (flags.diagnostics_format == "json") {
    std::cerr << diag::RenderJson(shown, compilation.sources);
  } else if (flags.diagnostics_format == "sarif") {
    std::cerr << diag::RenderSarif(shown, compilation.sources, options);
  } else {
    std::cerr << diag::RenderText(shown, compilation.sources, options);
  }
  return std::any_of(shown.begin(), shown.end(),
                     [](const auto& d) { return d.severity == diag::Severity::Error; });
}

std::string Summary(const std::string& file, const Compilation& compilation) {
  int errors = 0, warnings = 0, notes = 0;
  for (const auto& d : compilation.emitter.diagnostics()) {
    (d.severity == diag::Severity::Error     ? errors
     : d.severity == diag::Severity::Warning ? warnings
                                             : notes)++;
  }
  return file + ": " + std::to_string(errors) + " error(s), " + std::to_string(warnings) +
         " warning(s), " + std::to_string(notes) + " note(s)";
}

}  // namespace trust::driver
