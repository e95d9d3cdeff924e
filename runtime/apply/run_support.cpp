#include "runtime/apply/run_support.h"

#include "runtime/apply/plan_output.h"

namespace trust::apply {

void ReportError(std::ostream& err, const std::string& where, const std::string& message) {
  err << "trust-apply: error: " << Printable(where) << ": " << Printable(message) << "\n";
}

std::optional<std::vector<Job>> LoadJobs(const Options& options, bool warn_unverified,
                                         std::ostream& err) {
  std::string error;
  bool signed_artifacts = options.sums && options.verify_key;
  if (options.require_signature && !signed_artifacts) {
    ReportError(err, "--require-signature",
                "the artifacts must be verified: give --sums SHA256SUMS and --verify-key KEY");
    return std::nullopt;
  }
  if (warn_unverified && !signed_artifacts) {
    err << "trust-apply: warning: the artifacts were not verified (no --sums with "
           "--verify-key); --require-signature makes this an error\n";
  }
  std::optional<ArtifactReader> reader =
      ArtifactReader::Create(options.sums, options.verify_key, &error);
  if (!reader) {
    ReportError(err, options.sums.value_or("SHA256SUMS"), error);
    return std::nullopt;
  }
  std::vector<Job> jobs;
  for (const std::string& path : options.manifests) {
    std::optional<Job> job = LoadJob(path, *reader, &error);
    if (!job) {
      ReportError(err, path, error);
      return std::nullopt;
    }
    jobs.push_back(std::move(*job));
  }
  return jobs;
}

}  // namespace trust::apply
