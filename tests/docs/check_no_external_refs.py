#!/usr/bin/env python3
"""No doc or comment points at a document outside the repository (a spec the user cannot
read): none of the PATTERN words below anywhere in the sources and docs.

usage: check_no_external_refs.py SOURCE_DIR
"""
import os
import re
import sys

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
    for hit in hits:
        print(hit)
    print(f"{scanned} files scanned, {len(hits)} reference(s) to documents outside the repository")
    if scanned < 100:
        print("FAIL: expected to scan the source tree")
        return 1
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
