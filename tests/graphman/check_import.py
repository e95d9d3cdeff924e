#!/usr/bin/env python3
"""`trustc import` reads Graphman bundles, and the trust survives Graphman -> .trust -> Graphman.

- every golden Graphman bundle and the example's: import, build, same trust (compare_trust's
  neutral form: certificates, flags, providers and their references, users);
- the same bundles rewritten with the old naming (`fips`, `fipUsers`, `certificateReferences`),
  with certBase64 wrapped at 76 characters by CRLF, and with the other reference forms
  (`trustedCertNames`, `thumbprint: SHA1:hex`): the same trust;
- exploded into one file per entity (trustedCerts/NAME.json, ...): the same trust;
- the set-mutation samples of ../shared/reference/graphman (skipped without them, failing when
  CI is set): imported, built, the same trust;
- a delete bundle configures nothing; malformed bundles fail with the file and the place, exit
  1, never a crash, and write nothing.

usage: check_import.py SOURCE_DIR TRUSTC
"""
import base64
import copy
import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_trust  # noqa: E402

NOW = "2027-01-15T00:00:00Z"
SAMPLES_NOW = "2023-06-01T00:00:00Z"  # inside the validity of the reference samples
# The shared check tally (tests/support/python/checks.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support", "python"))
from checks import check, summary  # noqa: E402


def trust_of(bundle):
    """compare_trust's neutral form, which includes each user's attached certificate."""
    return compare_trust.graphman_trust(bundle, "bundle")


def roundtrip(trustc, source, tmp, label, now=NOW):
    """Imports `source` (file or directory), builds the result: the rebuilt Graphman bundle."""
    work = tempfile.mkdtemp(dir=tmp)
    out_trust = os.path.join(work, "src", "main.trust")
    run = subprocess.run([trustc, "import", "-q", source, "-o", out_trust, "--now", now],
                         capture_output=True, text=True)
    check(run.returncode == 0, f"{label}: import exits 0 ({run.returncode}) {run.stderr.strip()}")
    if run.returncode != 0:
        return None
    build = subprocess.run([trustc, "build", "-q", "main.trust", "-o", os.path.join(work, "out"),
                            "--now", now], cwd=os.path.dirname(out_trust), capture_output=True,
                           text=True)
    check(build.returncode == 0, f"{label}: the imported source builds {build.stderr.strip()}")
    found = glob.glob(os.path.join(work, "out", "gateways", "*.graphman.json"))
    check(len(found) == 1, f"{label}: one Graphman bundle rebuilt")
    if len(found) != 1:
        return None
    with open(found[0], encoding="utf-8") as f:
        return json.load(f)


def same_trust(original, rebuilt, label):
    a, b = trust_of(original), trust_of(rebuilt)
    for kind in compare_trust.KINDS:
        check(a[kind] == b[kind], f"{label}: {kind} survive the round trip" +
              ("" if a[kind] == b[kind] else f"\n  before {a[kind]}\n  after  {b[kind]}"))


def old_naming(bundle):
    """The same bundle with the pre-11.1 names and the other reference forms."""
    b = copy.deepcopy(bundle)
    certs = {c["name"]: c for c in b.get("trustedCerts", [])}
    for c in b.get("trustedCerts", []):
        one = c["certBase64"]
        c["certBase64"] = "\r\n".join(one[i:i + 76] for i in range(0, len(one), 76))
    if "federatedIdps" in b:
        fips = []
        for i, p in enumerate(b.pop("federatedIdps")):
            fip = {"name": p["name"], "enableCredentialTypeX509": p["supportsX509"],
                   "enableCredentialTypeSaml": p["supportsSAML"],
                   "certificateReferences": [{"thumbprintSha1": r["thumbprintSha1"]}
                                             for r in p["trustedCerts"]]}
            if p.get("certValidation", "USE_DEFAULT") != "USE_DEFAULT":
                fip["certificateValidation"] = p["certValidation"]
            fips.append(fip)
        b["fips"] = fips
    if "federatedUsers" in b:
        b["fipUsers"] = b.pop("federatedUsers")
    other = copy.deepcopy(bundle)
    for i, p in enumerate(other.get("federatedIdps", [])):
        refs = p.pop("trustedCerts")
        if i % 2 == 0:
            p["trustedCertNames"] = [r["name"] for r in refs]
        else:
            p["trustedCerts"] = [{"thumbprint": "SHA1:" + hashlib.sha1(base64.b64decode(
                certs[r["name"]]["certBase64"])).hexdigest().upper()} for r in refs]
    return b, other


def explode(bundle, directory):
    os.makedirs(directory, exist_ok=True)
    for kind, entities in bundle.items():
        if kind == "properties":
            with open(os.path.join(directory, "bundle-properties.json"), "w") as f:
                json.dump(entities, f)
            continue
        os.makedirs(os.path.join(directory, kind), exist_ok=True)
        for i, entity in enumerate(entities):
            name = entity.get("name", str(i)).replace("/", "_")
            extra = "-" + entity["providerName"].replace("/", "_") if "providerName" in entity else ""
            with open(os.path.join(directory, kind, f"{name}{extra}.json"), "w") as f:
                json.dump(entity, f, indent=4)


