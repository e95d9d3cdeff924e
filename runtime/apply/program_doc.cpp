#include "runtime/apply/program_doc.h"

namespace trust::cli {

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
