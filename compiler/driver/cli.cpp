#include "compiler/driver/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <ctime>
#include <iostream>

#include "compiler/artifacts/artifacts.h"
#include "compiler/diag/render.h"
#include "compiler/driver/pipeline.h"

#ifndef TRUSTC_VERSION
#define TRUSTC_VERSION "0.0.0"
#endif

namespace trust::driver {
namespace {

struct CommonFlags {
  std::vector<std::string> defines;
  std::string stdlib_dir;
  bool allow_outside_root = false;
  std::string now;
  bool werror = false;
  std::string diagnostics_format = "text";
  bool quiet = false;
};

struct UsageError {
  std::string message;
};

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

// Applies --werror and --quiet, prints the diagnostics, and says whether the input failed.
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

int RunCheck(const std::vector<std::string>& files, const CommonFlags& flags) {
  bool failed = false;
  for (const std::string& file : files) {
    std::unique_ptr<Compilation> compilation = Compile(MakeOptions(file, flags));
    bool file_failed = Report(*compilation, flags);
    failed = failed || file_failed;
    if (!flags.quiet && !file_failed) std::cout << Summary(file, *compilation) << "\n";
  }
  return failed ? 1 : 0;
}

struct BuildFlags {
  std::string file;
  std::string out_dir;
  std::string sign_key;
};

// check, then lower everything and write the artifact directory all at once.
int RunBuild(const BuildFlags& build, const CommonFlags& flags) {
  std::unique_ptr<Compilation> compilation = Compile(MakeOptions(build.file, flags));
  if (Report(*compilation, flags) || !compilation->program) return 1;
  std::string generator = std::string("trustc ") + TRUSTC_VERSION;
  artifacts::ArtifactSet files = artifacts::Collect(*compilation->program, generator);
  std::string error;
  if (!build.sign_key.empty()) {
    auto signature = artifacts::Sign(files["SHA256SUMS"], build.sign_key, &error);
    if (!signature) {
      std::cerr << "trustc: error: " << error << "\n";
      return 1;
    }
    files["SHA256SUMS.sig"] = *signature;
  }
  if (!artifacts::WriteAtomically(files, build.out_dir, &error)) {
    std::cerr << "trustc: error: " << error << "\n";
    return 1;
  }
  if (!flags.quiet) {
    std::cout << Summary(build.file, *compilation) << "; wrote " << files.size() << " files to "
              << build.out_dir << "\n";
  }
  return 0;
}

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App app{"trustc: a policy-as-code compiler for certificate trust", "trustc"};
  app.set_version_flag("--version", std::string("trustc ") + TRUSTC_VERSION);
  app.require_subcommand(1);

  CommonFlags flags;
  std::vector<std::string> check_files;
  CLI::App* check = app.add_subcommand("check", "Parse, resolve, load certificates, run every rule; write nothing");
  check->add_option("FILE", check_files, "Root .trust files")->required();
  AddCommonFlags(*check, flags);

  BuildFlags build_flags;
  CLI::App* build = app.add_subcommand("build", "Check, then write bundles, manifests, certificates and checksums");
  build->add_option("FILE", build_flags.file, "Root .trust file")->required();
  build->add_option("-o,--output", build_flags.out_dir, "Artifact directory (replaced as a whole)")
      ->required();
  build->add_option("--sign-key", build_flags.sign_key,
                    "PEM RSA or EC private key: also write SHA256SUMS.sig");
  AddCommonFlags(*build, flags);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  try {
    if (check->parsed()) return RunCheck(check_files, flags);
    if (build->parsed()) return RunBuild(build_flags, flags);
  } catch (const UsageError& e) {
    std::cerr << "trustc: error: " << e.message << "\n";
    return 2;
  }
  return 2;
}

}  // namespace trust::driver
