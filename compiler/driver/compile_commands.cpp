// `trustc check` and `trustc build`.
#include <iostream>

#include "base/version.h"
#include "compiler/artifacts/artifacts.h"
#include "compiler/driver/cli_support.h"
#include "compiler/driver/up_to_date.h"

namespace trust::driver {
namespace {

// `--timings`: where the time went, on stderr (stdout stays the command's output).
void PrintTimings(const std::string& file, const source::PhaseTimes& times) {
  std::cerr << "timings for " << file << ":\n";
  times.Print(std::cerr);
}

struct CheckFlags {
  std::vector<std::string> files;
  bool timings = false;
  bool no_baseline = false;
};

int RunCheck(const CheckFlags& check, const CommonFlags& flags) {
  bool failed = false;
  for (const std::string& file : check.files) {
    source::PhaseTimes times;
    CompileOptions options = MakeOptions(file, flags);
    if (check.timings) options.timings = &times;
    options.no_baseline = check.no_baseline;
    options.release_syntax_trees = true;
    std::unique_ptr<Compilation> compilation = Compile(options);
    bool file_failed = Report(*compilation, flags);
    failed = failed || file_failed;
    if (!flags.quiet && !file_failed) SummaryStream(flags) << Summary(file, *compilation) << "\n";
    if (check.timings) PrintTimings(file, times);
  }
  return failed ? 1 : 0;
}

struct BuildFlags {
  std::string file;
  std::string out_dir;
  std::string sign_key;
  bool timings = false;
};

// When the output directory is up to date (driver/up_to_date.h), says so and returns true. Only
// for text diagnostics: JSON and SARIF consumers get every note of a full build. Certificate
// files it read go to `read_ahead`, for the build when there is one.
bool KeepUpToDate(const BuildFlags& build, const CommonFlags& flags, const CompileOptions& options,
                  sema::CertificateBytesReadAhead* read_ahead) {
  if (flags.diagnostics_format != "text") return false;
  auto check = [&] { return KeptUpToDate(options, build.out_dir, read_ahead); };
  std::optional<KeptBuild> kept =
      options.timings ? options.timings->Measure("up-to-date check", check) : check();
  if (!kept || flags.quiet) return kept.has_value();
  SummaryStream(flags) << build.file << ": 0 error(s), 0 warning(s), " << kept->notes
                       << " note(s); " << build.out_dir << " is up to date (the " << kept->artifacts
                       << " files SHA256SUMS lists were made from the same inputs"
                       << (kept->notes > 0 ? "; `trustc check` shows the notes" : "") << ")\n";
  return true;
}

// Compiles, then writes the artifacts one at a time into a staging directory that replaces the
// output directory only when every file is written.
int BuildWith(const BuildFlags& build, const CommonFlags& flags, CompileOptions options) {
  sema::CertificateBytesReadAhead read_ahead;
  if (KeepUpToDate(build, flags, options, &read_ahead)) return 0;
  options.read_ahead = &read_ahead;
  // What of the previous build may be reused is checked while the program compiles.
  artifacts::PreviousBuildCheck previous(build.out_dir);
  std::unique_ptr<Compilation> compilation = Compile(options);
  read_ahead = {};  // what loading did not take
  if (Report(*compilation, flags) || !compilation->program) return 1;
  // Lowering happens as the artifacts are written, one at a time: "lower+write" includes it.
  std::string error;
  artifacts::BuildStats stats;
  bool written = artifacts::WriteBuild(
      compilation->artifacts, build.out_dir, &stats, options.timings, &error,
      [&] { return MakeBuildRecord(*compilation, options); }, &previous);
  for (const std::string& note : stats.notes) std::cerr << "trustc: note: " << note << "\n";
  if (!written) {
    std::cerr << "trustc: error: " << error << "\n";
    return 1;
  }
  if (!flags.quiet) {
    SummaryStream(flags) << Summary(build.file, *compilation) << "; wrote "
                         << compilation->artifacts.size() << " files to " << build.out_dir;
    if (stats.reused > 0) {
      SummaryStream(flags) << " (" << stats.reused << " unchanged, kept from the previous build)";
    }
    SummaryStream(flags) << "\n";
  }
  return 0;
}

int RunBuild(const BuildFlags& build, const CommonFlags& flags) {
  source::PhaseTimes times;
  CompileOptions options = MakeOptions(build.file, flags);
  options.sign_key = build.sign_key;
  options.release_syntax_trees = true;  // lowering reads only the IR
  options.list_artifacts = true;
  if (build.timings) options.timings = &times;
  int status = BuildWith(build, flags, options);
  if (build.timings) PrintTimings(build.file, times);
  return status;
}

}  // namespace

void AddCompileCommands(CLI::App& app, CommonFlags& flags, CommandTable& table) {
  auto check_flags = std::make_shared<CheckFlags>();
  CLI::App* check = app.add_subcommand(
      "check",
      "Parse, resolve, load certificates, run every rule; write no artifacts (only the facts "
      "cache)");
  check->add_option("FILE", check_flags->files, "Root .trust files")->required();
  check->add_flag("--timings", check_flags->timings, "Print the time each phase took to stderr");
  // Only check: waivers never change an artifact, and build must keep deploying the estate
  // that the baseline accepted.
  check->add_flag("--no-baseline", check_flags->no_baseline,
                  "Ignore the waivers of `trustc import`'s baseline (reason \"" +
                      std::string(ir::kBaselineReason) + "\"): report their findings again");
  AddCommonFlags(*check, flags);
  table.push_back({check, [check_flags, &flags] { return RunCheck(*check_flags, flags); }});

  auto build_flags = std::make_shared<BuildFlags>();
  CLI::App* build = app.add_subcommand(
      "build", "Check, then write bundles, manifests, certificates and checksums");
  build->add_option("FILE", build_flags->file, "Root .trust file")->required();
  build->add_option("-o,--output", build_flags->out_dir, "Artifact directory (replaced as a whole)")
      ->required();
  build->add_option("--sign-key", build_flags->sign_key,
                    "PEM RSA or EC private key: also write SHA256SUMS.sig");
  build->add_flag("--timings", build_flags->timings, "Print the time each phase took to stderr");
  AddCommonFlags(*build, flags);
  table.push_back({build, [build_flags, &flags] { return RunBuild(*build_flags, flags); }});
}

}  // namespace trust::driver
