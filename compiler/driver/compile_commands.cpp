// `trustc check` and `trustc build`.
#include <iostream>

#include "compiler/artifacts/artifacts.h"
#include "compiler/driver/cli_support.h"

namespace trust::driver {
namespace {

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

void AddCompileCommands(CLI::App& app, CommonFlags& flags, CommandTable& table) {
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* check = app.add_subcommand(
      "check", "Parse, resolve, load certificates, run every rule; write nothing");
  check->add_option("FILE", *files, "Root .trust files")->required();
  AddCommonFlags(*check, flags);
  table.push_back({check, [files, &flags] { return RunCheck(*files, flags); }});

  auto build_flags = std::make_shared<BuildFlags>();
  CLI::App* build = app.add_subcommand(
      "build", "Check, then write bundles, manifests, certificates and checksums");
  build->add_option("FILE", build_flags->file, "Root .trust file")->required();
  build->add_option("-o,--output", build_flags->out_dir, "Artifact directory (replaced as a whole)")
      ->required();
  build->add_option("--sign-key", build_flags->sign_key,
                    "PEM RSA or EC private key: also write SHA256SUMS.sig");
  AddCommonFlags(*build, flags);
  table.push_back({build, [build_flags, &flags] { return RunBuild(*build_flags, flags); }});
}

}  // namespace trust::driver