def main():
    source_dir, trustc = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        example = os.path.join(tmp, "example")
        subprocess.run([trustc, "build", "-q", "main.trust", "-o", example],
                       cwd=os.path.join(source_dir, "examples/ca-im-scim"), check=True)
        bundles = sorted(glob.glob(os.path.join(source_dir, "tests/golden/*.graphman.json")))
        bundles.append(os.path.join(example, "gateways/api_gateway.graphman.json"))
        check(len(bundles) >= 10, f"{len(bundles)} Graphman bundles to round-trip")
        for path in bundles:
            label = os.path.relpath(path, source_dir) if path.startswith(source_dir) else "example"
            with open(path, encoding="utf-8") as f:
                original = json.load(f)
            rebuilt = roundtrip(trustc, path, tmp, label)
            if rebuilt is not None:
                same_trust(original, rebuilt, label)
            for variant, bundle in zip(("old naming, wrapped certBase64", "other reference forms"),
                                       old_naming(original)):
                file = os.path.join(tempfile.mkdtemp(dir=tmp), "gw.json")
                with open(file, "w", encoding="utf-8") as f:
                    json.dump(bundle, f, indent=2)
                rebuilt = roundtrip(trustc, file, tmp, f"{label} ({variant})")
                if rebuilt is not None:
                    same_trust(original, rebuilt, f"{label} ({variant})")
            directory = os.path.join(tempfile.mkdtemp(dir=tmp), "gw")
            explode(original, directory)
            rebuilt = roundtrip(trustc, directory, tmp, f"{label} (exploded)")
            if rebuilt is not None:
                same_trust(original, rebuilt, f"{label} (exploded)")

        # The reference samples.
        ref = os.path.join(source_dir, "..", "shared", "reference", "graphman")
        samples = sorted(glob.glob(os.path.join(ref, "set*.variables.json")))
        if len(samples) < 3:
            if os.environ.get("CI"):
                check(False, f"CI is set and the samples are missing from {ref}")
            else:
                print(f"SKIP (samples): none in {ref}")
        for path in samples:
            with open(path, encoding="utf-8") as f:
                sample = json.load(f)
            normal = copy.deepcopy(sample)
            if "fips" in normal:  # compare in the new naming
                normal["federatedIdps"] = [
                    {"name": p["name"], "supportsX509": p["enableCredentialTypeX509"],
                     "supportsSAML": p["enableCredentialTypeSaml"],
                     "trustedCerts": [{"name": next(c["name"] for c in sample["trustedCerts"]
                                                    if c["thumbprintSha1"] == r["thumbprintSha1"]),
                                       "thumbprintSha1": r["thumbprintSha1"]}
                                      for r in p["certificateReferences"]]}
                    for p in normal.pop("fips")]
            rebuilt = roundtrip(trustc, path, tmp, os.path.basename(path), SAMPLES_NOW)
            if rebuilt is not None:
                same_trust(normal, rebuilt, os.path.basename(path))

        # A delete bundle configures nothing.
        delete = os.path.join(source_dir, "tests/golden/full_language.gw.graphman.delete.json")
        out = os.path.join(tmp, "delete", "main.trust")
        run = subprocess.run([trustc, "import", delete, "-o", out, "--now", NOW],
                             capture_output=True, text=True)
        check(run.returncode == 0 and "DELETE" in run.stderr and "trust " not in open(out).read(),
              "a delete bundle is imported as nothing, with a note")

        # A user certificate the compiler would refuse is not attached, and says so.
        with open(os.path.join(source_dir, "tests/golden/full_language.gw.graphman.json")) as f:
            bundle = json.load(f)
        alice = next(u for u in bundle["federatedUsers"] if u["login"] == "alice")
        alice["subjectDn"] = "CN=mallory,O=trustc tests,C=US"
        file = os.path.join(tmp, "mismatch", "gw.json")
        os.makedirs(os.path.dirname(file))
        with open(file, "w") as f:
            json.dump(bundle, f)
        run = subprocess.run([trustc, "import", file, "-o", os.path.join(tmp, "mismatch", "out",
                              "main.trust"), "--now", NOW], capture_output=True, text=True)
        check(run.returncode == 0 and "alice` of `Partner Provider`: certificate not attached" in run.stderr,
              "a user certificate whose subject is not the DN is left off, with a note")

        # Malformed input.
        for path in sorted(glob.glob(os.path.join(source_dir, "tests/graphman/malformed/*"))):
            name = os.path.basename(path)
            expected = open(path + ".expect").read().strip() if os.path.isfile(path + ".expect") else None
            if name.endswith(".expect"):
                continue
            out = os.path.join(tmp, "bad", name, "main.trust")
            run = subprocess.run([trustc, "import", path, "-o", out, "--now", NOW],
                                 capture_output=True, text=True, errors="replace")
            first = run.stderr.strip().splitlines()[0] if run.stderr.strip() else ""
            check(run.returncode == 1 and path in first and expected is not None and expected in first
                  and not os.path.exists(os.path.dirname(out)),
                  f"malformed/{name}: exit 1, nothing written, says `{expected}` ({run.returncode}: {first})")
    return summary()


if __name__ == "__main__":
    sys.exit(main())
