#!/usr/bin/env python3
"""The Graphman bundles carry the same trust as the RESTMAN bundles.

For every clean golden (tests/golden/NAME.GW.install.bundle beside NAME.GW.graphman.json) and
for a fresh build of examples/ca-im-scim, reads both formats into one neutral form (certificate
by entity name: SHA-1 of the DER, anchor, hostname check, revocation, purposes; provider by
name: credential types, validation, trusted certificates by name and thumbprint; user by
provider and name: login, DN, names and the thumbprint of its attached certificate; revocation
policy by name: flags, and each check's kind, URL, issuer signature and signers by thumbprint; a
certificate's specific policy by name) and
compares them. Also: the Graphman delete bundle lists the
same entities as the install bundle, and the example's bundles equal their sidecars in
tests/graphman/example/ (TRUST_UPDATE_GOLDEN=1 rewrites those).

usage: compare_trust.py SOURCE_DIR TRUSTC
"""
import base64
import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

NS = {"l7": "http://ns.l7tech.com/2010/04/gateway-management"}
PURPOSES = {  # RESTMAN property -> Graphman trustedFor value
    "trustedForSsl": "SSL",
    "trustedForSigningServerCerts": "SIGNING_SERVER_CERTS",
    "trustedForSigningClientCerts": "SIGNING_CLIENT_CERTS",
    "trustedAsSamlIssuer": "SAML_ISSUER",
    "trustedAsSamlAttestingEntity": "SAML_ATTESTING_ENTITY",
}
VALIDATION = {  # RESTMAN certificateValidation -> Graphman certValidation
    None: "USE_DEFAULT",
    "Validate": "CERTIFICATE_ONLY",
    "Validate Certificate Path": "PATH_VALIDATION",
    "Revocation Checking": "REVOCATION",
}
CHECK_TYPES = {  # RESTMAN l7:Type -> Graphman type
    "CRL from certificate URL": "CRL_FROM_CERTIFICATE",
    "CRL from URL": "CRL_FROM_URL",
    "OCSP from certificate URL": "OCSP_FROM_CERTIFICATE",
    "OCSP from URL": "OCSP_FROM_URL",
}
KINDS = ("certs", "providers", "users", "policies")
failures = []


def check(ok, message):
    if not ok:
        print("FAIL: " + message)
        failures.append(message)


def sha1_b64(der):
    return base64.b64encode(hashlib.sha1(der).digest()).decode()


def props(element):
    out = {}
    for p in element.findall("l7:Properties/l7:Property", NS):
        value = p[0].text or ""
        out[p.get("key")] = {"true": True, "false": False}.get(value, value)
    return out


def restman_trust(path):
    root = ET.parse(path).getroot()
    certs, providers, users, names_by_id = {}, {}, {}, {}
    items = root.findall("l7:References/l7:Item", NS)
    for item in items:
        cert = item.find("l7:Resource/l7:TrustedCertificate", NS)
        if cert is None:
            continue
        name = cert.find("l7:Name", NS).text
        der = base64.b64decode(cert.find("l7:CertificateData/l7:Encoded", NS).text)
        p = props(cert)
        names_by_id[cert.get("id")] = (name, sha1_b64(der))
        policy = cert.find("l7:Extension/l7:RevocationCheckingPolicyReference", NS)
        certs[name] = {
            "sha1": sha1_b64(der),
            "anchor": p["trustAnchor"],
            "verifyHostname": p["verifyHostname"],
            "revocation": p["revocationCheckingEnabled"],
            "policy": None if policy is None else policy.get("id"),
            "purposes": sorted(v for k, v in PURPOSES.items() if p[k]),
        }
    policies, policy_names = restman_policies(items, names_by_id)
    for c in certs.values():
        c["policy"] = policy_names.get(c["policy"])
    provider_names = {}
    for item in items:
        idp = item.find("l7:Resource/l7:IdentityProvider", NS)
        if idp is None:
            continue
        name = idp.find("l7:Name", NS).text
        provider_names[idp.get("id")] = name
        p = props(idp)
        refs = idp.findall(".//l7:CertificateReferences/l7:Reference", NS)
        providers[name] = {
            "x509": p["enableCredentialType.x509"],
            "saml": p["enableCredentialType.saml"],
            "validation": VALIDATION[p.get("certificateValidation")],
            "trusted": [list(names_by_id[r.get("id")]) for r in refs],
        }
    for item in items:
        user = item.find("l7:Resource/l7:User", NS)
        if user is None:
            continue
        text = lambda tag: (user.find("l7:" + tag, NS).text or "") if user.find("l7:" + tag, NS) is not None else ""
        key = provider_names[user.get("providerId")] + "\n" + props(user)["name"]
        encoded = user.find("l7:Extension/l7:CertificateData/l7:Encoded", NS)
        users[key] = {"login": text("Login"), "dn": text("SubjectDn"), "first": text("FirstName"),
                      "last": text("LastName"), "email": text("Email"),
                      "cert": sha1_b64(base64.b64decode(encoded.text)) if encoded is not None else ""}
    return {"certs": certs, "providers": providers, "users": users, "policies": policies}


def restman_policies(items, names_by_id):
    """Policies by name, and the policy names by id."""
    policies, names = {}, {}
    for item in items:
        policy = item.find("l7:Resource/l7:RevocationCheckingPolicy", NS)
        if policy is None:
            continue
        text = lambda e, tag: e.find("l7:" + tag, NS).text or ""
        name = text(policy, "Name")
        names[policy.get("id")] = name
        policies[name] = {
            "default": text(policy, "DefaultPolicy") == "true",
            "continue": text(policy, "ContinueOnServerUnavailable") == "true",
            "success": text(policy, "DefaultSuccess") == "true",
            "checks": [{
                "type": CHECK_TYPES[text(c, "Type")],
                "url": text(c, "Url"),
                "issuer": text(c, "AllowIssuerSignature") == "true",
                "signers": [names_by_id[s.text][1] for s in c.findall("l7:TrustedSigners", NS)],
            } for c in policy.findall("l7:RevocationCheckItems", NS)],
        }
    return policies, names


