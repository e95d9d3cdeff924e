#include "compiler/driver/options.h"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <ctime>
#include <string_view>

namespace trust::driver {
namespace {

// Two ASCII digits at `text[at]`, or nothing: --now is user input, so no std::sto* (which
// throws) and no sscanf (which accepts signs and spaces).
std::optional<int> TwoDigits(std::string_view text, size_t at) {
  if (at + 2 > text.size() || !std::isdigit(static_cast<unsigned char>(text[at])) ||
      !std::isdigit(static_cast<unsigned char>(text[at + 1]))) {
    return std::nullopt;
  }
  return (text[at] - '0') * 10 + (text[at + 1] - '0');
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// "2027-01-01T00:00:00Z" or with a "+hh:mm"/"-hh:mm" offset. Every field is range-checked:
// timegm would silently turn month 13 or hour 99 into another date.
std::optional<int64_t> ParseRfc3339(std::string_view text) {
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  auto century = TwoDigits(text, 0), year2 = TwoDigits(text, 2), month = TwoDigits(text, 5),
       day = TwoDigits(text, 8), hour = TwoDigits(text, 11), minute = TwoDigits(text, 14),
       second = TwoDigits(text, 17);
  if (!century || !year2 || !month || !day || !hour || !minute || !second) return std::nullopt;
  int year = *century * 100 + *year2;
  if (*month < 1 || *month > 12 || *day < 1 || *day > DaysInMonth(year, *month) || *hour > 23 ||
      *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  std::string_view zone = text.substr(19);
  int64_t offset = 0;
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    auto zone_hours = TwoDigits(zone, 1), zone_minutes = TwoDigits(zone, 4);
    if (!zone_hours || !zone_minutes || *zone_hours > 23 || *zone_minutes > 59) {
      return std::nullopt;
    }
    offset = (*zone_hours * 60 + *zone_minutes) * 60;
    if (zone[0] == '-') offset = -offset;
  } else if (zone != "Z" && zone != "z") {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = *month - 1;
  tm.tm_mday = *day;
  tm.tm_hour = *hour;
  tm.tm_min = *minute;
  tm.tm_sec = *second;
  return static_cast<int64_t>(timegm(&tm)) - offset;
}

int64_t BuildTime(const CommonFlags& flags) {
  if (!flags.now.empty()) {
    if (auto t = ParseRfc3339(flags.now)) return *t;
    throw UsageError{"--now: expected RFC 3339 such as 2027-01-01T00:00:00Z, got " + flags.now};
  }
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch) {
    std::string_view text = epoch;
    int64_t seconds = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (error != std::errc() || end != text.data() + text.size()) {
      throw UsageError{"SOURCE_DATE_EPOCH is not a number of seconds"};
    }
    return seconds;
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

std::vector<diag::Diagnostic> ShownDiagnostics(const Compilation& compilation,
                                               const CommonFlags& flags) {
  std::vector<diag::Diagnostic> shown;
  for (diag::Diagnostic d : compilation.emitter.diagnostics()) {
    if (flags.werror && d.severity == diag::Severity::Warning) d.severity = diag::Severity::Error;
    if (flags.quiet && d.severity != diag::Severity::Error) continue;
    shown.push_back(std::move(d));
  }
  return shown;
}

}  // namespace trust::driver
