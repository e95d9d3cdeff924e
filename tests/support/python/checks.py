"""What the Python checks of tests/docs and tests/graphman share: a tally of named checks, and
the guard against passing vacuously. A script imports it with

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "support", "python"))
    from checks import check, summary
"""

failures = []


def check(ok, message):
    """Prints the check as passed or failed; a failure counts against summary()."""
    print(("ok: " if ok else "FAIL: ") + message)
    if not ok:
        failures.append(message)


def summary():
    """Prints how many checks failed; main()'s exit status."""
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


def report(findings, line, seen, minimum, what):
    """Prints each finding and the summary `line`; the exit status. Fewer than `minimum` things
    seen means the check read nothing it was meant to, which must fail, never pass."""
    for finding in findings:
        print(finding)
    print(line)
    if seen < minimum:
        print(f"FAIL: expected {what}")
        return 1
    return 1 if findings else 0