def graphman_trust(bundle, where):
    certs, providers, users = {}, {}, {}
    for c in bundle.get("trustedCerts", []):
        der = base64.b64decode(c["certBase64"])
        check(sha1_b64(der) == c["thumbprintSha1"], f"{where}: {c['name']}: thumbprintSha1 is the SHA-1 of certBase64")
        certs[c["name"]] = {
            "sha1": c["thumbprintSha1"],
            "anchor": c["trustAnchor"],
            "verifyHostname": c["verifyHostname"],
            "revocation": c["revocationCheckPolicyType"] != "NONE",
            "policy": c.get("revocationCheckPolicyName"),
            "purposes": sorted(c["trustedFor"]),
        }
        check((c["revocationCheckPolicyType"] == "SPECIFIED") == ("revocationCheckPolicyName" in c),
              f"{where}: {c['name']}: a policy name exactly with SPECIFIED")
    policies = {}
    for p in bundle.get("revocationCheckPolicies", []):
        policies[p["name"]] = {
            "default": p["defaultPolicy"], "continue": p["continueOnServerUnavailable"],
            "success": p["defaultSuccess"],
            "checks": [{"type": c["type"], "url": c["url"], "issuer": c["allowIssuerSignature"],
                        "signers": c.get("signerThumbprintSha1s", [])}
                       for c in p["revocationCheckPolicyItems"]],
        }
    for p in bundle.get("federatedIdps", []):
        providers[p["name"]] = {
            "x509": p["supportsX509"],
            "saml": p["supportsSAML"],
            "validation": p.get("certValidation", "USE_DEFAULT"),
            "trusted": [[r["name"], r["thumbprintSha1"]] for r in p.get("trustedCerts", [])],
        }
    for u in bundle.get("federatedUsers", []):
        users[u["providerName"] + "\n" + u["name"]] = {
            "login": u.get("login", ""), "dn": u.get("subjectDn", ""),
            "first": u.get("firstName", ""), "last": u.get("lastName", ""),
            "email": u.get("email", ""),
            "cert": sha1_b64(base64.b64decode(u["certBase64"])) if "certBase64" in u else ""}
    return {"certs": certs, "providers": providers, "users": users, "policies": policies}


def compare(restman_path, graphman_path, delete_path):
    with open(graphman_path, encoding="utf-8") as f:
        install = json.load(f)
    with open(delete_path, encoding="utf-8") as f:
        delete = json.load(f)
    expected = restman_trust(restman_path)
    actual = graphman_trust(install, graphman_path)
    for kind in KINDS:
        check(expected[kind] == actual[kind],
              f"{graphman_path}: {kind} differ from {restman_path}:\n  RESTMAN  {expected[kind]}\n"
              f"  Graphman {actual[kind]}")
    check(install.get("properties") == {"defaultAction": "NEW_OR_UPDATE"},
          f"{graphman_path}: installs with NEW_OR_UPDATE")
    check(delete.get("properties") == {"defaultAction": "DELETE"},
          f"{delete_path}: deletes with DELETE")
    check({k: v for k, v in delete.items() if k != "properties"} ==
          {k: v for k, v in install.items() if k != "properties"},
          f"{delete_path}: lists the entities of the install bundle")
    return sum(len(v) for v in expected.values())


def main():
    source_dir, trustc = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    pairs = []
    for restman in sorted(glob.glob(os.path.join(source_dir, "tests/golden/*.install.bundle"))):
        base = restman[: -len(".install.bundle")]
        pairs.append((restman, base + ".graphman.json", base + ".graphman.delete.json"))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        run = subprocess.run([trustc, "build", "-q", "main.trust", "-o", out],
                             cwd=os.path.join(source_dir, "examples/ca-im-scim"),
                             capture_output=True, text=True)
        check(run.returncode == 0, f"trustc build of the example: {run.stderr}")
        sidecars = os.path.join(source_dir, "tests/graphman/example")
        for name in ("api_gateway.graphman.json", "api_gateway.graphman.delete.json"):
            with open(os.path.join(out, "gateways", name), encoding="utf-8") as f:
                built = f.read()
            sidecar = os.path.join(sidecars, name)
            if os.environ.get("TRUST_UPDATE_GOLDEN") == "1":
                os.makedirs(sidecars, exist_ok=True)
                with open(sidecar, "w", encoding="utf-8") as f:
                    f.write(built)
            existing = open(sidecar, encoding="utf-8").read() if os.path.exists(sidecar) else ""
            check(existing == built, f"{sidecar} differs from the build (TRUST_UPDATE_GOLDEN=1 rewrites it)")
        gw = os.path.join(out, "gateways", "api_gateway")
        pairs.append((gw + ".install.bundle", gw + ".graphman.json", gw + ".graphman.delete.json"))
        entities = 0
        for restman, graphman, delete in pairs:
            for path in (graphman, delete):
                check(os.path.exists(path), f"{path} exists beside {restman}")
            if os.path.exists(graphman) and os.path.exists(delete):
                entities += compare(restman, graphman, delete)
    check(len(pairs) >= 10 and entities > 0, f"compared {len(pairs)} bundle pairs, {entities} entities")
    print(f"{len(pairs)} bundle pair(s), {entities} entities compared, {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
