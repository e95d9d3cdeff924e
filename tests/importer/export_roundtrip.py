#!/usr/bin/env python3
"""Round trip of real gateway exports: import -> build -> the install bundle holds the same
trust as the export (trust_summary.py decides what "the same trust" means).

    export_roundtrip.py TRUSTC SOURCE_DIR REFERENCE_BUNDLES_DIR

Every file of REFERENCE_BUNDLES_DIR is a case, and so is every bundle written below (shapes
the real exports lack). A file that import cannot handle yet must be listed in
EXPECTED_IMPORT_FAILURES with the reason: its import must fail, and once it succeeds the test
fails until the entry is removed, so the list only ever gets shorter. Without the reference
directory the cases from it are skipped (exit 77), except under CI, where that is a failure.
"""
import base64
import os
import pathlib
import ssl
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import trust_summary  # noqa: E402

NOW = "2027-01-15T00:00:00Z"  # the golden build time: the written bundle's certs lint then

EXPECTED_IMPORT_FAILURES = {
    "sample-policies__JWK-Grok.result.xml":
        "not a bundle: an l7:Item (the result of a policy migration), not an l7:Bundle",
}


def run(args, cwd):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True)


def der_base64(pem_path):
    return base64.b64encode(ssl.PEM_cert_to_DER_cert(pem_path.read_text())).decode()


def trusted_cert(goid, name, pem_path, flags):
    props = "".join(
        f'<l7:Property key="{key}"><l7:BooleanValue>{str(value).lower()}</l7:BooleanValue></l7:Property>'
        for key, value in flags.items())
    return f"""<l7:Item><l7:Name>{name}</l7:Name><l7:Id>{goid}</l7:Id><l7:Type>TRUSTED_CERT</l7:Type>
<l7:Resource><l7:TrustedCertificate id="{goid}"><l7:Name>{name}</l7:Name>
<l7:CertificateData><l7:Encoded>{der_base64(pem_path)}</l7:Encoded></l7:CertificateData>
<l7:Properties>{props}</l7:Properties></l7:TrustedCertificate></l7:Resource></l7:Item>
"""


def written_bundle(source_dir):
    """An export-style bundle with what real estates hold and the references lack: mapping
    action NewOrExisting, certificates that break lint rules (expired, weak key, SHA-1, a
    non-CA trusted as a signer), a federated provider with a user, flags left to defaults."""
    certs = source_dir / "tests" / "golden" / "certs"
    items = [
        trusted_cert("00000000000000010000000000000001", "Client CA", certs / "client-ca.pem",
                     {"trustedForSigningClientCerts": True}),
        trusted_cert("00000000000000010000000000000002", "Old partner", certs / "expired.pem",
                     {"trustedForSsl": True, "revocationCheckingEnabled": False}),
        trusted_cert("00000000000000010000000000000003", "Weak key", certs / "rsa1024.pem",
                     {"trustedForSsl": True, "verifyHostname": False}),
        trusted_cert("00000000000000010000000000000004", "SHA1 leaf as signer", certs / "sha1.pem",
                     {"trustedForSigningServerCerts": True, "trustedAsSamlIssuer": True}),
        """<l7:Item><l7:Name>Partners</l7:Name><l7:Id>00000000000000020000000000000001</l7:Id><l7:Type>ID_PROVIDER_CONFIG</l7:Type>
<l7:Resource><l7:IdentityProvider id="00000000000000020000000000000001"><l7:Name>Partners</l7:Name>
<l7:IdentityProviderType>Federated</l7:IdentityProviderType>
<l7:Properties><l7:Property key="enableCredentialType.x509"><l7:BooleanValue>true</l7:BooleanValue></l7:Property>
<l7:Property key="certificateValidation"><l7:StringValue>Validate Certificate Path</l7:StringValue></l7:Property></l7:Properties>
<l7:Extension><l7:FederatedIdentityProviderDetail><l7:CertificateReferences>
<l7:Reference id="00000000000000010000000000000001"/></l7:CertificateReferences></l7:FederatedIdentityProviderDetail></l7:Extension>
</l7:IdentityProvider></l7:Resource></l7:Item>
""",
        """<l7:Item><l7:Name>alice</l7:Name><l7:Id>00000000000000030000000000000001</l7:Id><l7:Type>USER</l7:Type>
<l7:Resource><l7:User id="00000000000000030000000000000001" providerId="00000000000000020000000000000001">
<l7:Login>alice</l7:Login><l7:Email>alice@example.com</l7:Email><l7:SubjectDn>CN=alice,OU=Users,O=trustc tests,C=US</l7:SubjectDn>
<l7:Properties><l7:Property key="name"><l7:StringValue>alice</l7:StringValue></l7:Property></l7:Properties>
</l7:User></l7:Resource></l7:Item>
""",
    ]
    mappings = [
        ("00000000000000010000000000000001", "TRUSTED_CERT", "NewOrExisting"),
        ("00000000000000010000000000000002", "TRUSTED_CERT", "NewOrExisting"),
        ("00000000000000010000000000000003", "TRUSTED_CERT", "NewOrUpdate"),
        ("00000000000000010000000000000004", "TRUSTED_CERT", "NewOrExisting"),
        ("00000000000000020000000000000001", "ID_PROVIDER_CONFIG", "NewOrExisting"),
        ("00000000000000030000000000000001", "USER", "NewOrExisting"),
    ]
    mapping_xml = "".join(f'<l7:Mapping action="{a}" srcId="{i}" type="{t}"/>\n' for i, t, a in mappings)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<l7:Bundle xmlns:l7="http://ns.l7tech.com/2010/04/gateway-management">\n'
            f"<l7:References>\n{''.join(items)}</l7:References>\n<l7:Mappings>\n{mapping_xml}</l7:Mappings>\n"
            "</l7:Bundle>\n")


