#include "compiler/driver/program_doc.h"

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

}  // namespace trust::cli
