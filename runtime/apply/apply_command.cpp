// apply: every precondition for every keystore first (manifests, certificates, passwords,
// locks, plans without conflicts, endpoint probes), then the writes. Locks are taken in
// path order so two runs over the same keystores cannot deadlock, and held until the end.
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "runtime/apply/commands.h"
#include "runtime/apply/endpoint.h"
#include "runtime/apply/job.h"
#include "runtime/apply/plan_output.h"
#include "runtime/apply/run_support.h"

namespace trust::apply {
namespace {

struct Prepared {
  Job* job = nullptr;
  std::unique_ptr<keystore::Keystore> store;
  std::string original;  // the file's bytes before ("" when it is created)
  std::vector<keystore::EntryInfo> before;
  KeystorePlan plan;
};

// Who besides root can write `dir`, or "" when nobody: its owner, its group, or everyone.
std::string OtherWriters(const struct stat& dir) {
  auto user = [](uid_t uid) {
    const passwd* pw = getpwuid(uid);
    return pw != nullptr ? std::string(pw->pw_name) : "uid " + std::to_string(uid);
  };
  if ((dir.st_mode & S_IWOTH) != 0) {
    return "everyone (owner " + user(dir.st_uid) + ")";
  }
  if (dir.st_uid != 0) {
    return "its owner " + user(dir.st_uid);
  }
  if ((dir.st_mode & S_IWGRP) != 0 && dir.st_gid != 0) {
    const group* gr = getgrgid(dir.st_gid);
    return "group " + (gr != nullptr ? std::string(gr->gr_name) : std::to_string(dir.st_gid));
  }
  return "";
}

// As root, another user who can write the store's directory (or one holding a link to it)
// could swap names between our checks: refused unless the operator says otherwise.
bool CheckNotShared(const Target& target, std::string* error) {
  std::vector<std::pair<std::string, struct stat>> dirs(1);
  dirs[0].first = target.dir;
  if (fstat(target.dir_fd->get(), &dirs[0].second) != 0) {
    *error = "cannot inspect the directory " + target.dir;
    return false;
  }
  for (const std::string& dir : target.link_dirs) {
    struct stat st {};
    if (stat(dir.c_str(), &st) != 0) {
      *error = "cannot inspect the directory " + dir;
      return false;
    }
    dirs.emplace_back(dir, st);
  }
  for (const auto& [dir, st] : dirs) {
    std::string writers = OtherWriters(st);
    if (!writers.empty()) {
      *error = "running as root, and the directory " + dir + " is writable by " + writers +
               "; refusing to write there (--allow-shared-directory accepts that)";
      return false;
    }
  }
  return true;
}

// What apply refuses to write even though it could: checked on the target as it is under the
// lock.
bool CheckWritable(const Target& target, const Options& options, std::string* error) {
  if (target.exists && target.st.st_nlink > 1 && !options.allow_hardlinks) {
    *error = target.resolved + " has " + std::to_string(target.st.st_nlink) +
             " hard links; a write replaces this name only and the others would keep the old "
             "content (--allow-hardlinks accepts that)";
    return false;
  }
  return geteuid() != 0 || options.allow_shared_directory || CheckNotShared(target, error);
}

// Under the lock, the manifest's path must still lead to the directory and name that were
// locked; then the name is looked at again (it may have appeared or vanished meanwhile).
bool Recheck(const Job& job, Target* target, std::string* error) {
  std::optional<Target> fresh = ResolveTarget(job.path, error);
  if (!fresh) {
    return false;
  }
  struct stat locked_dir {};
  struct stat dir_now {};
  bool same_dir = fstat(target->dir_fd->get(), &locked_dir) == 0 &&
                  stat(fresh->dir.c_str(), &dir_now) == 0 && locked_dir.st_dev == dir_now.st_dev &&
                  locked_dir.st_ino == dir_now.st_ino;
  if (fresh->resolved != target->resolved || !same_dir) {
    *error = job.path + " now resolves to " + fresh->resolved + ", not the locked " +
             target->resolved + "; nothing was written";
    return false;
  }
  target->link_dirs = fresh->link_dirs;
  return StatInDir(target, error);
}

bool LockAll(std::vector<Job>& jobs, const Options& options, std::vector<FileLock>* locks,
             std::ostream& err) {
  std::vector<Job*> order;
  for (Job& job : jobs) {
    order.push_back(&job);
  }
  std::sort(order.begin(), order.end(),
            [](const Job* a, const Job* b) { return a->target.resolved < b->target.resolved; });
  for (size_t i = 0; i < order.size(); ++i) {
    Job& job = *order[i];
    if (i > 0 && job.target.resolved == order[i - 1]->target.resolved) {
      ReportError(err, job.manifest_path,
                  "names the same keystore as " + order[i - 1]->manifest_path);
      return false;
    }
    std::string error;
    TestPausePoint("lock-wait");  // as if another run held the lock: the path may change now
    std::optional<FileLock> lock = FileLock::Acquire(job.target, &error);
    if (!lock || !Recheck(job, &job.target, &error) ||
        !CheckWritable(job.target, options, &error)) {
      ReportError(err, job.manifest_path, error);
      return false;
    }
    locks->push_back(std::move(*lock));
    RemoveStaleTemps(job.target);  // left by a killed run; we hold the lock
  }
  TestPausePoint("locked");
  return true;
}

bool PrepareOne(Job& job, Prepared* out, std::ostream& err) {
  std::string error;
  out->job = &job;
  out->store = OpenStore(job, &out->original, &error);
  if (!out->store) {
    ReportError(err, job.manifest_path, error);
    return false;
  }
  out->before = out->store->List();
  out->plan = ComputePlan(job.manifest, job.path, job.entries, *out->store, !job.target.exists);
  bool ok = true;
  for (const EntryPlan& e : out->plan.entries) {
    if (e.action == Action::kConflict) {
      ReportError(err, job.manifest.keystore, "alias `" + e.alias + "`: " + e.reason);
      ok = false;
    }
  }
  return ok;
}

std::string DescribeChain(const std::vector<PresentedCert>& chain) {
  if (chain.empty()) {
    return "no certificate";
  }
  std::string out;
  for (const PresentedCert& c : chain) {
    out += (out.empty() ? "" : "; ") + (c.subject.empty() ? "?" : c.subject) + " (sha256 " +
           c.sha256 + ")";
  }
  return out;
}

bool ProbeAll(const std::vector<Prepared>& prepared, int timeout, std::ostream& err) {
  bool ok = true;
  for (const Prepared& p : prepared) {
    for (const EntryPlan& e : p.plan.entries) {
      bool pending = e.action == Action::kAdd || e.action == Action::kReplace;
      if (!pending || !e.source->endpoint) {
        continue;
      }
      std::string error;
      auto chain = ProbeEndpoint(*e.source->endpoint, timeout, &error);
      std::string where =
          p.plan.keystore + ": alias `" + e.alias + "`: requireEndpoint " + *e.source->endpoint;
      if (!chain) {
        ReportError(err, where, error);
        ok = false;
      } else if (std::none_of(chain->begin(), chain->end(),
                              [&](const PresentedCert& c) { return c.sha256 == e.sha256; })) {
        ReportError(err, where, "presents " + DescribeChain(*chain) + ", not sha256 " + e.sha256);
        ok = false;
      }
    }
  }
  return ok;
}

// Puts the old bytes back (or removes a file we created) after a failed verification.
void Restore(const Prepared& p, const Target& written, const WriteOptions& options,
             std::ostream& err) {
  std::string error;
  if (!p.job->target.exists) {
    RemoveCreated(written, written.st);
    return;
  }
  WriteOptions no_backup = options;
  no_backup.backup = false;
  if (!WriteAtomically(written, p.original, no_backup, &error)) {
    ReportError(err, p.job->path, "cannot restore the old keystore: " + error);
  }
}

bool ReadBackAndVerify(const Prepared& p, const Target& written, std::string* error) {
  std::optional<std::string> bytes = ReadTarget(written, kMaxFileBytes, error);
  const keystore::Secret* password = p.job->password ? &*p.job->password : nullptr;
  std::unique_ptr<keystore::Keystore> reread =
      bytes ? OpenAs(*bytes, p.job->manifest.format, password, error) : nullptr;
  return reread && VerifyResult(p.plan, p.before, *reread, error);
}

std::string SummaryLine(const Prepared& p, const std::string& backup) {
  const KeystorePlan& plan = p.plan;
  if (!plan.HasChanges()) {
    return plan.keystore + ": nothing to do (" + std::to_string(plan.Count(Action::kUnchanged)) +
           " unchanged, " + std::to_string(plan.Count(Action::kSkip)) + " skipped)";
  }
  return plan.keystore + ": " + std::to_string(plan.Count(Action::kAdd)) + " added, " +
         std::to_string(plan.Count(Action::kReplace)) + " replaced, " +
         std::to_string(plan.Count(Action::kRemove)) + " removed, " +
         std::to_string(plan.Count(Action::kUnchanged)) + " unchanged, " +
         std::to_string(plan.Count(Action::kSkip)) + " skipped" +
         (backup.empty() ? "" : "; backup " + backup);
}

bool WriteOne(Prepared& p, const WriteOptions& options, std::string* backup, std::ostream& err) {
  std::string error;
  std::optional<std::string> bytes;
  if (ApplyPlan(p.plan, p.store.get(), &error)) {
    bytes = p.store->Serialize(&error);
  }
  std::optional<Written> made =
      bytes ? WriteAtomically(p.job->target, *bytes, options, &error) : std::nullopt;
  if (!made) {
    ReportError(err, p.job->path, error);
    return false;
  }
  *backup = made->backup;
  Target written = AfterWrite(p.job->target, *made);
  if (!ReadBackAndVerify(p, written, &error)) {
    ReportError(err, p.job->path, error + "; the old keystore was restored");
    Restore(p, written, options, err);
    return false;
  }
  TestPausePoint("verified");
  return true;
}

}  // namespace

int RunApply(const Options& options, std::ostream& out, std::ostream& err) {
  std::optional<std::vector<Job>> jobs = LoadJobs(options, /*warn_unverified=*/true, err);
  std::vector<FileLock> locks;
  if (!jobs || !LockAll(*jobs, options, &locks, err)) {
    return kExitError;
  }
  std::vector<Prepared> prepared(jobs->size());
  bool ok = true;
  for (size_t i = 0; i < jobs->size(); ++i) {
    ok = PrepareOne((*jobs)[i], &prepared[i], err) && ok;
  }
  if (!ok || !ProbeAll(prepared, options.timeout_seconds, err)) {
    return kExitError;
  }
  WriteOptions write_options{!options.no_backup, options.backup_dir, options.keep_backups};
  for (Prepared& p : prepared) {
    std::string backup;
    if (p.plan.HasChanges() && !WriteOne(p, write_options, &backup, err)) {
      return kExitError;
    }
    if (options.verbose) {
      out << RenderPlanText(p.plan, false);
    }
    out << Printable(SummaryLine(p, backup)) << "\n";
  }
  return kExitOk;
}

}  // namespace trust::apply
