#!/usr/bin/env bash
# The whole test suite once more, built with AddressSanitizer and UndefinedBehaviorSanitizer
# (scripts/configure-sanitize.sh, in build-sanitize/). Any report fails the run: ASan and UBSan
# abort, LeakSanitizer fails the process at exit.   scripts/test-sanitize.sh [CTEST ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/configure-sanitize.sh
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd build-sanitize
# Left out here (they run in scripts/test.sh): tests that run none of our compiled code
# (formatting, editor grammars, doc links, packaging) and the Ansible run, which drives the
# same trust-apply paths as the apply suites, through a minute of Python.
not_sanitized='^(style\.|vim_syntax$|vscode_grammar$|docs\.links$|docs\.no_external_references$|packaging\.|ansible\.)'
ctest --output-on-failure -j"$(nproc)" -E "$not_sanitized" "$@"