def round_trip(trustc, bundle, work):
    """None when the install bundle rebuilt from the import holds the export's trust, else why
    not. Raises ImportFailed when import itself fails."""
    imported = run([trustc, "import", str(bundle), "-o", "src/main.trust", "--now", NOW], work)
    if imported.returncode != 0:
        raise ImportFailed(imported.stderr)
    built = run([trustc, "build", "src/main.trust", "-o", "out", "--now", NOW], work)
    if built.returncode != 0:
        return "the imported program does not build:\n" + built.stderr + imported.stderr
    installs = sorted((work / "out" / "gateways").glob("*.install.bundle"))
    if len(installs) != 1:
        return f"expected one install bundle, found {[p.name for p in installs]}"
    found = list(trust_summary.differences(trust_summary.summarize(bundle),
                                           trust_summary.summarize(installs[0])))
    return "\n".join(["the trust differs (export, rebuilt):"] + found) if found else None


class ImportFailed(Exception):
    pass


def check_case(trustc, bundle, expected_failure):
    with tempfile.TemporaryDirectory(prefix="trustc-export-roundtrip-") as tmp:
        work = pathlib.Path(tmp)
        try:
            problem = round_trip(trustc, bundle, work)
        except ImportFailed as failure:
            if expected_failure:
                print(f"ok (import fails as expected: {expected_failure}): {bundle.name}")
                return True
            print(f"FAIL: {bundle.name}: import failed:\n{failure}")
            return False
    if expected_failure:
        print(f"FAIL: {bundle.name} imports now: remove it from EXPECTED_IMPORT_FAILURES")
        return False
    if problem:
        print(f"FAIL: {bundle.name}: {problem}")
        return False
    print(f"ok: {bundle.name}")
    return True


def main(argv):
    trustc, source_dir, reference = argv[1], pathlib.Path(argv[2]), pathlib.Path(argv[3])
    ok = True
    with tempfile.TemporaryDirectory(prefix="trustc-written-bundle-") as tmp:
        written = pathlib.Path(tmp) / "partners.bundle"
        written.write_text(written_bundle(source_dir))
        ok = check_case(trustc, written, None) and ok
    if not reference.is_dir():
        if os.environ.get("CI"):
            print(f"FAIL: CI is set and the reference exports are missing: {reference}")
            return 1
        print(f"SKIP: no reference exports at {reference} (a clone without ../shared)")
        return 77 if ok else 1
    cases = sorted(p for p in reference.iterdir() if p.is_file())
    for name in EXPECTED_IMPORT_FAILURES:
        if not (reference / name).exists():
            print(f"FAIL: {name} is listed in EXPECTED_IMPORT_FAILURES but is not in {reference}")
            ok = False
    for bundle in cases:
        ok = check_case(trustc, bundle, EXPECTED_IMPORT_FAILURES.get(bundle.name)) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
