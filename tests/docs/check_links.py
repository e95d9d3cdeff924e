#!/usr/bin/env python3
"""Every relative link in README.md, docs/ and examples/*/README.md points at a file or
directory of the repository, and every `#anchor` at a heading of the target page.

usage: check_links.py SOURCE_DIR
"""
import glob
import os
import re
import sys

# The shared vacuity guard (tests/support/python/checks.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support", "python"))
from checks import report  # noqa: E402

LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(path):
    """GitHub-style anchors of a Markdown file's headings."""
    out = set()
    in_fence = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("```"):
                in_fence = not in_fence
            if in_fence or not line.startswith("#"):
                continue
            title = line.lstrip("#").strip().lower()
            title = re.sub(r"[^\w\- ]", "", title)
            out.add(title.replace(" ", "-"))
    return out


def main():
    root = os.path.abspath(sys.argv[1])
    files = [os.path.join(root, "README.md")]
    files += glob.glob(os.path.join(root, "docs/**/*.md"), recursive=True)
    files += glob.glob(os.path.join(root, "examples/*/README.md"))
    bad, checked = [], 0
    for path in sorted(files):
        with open(path, encoding="utf-8") as f:
            text = re.sub(r"```.*?```", "", f.read(), flags=re.S)
        for target in LINK.findall(text):
            if re.match(r"[a-z]+:", target):
                continue  # https:, mailto:
            checked += 1
            file_part, _, anchor = target.partition("#")
            resolved = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) \
                if file_part else path
            where = f"{os.path.relpath(path, root)}: ({target})"
            if not os.path.exists(resolved):
                bad.append(f"{where}: no such file")
            elif anchor and resolved.endswith(".md") and anchor not in anchors(resolved):
                bad.append(f"{where}: no heading #{anchor}")
    return report(["FAIL " + line for line in bad],
                  f"{checked} relative link(s) checked, {len(bad)} broken", checked, 30,
                  "the docs' links")


if __name__ == "__main__":
    sys.exit(main())
