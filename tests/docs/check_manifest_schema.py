#!/usr/bin/env python3
"""The keystore-manifest JSON Schema (docs/schema/keystore-manifest.schema.json) against real
manifests: every golden expectation, the example's build output, the example in
docs/manifest.md, and manifests that must be rejected (by the schema and by trust-apply's
reader alike).

usage: check_manifest_schema.py SOURCE_DIR TRUSTC TRUST_APPLY
"""
import copy
import re
import glob
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message)


def main():
    source_dir, trustc, trust_apply = sys.argv[1:4]
    with open(os.path.join(source_dir, "docs/schema/keystore-manifest.schema.json")) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    goldens = sorted(glob.glob(os.path.join(source_dir, "tests/golden/*.manifest.json")))
    if len(goldens) < 5:
        fail(f"expected the golden manifests, found {len(goldens)}")
    for path in goldens:
        check_valid(validator, path)

    # The example in docs/manifest.md is a valid manifest too.
    with open(os.path.join(source_dir, "docs/manifest.md"), encoding="utf-8") as f:
        examples = re.findall(r"```json\n(.*?)```", f.read(), re.S)
    if not examples:
        fail("no ```json example in docs/manifest.md")
    for text in examples:
        for error in validator.iter_errors(json.loads(text)):
            fail(f"docs/manifest.md example: {error.message}")

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TRUSTC_CACHE_DIR=os.path.join(tmp, "cache"))
        out = os.path.join(tmp, "out")
        build = subprocess.run(
            [trustc, "build", "-q", "--now", "2030-01-01T00:00:00Z",
             os.path.join(source_dir, "examples/ca-im-scim/main.trust"), "-o", out],
            env=env, capture_output=True, text=True)
        if build.returncode != 0:
            fail("trustc build of the example failed: " + build.stderr)
        built = sorted(glob.glob(os.path.join(out, "keystores/*.manifest.json")))
        if len(built) != 2:
            fail(f"expected 2 manifests from the example, found {len(built)}")
        for path in built:
            check_valid(validator, path)
        if built:
            check_rejections(validator, built[0], trust_apply, tmp, env)

    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print(f"ok: {len(goldens)} golden and {len(built)} built manifests valid; "
          f"{len(BAD)} bad manifests rejected")
    return 0


def check_valid(validator, path):
    with open(path) as f:
        manifest = json.load(f)
    errors = list(validator.iter_errors(manifest))
    for error in errors:
        fail(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message}")


def entry(m):
    return m["entries"][0]


# name -> a function that spoils a valid manifest (which has at least one entry).
BAD = {
    "unknown schema": lambda m: m.update(schema="trustc.keystore-manifest/2"),
    "unknown top-level key": lambda m: m.update(extra=1),
    "missing create": lambda m: m.pop("create"),
    "format not a keystore format": lambda m: m.update(format="jceks"),
    "password literal": lambda m: m.update(password="changeit"),
    "password with two references": lambda m: m.update(password={"env": "A", "file": "/p"}),
    "password none false": lambda m: m.update(password={"none": False}),
    "password env not a variable name": lambda m: m.update(password={"env": "1 bad"}),
    "create as string": lambda m: m.update(create="true"),
    "empty path": lambda m: m.update(path=""),
    "upper-case sha256": lambda m: entry(m).update(sha256=entry(m)["sha256"].upper()),
    "short sha256": lambda m: entry(m).update(sha256="ab" * 31),
    "absolute cert path": lambda m: entry(m).update(cert="/tmp/x.der"),
    "notAfter not UTC seconds": lambda m: entry(m).update(notAfter="2031-03-01"),
    "debian: alias": lambda m: entry(m).update(alias="Debian:root"),
    "non-ASCII alias": lambda m: entry(m).update(alias="r\u00e9seau"),
    "unknown entry key": lambda m: entry(m).update(trusted=True),
    "missing replace": lambda m: entry(m).pop("replace"),
    "remove not a list": lambda m: m.update(remove="old"),
}


def check_rejections(validator, path, trust_apply, tmp, env):
    with open(path) as f:
        good = json.load(f)
    if not good["entries"]:
        fail(f"{path}: needs an entry to spoil")
        return
    # A valid manifest gets past trust-apply's reader and stops at the unset path variable:
    # the control that makes "refused by the reader" below mean something.
    env = {k: v for k, v in env.items() if k not in ("IMCS_KEYSTORE", "CX_HOME")}
    bad_path = os.path.join(os.path.dirname(path), "bad.manifest.json")

    def plan(manifest):
        with open(bad_path, "w") as f:
            json.dump(manifest, f, indent=2)
        run = subprocess.run([trust_apply, "plan", bad_path], env=env,
                             capture_output=True, text=True)
        os.remove(bad_path)
        return run

    control = plan(good)
    if control.returncode != 1 or "is not set" not in control.stderr:
        fail(f"trust-apply plan on the valid manifest: exit {control.returncode}, "
             f"stderr {control.stderr.strip()!r} (expected the unset variable)")
    for name, spoil in BAD.items():
        bad = copy.deepcopy(good)
        spoil(bad)
        if validator.is_valid(bad):
            fail(f"schema accepts a manifest with {name}")
        # trust-apply's reader must refuse it as well, before it expands anything.
        run = plan(bad)
        if (run.returncode != 1 or "bad.manifest.json: " not in run.stderr
                or "is not set" in run.stderr):
            fail(f"trust-apply plan on a manifest with {name}: exit {run.returncode}, "
                 f"stderr {run.stderr.strip()!r}")

if __name__ == "__main__":
    sys.exit(main())
