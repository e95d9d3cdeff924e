#!/usr/bin/env python3
"""Every ```trust block in README.md, docs/ and examples/*/README.md compiles with `trustc check`.

The fence's info string says how to treat a block:
  ```trust                      a complete program, checked in an empty directory: no errors
  ```trust dir=PATH             the same, but run as a file in a copy of PATH (relative to the
                                repository), so that its certificate files resolve
  ```trust expect=ID            a complete program that must draw diagnostic [ID] (error, warning
                                or note); may be combined with dir=
  ```trust fragment             a piece of a program (not compiled), e.g. one item

usage: check_snippets.py SOURCE_DIR TRUSTC [MARKDOWN...]
With no MARKDOWN files, the repository's documents are checked and at least 10 complete
blocks must be found.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^(```+|~~~+)\s*(\S*)\s*(.*)$")
NOW = "2030-01-01T00:00:00Z"  # inside the validity of every example and golden certificate


def blocks(path):
    """(line, info words, text) of each fenced block whose language is `trust`."""
    out = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, lang, rest = m.group(1), m.group(2), m.group(3)
        start = i
        i += 1
        body = []
        while i < len(lines) and not lines[i].startswith(fence[0] * len(fence)):
            body.append(lines[i])
            i += 1
        i += 1
        if lang == "trust":
            out.append((start + 1, rest.split(), "\n".join(body) + "\n"))
        elif lang.startswith("trust"):
            out.append((start + 1, ["unknown-info:" + lang], ""))
    return out


def main():
    source_dir, trustc = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    files = sys.argv[3:]
    default = not files
    if default:
        files = [os.path.join(source_dir, "README.md")]
        files += sorted(glob.glob(os.path.join(source_dir, "docs/**/*.md"), recursive=True))
        files += sorted(glob.glob(os.path.join(source_dir, "examples/*/README.md")))
    failures, compiled, fragments = 0, 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TRUSTC_CACHE_DIR=os.path.join(tmp, "cache"))
        for path in files:
            rel = os.path.relpath(path, source_dir)
            for line, info, text in blocks(path):
                where = f"{rel}:{line}"
                options = dict(w.split("=", 1) if "=" in w else (w, "") for w in info)
                unknown = set(options) - {"fragment", "dir", "expect"}
                if unknown:
                    print(f"FAIL {where}: unknown fence info {sorted(unknown)}")
                    failures += 1
                    continue
                if "fragment" in options:
                    fragments += 1
                    continue
                compiled += 1
                work = os.path.join(tmp, f"s{compiled}")
                if options.get("dir"):
                    shutil.copytree(os.path.join(source_dir, options["dir"]), work,
                                    ignore=shutil.ignore_patterns(".*"))
                else:
                    os.makedirs(work)
                snippet = os.path.join(work, "snippet.trust")
                with open(snippet, "w", encoding="utf-8") as f:
                    f.write(text)
                run = subprocess.run([trustc, "check", "--now", NOW, snippet], env=env,
                                     capture_output=True, text=True, cwd=work)
                expect = options.get("expect")
                if expect:
                    ok = f"[{expect}]" in run.stderr
                    want = f"diagnostic [{expect}]"
                else:
                    ok = run.returncode == 0 and ": error:" not in run.stderr
                    want = "no errors"
                if not ok:
                    failures += 1
                    print(f"FAIL {where}: expected {want}, exit {run.returncode}:\n{run.stderr}")
    print(f"{compiled} complete snippet(s) checked, {fragments} fragment(s), "
          f"{failures} failure(s)")
    if default and compiled < 10:
        print("FAIL: expected at least 10 complete snippets in the docs")
        return 1
    if compiled == 0:
        print("FAIL: no complete snippet found")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
