#!/usr/bin/env python3
"""No doc or comment points at a document outside the repository (a spec the user cannot
read): none of the PATTERN words below anywhere in the sources and docs.

usage: check_no_external_refs.py SOURCE_DIR
"""
import os
import re
import sys

# The shared vacuity guard (tests/support/python/checks.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support", "python"))
from checks import report  # noqa: E402

# Split so that this file does not match itself.
PATTERN = re.compile("shared" + "/spec|language" + " spec|section" + " [0-9]")
SKIP_DIRS = {".git", "out", "corpus", "exports", "regressions", "node_modules"}
SUFFIXES = (".md", ".h", ".cpp", ".def", ".g4", ".trust", ".txt", ".sh", ".py", ".cmake", ".json")


def main():
    root = sys.argv[1]
    hits, scanned = [], 0
    for directory, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith("build")]
        for name in files:
            if not name.endswith(SUFFIXES) and name != "CMakeLists.txt":
                continue
            path = os.path.join(directory, name)
            scanned += 1
            with open(path, encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, 1):
                    if PATTERN.search(line):
                        hits.append(f"{os.path.relpath(path, root)}:{number}: {line.rstrip()}")
    return report(hits, f"{scanned} files scanned, {len(hits)} reference(s) to documents outside "
                  "the repository", scanned, 100, "a scan of the source tree")


if __name__ == "__main__":
    sys.exit(main())
