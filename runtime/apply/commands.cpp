// plan and verify: read-only, no lock (a rename is atomic, so a reader sees the old or the
// new file). list: one keystore, any format.
#include "runtime/apply/commands.h"

#include <algorithm>

#include "runtime/apply/job.h"
#include "runtime/apply/plan_output.h"
#include "runtime/apply/run_support.h"

namespace trust::apply {
namespace {

struct Planned {
  std::vector<KeystorePlan> plans;
  bool failed = false;
};

// Plans every job; errors are reported and counted, the other keystores still planned.
Planned PlanAll(const std::vector<Job>& jobs, std::ostream& err) {
  Planned result;
  for (const Job& job : jobs) {
    std::string error;
    std::string original;
    std::unique_ptr<keystore::Keystore> store = OpenStore(job, &original, &error);
    if (!store) {
      ReportError(err, job.manifest_path, error);
      result.failed = true;
      continue;
    }
    result.plans.push_back(
        ComputePlan(job.manifest, job.path, job.entries, *store, !job.target.exists));
  }
  return result;
}

bool ReportConflicts(const std::vector<KeystorePlan>& plans, std::ostream& err) {
  bool any = false;
  for (const KeystorePlan& plan : plans) {
    for (const EntryPlan& e : plan.entries) {
      if (e.action == Action::kConflict) {
        ReportError(err, plan.keystore, "alias `" + e.alias + "`: " + e.reason);
        any = true;
      }
    }
  }
  return any;
}

int PlanOrVerify(const Options& options, bool verify, std::ostream& out, std::ostream& err) {
  std::optional<std::vector<Job>> jobs = LoadJobs(options, /*warn_unverified=*/false, err);
  if (!jobs) {
    return kExitError;
  }
  Planned planned = PlanAll(*jobs, err);
  if (options.json) {
    out << RenderPlansJson(planned.plans, verify);
  } else {
    for (const KeystorePlan& plan : planned.plans) {
      bool in_sync = !plan.HasChanges() && !plan.HasConflicts();
      if (verify && in_sync) {
        out << Printable(plan.keystore) << "  " << Printable(plan.path) << " ("
            << keystore::StoreFormatName(plan.format) << "): in sync\n";
      } else {
        out << RenderPlanText(plan, verify);
      }
    }
  }
  bool conflicts = ReportConflicts(planned.plans, err);
  if (planned.failed || conflicts) {
    return kExitError;
  }
  bool pending = std::any_of(planned.plans.begin(), planned.plans.end(),
                             [](const KeystorePlan& p) { return p.HasChanges(); });
  return pending ? kExitPending : kExitOk;
}

}  // namespace

int RunPlan(const Options& options, std::ostream& out, std::ostream& err) {
  return PlanOrVerify(options, /*verify=*/false, out, err);
}

int RunVerify(const Options& options, std::ostream& out, std::ostream& err) {
  return PlanOrVerify(options, /*verify=*/true, out, err);
}

}  // namespace trust::apply
