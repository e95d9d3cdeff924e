#!/usr/bin/env python3
"""Rotation, both formats, on tests/graphman/rotation/{old,new}: the partner CA is replaced by a
new certificate under the same entity name, and a user leaves.

- Graphman: `trustc diff old new --format graphman` writes the bundle deleting exactly the old
  certificate (by its thumbprint) and the user who left, nothing that stays; it equals
  rotation/gw.graphman.migration.json (TRUST_UPDATE_GOLDEN=1 rewrites it; graphman.schemas
  validates it);
- RESTMAN: the rotated certificate keeps its GOID in the install bundle (an update in place),
  so no migration is needed for it;
- --format graphman with a gateway the old program does not have fails, writing nothing.

usage: check_rotation.py SOURCE_DIR TRUSTC
"""
import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

NOW = "2027-01-15T00:00:00Z"
# The shared check tally (tests/support/python/checks.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support", "python"))
from checks import check, summary  # noqa: E402


def thumbprint(pem_path):
    text = open(pem_path, encoding="ascii").read()
    body = re.search(r"-----BEGIN CERTIFICATE-----(.*?)-----END", text, re.S).group(1)
    return base64.b64encode(hashlib.sha1(base64.b64decode(body)).digest()).decode()


def main():
    source_dir, trustc = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    rotation = os.path.join(source_dir, "tests", "graphman", "rotation")
    run = subprocess.run([trustc, "diff", "old/main.trust", "new/main.trust", "--format",
                          "graphman", "--now", NOW], cwd=rotation, capture_output=True, text=True)
    check(run.returncode == 0, f"diff --format graphman exits 0 ({run.returncode}) {run.stderr}")
    sidecar = os.path.join(rotation, "gw.graphman.migration.json")
    if os.environ.get("TRUST_UPDATE_GOLDEN") == "1":
        with open(sidecar, "w", encoding="utf-8") as f:
            f.write(run.stdout)
    expected = open(sidecar, encoding="utf-8").read() if os.path.exists(sidecar) else ""
    check(run.stdout == expected, f"the migration bundle equals {sidecar}")
    bundle = json.loads(run.stdout or "{}")
    old_ca = thumbprint(os.path.join(rotation, "old/certs/client-ca.pem"))
    check([c["thumbprintSha1"] for c in bundle.get("trustedCerts", [])] == [old_ca],
          "it deletes the old partner CA by thumbprint, and no other certificate")
    check([(u["providerName"], u["login"]) for u in bundle.get("federatedUsers", [])] ==
          [("partners", "carol")], "it deletes the user who left, and no other")
    check("federatedIdps" not in bundle, "it keeps the provider, which stays")
    check(bundle.get("properties") == {"defaultAction": "DELETE"}, "its default action is DELETE")

    # No change, no deletion.
    same = subprocess.run([trustc, "diff", "new/main.trust", "new/main.trust", "--format",
                           "graphman", "--now", NOW], cwd=rotation, capture_output=True, text=True)
    check(same.returncode == 0 and json.loads(same.stdout) == {"properties": {"defaultAction": "DELETE"}},
          "identical programs give a bundle that deletes nothing")

    # RESTMAN: the GOID is derived from the entity name, so the rotation updates in place.
    with tempfile.TemporaryDirectory() as tmp:
        ids = {}
        for side in ("old", "new"):
            out = os.path.join(tmp, side)
            r = subprocess.run([trustc, "build", "-q", "main.trust", "-o", out, "--now", NOW],
                               cwd=os.path.join(rotation, side), capture_output=True, text=True)
            check(r.returncode == 0, f"build {side} {r.stderr}")
            xml = open(os.path.join(out, "gateways", "gw.install.bundle"), encoding="utf-8").read()
            m = re.search(r"<l7:Name>Partner CA</l7:Name>\s*<l7:Id>([0-9a-f]+)</l7:Id>", xml)
            ids[side] = m.group(1) if m else None
        check(ids["old"] is not None and ids["old"] == ids["new"],
              f"RESTMAN keeps the GOID of the rotated certificate ({ids})")

    bad = subprocess.run([trustc, "diff", "old/main.trust", "new/main.trust", "--format",
                          "graphman", "--gateway", "nosuch", "--now", NOW], cwd=rotation,
                         capture_output=True, text=True)
    check(bad.returncode != 0 and bad.stdout == "" and "nosuch" in bad.stderr,
          f"an unknown gateway fails with a message and no output ({bad.returncode}: {bad.stderr.strip()})")
    return summary()


if __name__ == "__main__":
    sys.exit(main())
