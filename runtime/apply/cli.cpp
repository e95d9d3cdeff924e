#include "runtime/apply/cli.h"

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "base/version.h"
#include "runtime/apply/commands.h"
#include "runtime/apply/program_doc.h"

namespace trust::apply {
namespace {

void AddManifestOptions(CLI::App* cmd, Options* options, bool with_format, bool writes) {
  cmd->add_option("MANIFEST", options->manifests, "keystore manifest(s)")->required();
  cmd->add_option("--sums", options->sums, "refuse artifacts not matching this SHA256SUMS");
  cmd->add_option("--verify-key", options->verify_key,
                  "PEM public key: SHA256SUMS.sig must verify with it")
      ->needs("--sums");
  cmd->add_flag("--require-signature", options->require_signature,
                "refuse unless --sums and --verify-key verify the artifacts "
                "(default on when TRUST_APPLY_REQUIRE_SIGNATURE=1)");
  if (with_format) {
    cmd->add_option_function<std::string>(
           "--format", [options](const std::string& f) { options->json = f == "json"; },
           "output format")
        ->check(CLI::IsMember({"text", "json"}));
  }
  if (writes) {
    auto* dir = cmd->add_option("--backup-dir", options->backup_dir,
                                "where to keep NAME.bak-TIMESTAMP (default: beside it)");
    auto* no_backup =
        cmd->add_flag("--no-backup", options->no_backup, "do not keep a backup")->excludes(dir);
    cmd->add_option("--keep-backups", options->keep_backups,
                    "after a backup, delete all but the newest N of that store (default: keep all)")
        ->check(CLI::Range(1, 100000))
        ->excludes(no_backup);
    cmd->add_option("--timeout", options->timeout_seconds, "seconds for each requireEndpoint probe")
        ->check(CLI::Range(1, 3600));
    cmd->add_flag("-v,--verbose", options->verbose, "print the plan that was applied");
    cmd->add_flag("--allow-hardlinks", options->allow_hardlinks,
                  "write a store that has other hard links (they keep the old content)");
    cmd->add_flag("--allow-shared-directory", options->allow_shared_directory,
                  "as root, write a store in a directory another user can write");
  }
}

void AddListOptions(CLI::App* cmd, ListOptions* options) {
  cmd->add_option("KEYSTORE", options->keystore, "keystore file")->required();
  cmd->add_option("--format", options->format, "expected format (default: by content)")
      ->check(CLI::IsMember({"jks", "pkcs12", "pem"}));
  auto* env = cmd->add_option("--password-env", options->password_env,
                              "environment variable holding the store password");
  cmd->add_option("--password-file", options->password_file,
                  "file whose first line is the store password")
      ->excludes(env);
}

}  // namespace

int RunCli(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a TLS peer closing early must not kill us
  CLI::App app{"trust-apply: make keystores match trustc's keystore manifests", "trust-apply"};
  app.set_version_flag("--version", "trust-apply " TRUST_VERSION);
  app.require_subcommand(1);
  Options options;
  // A host that only applies signed builds says so once, in the environment of its runs.
  const char* required = std::getenv("TRUST_APPLY_REQUIRE_SIGNATURE");
  options.require_signature = required != nullptr && std::string_view(required) == "1";
  ListOptions list_options;
  auto* plan = app.add_subcommand("plan", "print what apply would do (exit 0 none, 2 pending)");
  auto* apply = app.add_subcommand("apply", "make the keystores match the manifests");
  auto* verify = app.add_subcommand("verify", "check that the keystores match (exit 2 on drift)");
  auto* list = app.add_subcommand("list", "list the entries of a keystore");
  AddManifestOptions(plan, &options, /*with_format=*/true, /*writes=*/false);
  AddManifestOptions(apply, &options, /*with_format=*/false, /*writes=*/true);
  AddManifestOptions(verify, &options, /*with_format=*/true, /*writes=*/false);
  AddListOptions(list, &list_options);
  // Hidden --help-man / --completion: keep right before parse, after every subcommand.
  if (int code = 0; cli::HandleDocRequest(app, cli::TrustApplyDoc(TRUST_VERSION), argc, argv,
                                          std::cout, std::cerr, &code)) {
    return code;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Usage errors exit 1: 2 already means "changes pending" / "drift".
    int code = app.exit(e);
    return code == 0 ? 0 : kExitError;
  }
  if (plan->parsed()) {
    return RunPlan(options, std::cout, std::cerr);
  }
  if (apply->parsed()) {
    return RunApply(options, std::cout, std::cerr);
  }
  if (verify->parsed()) {
    return RunVerify(options, std::cout, std::cerr);
  }
  return RunList(list_options, std::cout, std::cerr);
}

}  // namespace trust::apply
