// The four commands of trust-apply, each returning its exit code (cli.md): plan 0/2/1,
// apply 0/1, verify 0/2/1, list 0/1. Output goes to `out`, diagnostics to `err`.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace trust::apply {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitPending = 2;  // plan: changes pending; verify: drift

struct Options {
  std::vector<std::string> manifests;
  bool json = false;
  std::optional<std::string> sums;
  std::optional<std::string> verify_key;
  // Refuse to read artifacts unless --sums and --verify-key both verify them. The host default
  // comes from TRUST_APPLY_REQUIRE_SIGNATURE=1 (see RunCli).
  bool require_signature = false;
  std::string backup_dir;
  bool no_backup = false;
  int keep_backups = 0;  // keep only the newest N backups of each store; 0: keep all
  int timeout_seconds = 10;
  bool verbose = false;
  // apply writes a new file and renames it over the old name: other hard links keep the old
  // content. Without this flag a store with more than one link is refused.
  bool allow_hardlinks = false;
  // As root, a store whose directory (or a directory holding a link to it) another user can
  // write is refused: that user could swap names under us. This flag accepts the risk.
  bool allow_shared_directory = false;
};

struct ListOptions {
  std::string keystore;
  std::optional<std::string> format;  // jks|pkcs12|pem; default: detected
  std::optional<std::string> password_env;
  std::optional<std::string> password_file;
};

int RunPlan(const Options& options, std::ostream& out, std::ostream& err);
int RunApply(const Options& options, std::ostream& out, std::ostream& err);
int RunVerify(const Options& options, std::ostream& out, std::ostream& err);
int RunList(const ListOptions& options, std::ostream& out, std::ostream& err);

}  // namespace trust::apply
