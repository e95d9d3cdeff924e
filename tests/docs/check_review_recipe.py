#!/usr/bin/env python3
"""The CI recipe of docs/review.md works on this repository: its `formatting` and `rules`
steps are taken from the document as written and run in the source tree.

usage: check_review_recipe.py SOURCE_DIR TRUSTC
Needs a git checkout (the recipe lists files with `git ls-files`): without one the test fails
when CI is set and is skipped (exit 77) otherwise.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def main():
    source_dir, trustc = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with open(os.path.join(source_dir, "docs/review.md"), encoding="utf-8") as f:
        text = f.read()
    steps = {}
    for name in ("formatting", "rules"):
        m = re.search(r"- name: " + name + r"\n\s+run: (.+)\n", text)
        if not m:
            print(f"FAIL: no `{name}` step in docs/review.md")
            return 1
        steps[name] = m.group(1).strip()
    if "fmt --check" not in steps["formatting"] or "git ls-files" not in steps["formatting"]:
        print("FAIL: the formatting step no longer runs fmt --check on git ls-files")
        return 1
    git = shutil.which("git")
    inside = git and subprocess.run([git, "-C", source_dir, "rev-parse", "--git-dir"],
                                     capture_output=True).returncode == 0
    if not inside:
        message = "no git checkout of the sources: cannot run the recipe"
        if os.environ.get("CI"):
            print("FAIL: " + message)
            return 1
        print("SKIP: " + message)
        return 77
    # The files the formatting step would check: there must be some, or it proves nothing.
    listing = steps["formatting"][steps["formatting"].index("$(") + 2:steps["formatting"].rindex(")")]
    listed = subprocess.run(listing, shell=True, cwd=source_dir, capture_output=True, text=True)
    files = listed.stdout.split()
    if listed.returncode != 0 or len(files) < 3:
        print(f"FAIL: `{listing}` lists {len(files)} file(s)")
        return 1
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TRUSTC_CACHE_DIR=os.path.join(tmp, "cache"))
        for name, command in steps.items():
            command = command.replace("build/bin/trustc", trustc)
            run = subprocess.run(["bash", "-c", command], cwd=source_dir, env=env,
                                 capture_output=True, text=True)
            print(f"{name}: `{command}` exit {run.returncode}")
            if run.returncode != 0:
                print(run.stdout + run.stderr)
                failed = True
    print(f"formatting step covers {len(files)} file(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
