#include "runtime/cli/program_docs.h"

namespace trust::cli {

ProgramDoc TrustcDoc(const std::string& version) {
  ProgramDoc doc;
  doc.version = version;
  doc.description =
      "trustc compiles .trust programs, which declare certificates, gateways, identity "
      "providers and keystores and who trusts what, into RESTMAN bundles, keystore manifests, "
      "DER certificates and a SHA256SUMS file. The same sources and flags give byte-identical "
      "artifacts.\n\n"
      "Diagnostics go to standard error, results to standard output. The standard library "
      "(std/ modules) is embedded in the binary; --stdlib reads it from a directory instead.\n\n"
      "Every command takes --help. trust-apply(1) applies the keystore manifests on the host "
      "that owns a keystore.";
  doc.exit_status = {
      {"0", "Success. For check and build: no errors (warnings do not count unless --werror)."},
      {"1",
       "The input has errors (a root file that cannot be read is one too), or, for fmt --check, "
       "some file is not formatted."},
      {"2", "Usage error: unknown flag, missing or invalid argument."},
  };
  doc.command_exit_status["diff"] = {
      {"0",
       "The programs are the same in trust terms (always 0 without --exit-code, unless "
       "there was trouble)."},
      {"1", "With --exit-code: the programs differ. Otherwise: an input error."},
      {"2", "Trouble: usage error, or with --exit-code any error."},
  };
  doc.environment = {
      {"SOURCE_DATE_EPOCH",
       "Build time for date rules, in seconds since the epoch, when --now is not given."},
      {"NO_COLOR", "When set, no colour is used, even on a terminal."},
      {"TRUSTC_CACHE_DIR",
       "Directory of the certificate facts cache; \"off\" disables it. Default: "
       "$XDG_CACHE_HOME/trustc, else ~/.cache/trustc."},
      {"TRUSTC_KEYSTORE_PASSWORD",
       "For import: the password of a --keystore that names no variable of its own."},
  };
  doc.see_also = {"trust-apply(1)"};
  return doc;
}

ProgramDoc TrustApplyDoc(const std::string& version) {
  ProgramDoc doc;
  doc.version = version;
  doc.description =
      "trust-apply makes the keystores on a host (JKS, PKCS#12, PEM bundles) match the keystore "
      "manifests that trustc build writes. It links nothing of the compiler and can be "
      "installed alone.\n\n"
      "plan and verify change nothing. apply checks everything first (manifests, certificates, "
      "passwords, locks, plans, endpoint probes) and writes nothing when any check fails. It "
      "then writes each keystore atomically (the old or the new file, never a torn one), keeps a "
      "backup unless --no-backup, and re-reads it: a keystore that does not read back as "
      "planned is restored. With several manifests, a keystore written and verified stays "
      "written when a later one fails; the error names the one that failed.\n\n"
      "apply never writes through a link it did not resolve itself: the keystore path is "
      "resolved once, and the lock, temporary file, backup and rename happen in that directory, "
      "refusing a store or lock replaced by a link meanwhile. It refuses a store with other "
      "hard links unless --allow-hardlinks, and, as root, a store whose directory (or a "
      "directory holding a link to it) another user can write unless --allow-shared-directory."
      "\n\n"
      "With --sums (and --verify-key) artifacts whose checksums or signature do not verify are "
      "refused; with --require-signature (or TRUST_APPLY_REQUIRE_SIGNATURE=1) artifacts are "
      "refused unless both verify. Without a verified signature apply prints one warning.";
  doc.exit_status = {
      {"0", "Success."},
      {"1",
       "Error, including usage errors. apply: no keystore was changed when the error came "
       "before writing; otherwise only the keystores reported as written were."},
      {"2", "For plan: changes are pending. For verify: the keystores have drifted."},
  };
  doc.command_exit_status["plan"] = {
      {"0", "Nothing to do."}, {"1", "Error."}, {"2", "Changes are pending."}};
  doc.command_exit_status["apply"] = {
      {"0", "Done (also when there was nothing to do)."},
      {"1",
       "Error. Nothing was changed when a check failed; when writing a keystore failed, that "
       "keystore is unchanged (or restored), and earlier keystores of the run stay written."}};
  doc.command_exit_status["verify"] = {
      {"0", "The keystores match the manifests."}, {"1", "Error."}, {"2", "Drift."}};
  doc.command_exit_status["list"] = {{"0", "Success."}, {"1", "Error."}};
  doc.environment = {
      {"store password variables",
       "A manifest's password {\"env\": \"VAR\"} reads the keystore password from the "
       "environment variable VAR; an unset or empty variable is an error. {\"file\": \"PATH\"} "
       "reads the first line of PATH (a regular file; an empty line is an error), where "
       "${env:NAME} placeholders are expanded. The password variable may not appear in "
       "${env:...} of a path or requireEndpoint. list reads it from --password-env or "
       "--password-file. Passwords never appear in any output."},
      {"TRUST_APPLY_REQUIRE_SIGNATURE",
       "When 1, plan, apply and verify behave as if --require-signature were given."},
      {"NO_COLOR", "When set, no colour is used, even on a terminal."},
  };
  doc.see_also = {"trustc(1)"};
  return doc;
}

}  // namespace trust::cli
