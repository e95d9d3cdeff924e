#!/usr/bin/env python3
"""The trust content of a RESTMAN bundle, normalised so that two bundles can be compared.

    trust_summary.py BUNDLE            print the summary (JSON)
    trust_summary.py --compare A B     exit 1, listing the differences, unless A and B hold
                                       the same trust

What counts as trust (bundle-format.md): trusted certificates (by the SHA-256 of their DER)
with the eight trustedCert flags (absent keys take the gateway's defaults) and the revocation
policy they reference; federated identity providers (by name) with their credential types,
certificateValidation and referenced certificates; their users (by provider, login and `name`
property) with subject DN, names, email and attached certificate; revocation checking policies
(by name) with their flags and checks. Ids, GOIDs, item order, mapping actions and everything
that is not trust are left out: an export and a bundle rebuilt from its import must agree on
exactly this. Items whose mapping is `Delete` or `Ignore` configure nothing and are left out.

Elements are found by name in the l7 namespace, so that new shapes extend it by adding a field
to one of the *_summary functions below.
"""
import base64
import hashlib
import json
import sys
import xml.etree.ElementTree as ET

L7 = "{http://ns.l7tech.com/2010/04/gateway-management}"

# The eight trustedCert properties and the gateway's default for an absent key.
TRUST_FLAGS = {
    "revocationCheckingEnabled": True,
    "trustAnchor": False,
    "trustedAsSamlAttestingEntity": False,
    "trustedAsSamlIssuer": False,
    "trustedForSigningClientCerts": False,
    "trustedForSigningServerCerts": False,
    "trustedForSsl": False,
    "verifyHostname": True,
}


def child(element, name):
    return None if element is None else element.find(L7 + name)


def children(element, name):
    return [] if element is None else element.findall(L7 + name)


def elements(element):
    """Every child element, whatever its name: the spec names the lists, not their entries."""
    return [] if element is None else list(element)


def text(element):
    return "" if element is None or element.text is None else element.text.strip()


def properties(element):
    """l7:Properties as {key: value}, each value typed as the bundle types it."""
    out = {}
    for prop in children(child(element, "Properties"), "Property"):
        value = next(iter(prop), None)
        if value is None:
            continue
        raw = text(value)
        out[prop.get("key")] = raw == "true" if value.tag == L7 + "BooleanValue" else raw
    return out


def der_sha256(certificate_data):
    encoded = "".join(text(child(certificate_data, "Encoded")).split())
    return hashlib.sha256(base64.b64decode(encoded)).hexdigest() if encoded else ""


def included_items(root):
    """(type, id, resource element) of every item whose mapping configures it."""
    actions = {(m.get("srcId"), m.get("type")): m.get("action")
               for m in children(child(root, "Mappings"), "Mapping")}
    for item in children(child(root, "References"), "Item"):
        item_id, item_type = text(child(item, "Id")), text(child(item, "Type"))
        if actions.get((item_id, item_type)) in ("Delete", "Ignore"):
            continue
        resource = child(item, "Resource")
        entity = next(iter(resource), None) if resource is not None else None
        if entity is not None:
            yield item_type, item_id, entity


def certificate_summary(entity, policy_names):
    props = properties(entity)
    flags = {key: props.get(key, default) for key, default in TRUST_FLAGS.items()}
    reference = child(child(entity, "Extension"), "RevocationCheckingPolicyReference")
    return {
        "name": text(child(entity, "Name")),
        "flags": flags,
        "revocation_policy": policy_names.get(reference.get("id"), "?") if reference is not None
        else None,
    }


def policy_summary(entity, cert_by_id):
    checks = []
    for item in elements(child(entity, "RevocationCheckItems")):
        checks.append({
            "type": text(child(item, "Type")),
            "url": text(child(item, "Url")),
            "allow_issuer_signature": text(child(item, "AllowIssuerSignature")) == "true",
            "trusted_signers": sorted(cert_by_id.get(text(s) or s.get("id"), "?")
                                      for s in elements(child(item, "TrustedSigners"))),
        })
    return {
        "default": text(child(entity, "DefaultPolicy")) == "true",
        "continue_on_server_unavailable": text(child(entity, "ContinueOnServerUnavailable")) == "true",
        "default_success": text(child(entity, "DefaultSuccess")) == "true",
        "checks": checks,
    }


def provider_summary(entity, cert_by_id):
    props = properties(entity)
    detail = child(child(entity, "Extension"), "FederatedIdentityProviderDetail")
    references = children(child(detail, "CertificateReferences"), "Reference")
    return {
        "x509": props.get("enableCredentialType.x509", False),
        "saml": props.get("enableCredentialType.saml", False),
        "certificate_validation": props.get("certificateValidation", ""),
        "certificates": sorted(cert_by_id.get(r.get("id"), "?") for r in references),
    }


def user_summary(entity):
    attached = child(child(entity, "Extension"), "CertificateData")
    return {
        "dn": text(child(entity, "SubjectDn")),
        "first_name": text(child(entity, "FirstName")),
        "last_name": text(child(entity, "LastName")),
        "email": text(child(entity, "Email")),
        "certificate": der_sha256(attached) if attached is not None else None,
    }


def summarize(path):
    root = ET.parse(path).getroot()
    items = list(included_items(root))
    cert_by_id = {i: der_sha256(child(e, "CertificateData"))
                  for t, i, e in items if t == "TRUSTED_CERT"}
    policy_names = {i: text(child(e, "Name")) for t, i, e in items if t == "REVOCATION_CHECK_POLICY"}
    provider_names = {}
    summary = {"certificates": {}, "revocation_policies": {}, "identity_providers": {}, "users": {}}
    for item_type, item_id, entity in items:
        if item_type == "TRUSTED_CERT":
            summary["certificates"][cert_by_id[item_id]] = certificate_summary(entity, policy_names)
        elif item_type == "REVOCATION_CHECK_POLICY":
            summary["revocation_policies"][policy_names[item_id]] = policy_summary(entity, cert_by_id)
        elif item_type == "ID_PROVIDER_CONFIG" and text(child(entity, "IdentityProviderType")) == "Federated":
            name = text(child(entity, "Name"))
            provider_names[item_id] = name
            summary["identity_providers"][name] = provider_summary(entity, cert_by_id)
    for item_type, _, entity in items:
        provider = provider_names.get(entity.get("providerId"))
        if item_type == "USER" and provider is not None:
            key = " / ".join([provider, text(child(entity, "Login")), properties(entity).get("name", "")])
            summary["users"][key] = user_summary(entity)
    return summary


def differences(a, b, where=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            here = f"{where}/{key}"
            if key not in a:
                yield f"{here}: only in the second"
            elif key not in b:
                yield f"{here}: only in the first"
            else:
                yield from differences(a[key], b[key], here)
    elif a != b:
        yield f"{where}: {json.dumps(a)} != {json.dumps(b)}"


def main(argv):
    if len(argv) == 2:
        print(json.dumps(summarize(argv[1]), indent=2, sort_keys=True))
        return 0
    if len(argv) == 4 and argv[1] == "--compare":
        found = list(differences(summarize(argv[2]), summarize(argv[3])))
        for line in found:
            print(line)
        return 1 if found else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
