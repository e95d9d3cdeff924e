#!/usr/bin/env python3
"""Claims the docs make about behaviour, each tried as a user would:

- examples/import-estate/README.md: `trustc import` creates the directory of `-o`, and the
  generated source it shows is estate/main.trust as written;
- README.md: `trustc check` writes no artifact, but fills the certificate-facts cache;
- examples/ca-im-scim/README.md: it names every walk-through command that
  scripts/run-example.sh leaves out.

usage: check_doc_claims.py SOURCE_DIR TRUSTC
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

# The shared check tally (tests/support/python/checks.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support", "python"))
from checks import check, summary  # noqa: E402


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def main():
    source_dir, trustc = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        cache = os.path.join(tmp, "cache")
        env = dict(os.environ, TRUSTC_CACHE_DIR=cache)

        # import creates -o's directory, parents included.
        readme = read(os.path.join(source_dir, "examples/import-estate/README.md"))
        check("creates the directory of `-o`" in readme,
              "import-estate README says import creates the -o directory")
        bundle = os.path.join(source_dir, "examples/import-estate/exports/api_gateway.install.bundle")
        out = os.path.join(tmp, "new", "nested", "main.trust")
        run = subprocess.run([trustc, "import", "-q", bundle, "-o", out, "--now",
                              "2030-01-01T00:00:00Z"], env=env, capture_output=True, text=True)
        check(run.returncode == 0 and os.path.isfile(out),
              f"trustc import -o into a missing directory (exit {run.returncode}) {run.stderr}")

        # check writes no artifact, and fills the cache.
        project = os.path.join(tmp, "project")
        shutil.copytree(os.path.join(source_dir, "examples/ca-im-scim"), project)
        before = sorted(os.path.join(d, f) for d, _, fs in os.walk(project) for f in fs)
        run = subprocess.run([trustc, "check", "-q", "main.trust"], cwd=project, env=env,
                             capture_output=True, text=True)
        after = sorted(os.path.join(d, f) for d, _, fs in os.walk(project) for f in fs)
        cached = [f for _, _, fs in os.walk(cache) for f in fs] if os.path.isdir(cache) else []
        check(run.returncode == 0 and before == after,
              "trustc check writes nothing into the project")
        check(len(cached) > 0, f"trustc check fills the facts cache ({len(cached)} file(s))")
        main_readme = read(os.path.join(source_dir, "README.md"))
        check("writes nothing" not in main_readme and "facts cache" in main_readme,
              "README.md says check fills the facts cache")

    # import-estate README shows estate/main.trust "as written".
    m = re.search(r"```trust dir=examples/import-estate/estate\n(.*?)```", readme, re.S)
    estate = read(os.path.join(source_dir, "examples/import-estate/estate/main.trust"))
    check(m is not None and m.group(1) == estate,
          "import-estate README shows estate/main.trust exactly")

    # run-example.sh versus the walk-through.
    script = read(os.path.join(source_dir, "scripts/run-example.sh"))
    walkthrough = read(os.path.join(source_dir, "examples/ca-im-scim/README.md"))
    m = re.search(r"\(`scripts/run-example.sh` runs(.*?)\)\n", walkthrough, re.S)
    check(m is not None, "ca-im-scim README says what run-example.sh runs")
    claim = m.group(1) if m else ""
    for command in ("graph", "explain", "diff"):
        if not re.search(r"\$trustc " + command + r"\b", script):
            check(command in claim,
                  f"ca-im-scim README says run-example.sh leaves out `trustc {command}`")
    if "Connection refused" not in script and "refus" not in script:
        check("refused apply" in claim, "ca-im-scim README says the refused apply is left out")

    return summary()


if __name__ == "__main__":
    sys.exit(main())
