// `trustc check` and `trustc build`.
#include <iostream>

#include "compiler/artifacts/artifacts.h"
#include "compiler/driver/cli_support.h"

namespace trust::driver {
namespace {

// `--timings`: where the time went, on stderr (stdout stays the command's output).
void PrintTimings(const std::string& file, const source::PhaseTimes& times) {
  std::cerr << "timings for " << file << ":\n";
  times.Print(std::cerr);
}

int RunCheck(const std::vector<std::string>& files, const CommonFlags& flags, bool timings) {
  bool failed = false;
  for (const std::string& file : files) {
    source::PhaseTimes times;
    CompileOptions options = MakeOptions(file, flags);
    if (timings) options.timings = &times;
    std::unique_ptr<Compilation> compilation = Compile(options);
    bool file_failed = Report(*compilation, flags);
    failed = failed || file_failed;
    if (!flags.quiet && !file_failed) SummaryStream(flags) << Summary(file, *compilation) << "\n";
    if (timings) PrintTimings(file, times);
  }
  return failed ? 1 : 0;
}

struct BuildFlags {
  std::string file;
  std::string out_dir;
  std::string sign_key;
  bool timings = false;
};

// Compiles, then writes the artifacts one at a time into a staging directory that replaces the
// output directory only when every file is written.
int BuildWith(const BuildFlags& build, const CommonFlags& flags, const CompileOptions& options) {
  std::unique_ptr<Compilation> compilation = Compile(options);
  if (Report(*compilation, flags) || !compilation->program) return 1;
  // Lowering happens as the artifacts are written, one at a time: "write" includes it.
  std::string error;
  bool written = source::MeasurePhase(options.timings, "lower+write", [&] {
    return artifacts::WriteBuild(compilation->artifacts, build.out_dir, &error);
  });
  if (!written) {
    std::cerr << "trustc: error: " << error << "\n";
    return 1;
  }
  if (!flags.quiet) {
    SummaryStream(flags) << Summary(build.file, *compilation) << "; wrote "
                         << compilation->artifacts.size() << " files to " << build.out_dir << "\n";
  }
  return 0;
}

int RunBuild(const BuildFlags& build, const CommonFlags& flags) {
  source::PhaseTimes times;
  CompileOptions options = MakeOptions(build.file, flags);
  options.sign_key = build.sign_key;
  if (build.timings) options.timings = &times;
  int status = BuildWith(build, flags, options);
  if (build.timings) PrintTimings(build.file, times);
  return status;
}

}  // namespace

void AddCompileCommands(CLI::App& app, CommonFlags& flags, CommandTable& table) {
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* check = app.add_subcommand(
      "check",
      "Parse, resolve, load certificates, run every rule; write no artifacts (only the facts "
      "cache)");
  check->add_option("FILE", *files, "Root .trust files")->required();
  auto check_timings = std::make_shared<bool>(false);
  check->add_flag("--timings", *check_timings, "Print the time each phase took to stderr");
  AddCommonFlags(*check, flags);
  table.push_back(
      {check, [files, check_timings, &flags] { return RunCheck(*files, flags, *check_timings); }});

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
