#!/usr/bin/env python3
"""examples/kubernetes: what a Layer7 Operator user applies.

- every Gateway and Repository validates against the openAPIV3Schema of its CRD in
  ../shared/reference/layer7-operator/, strictly: a field the schema does not declare is an
  error (the API server would drop it, or refuse it with strict field validation);
- the Secrets hold exactly the bundles `trustc build` writes for examples/ca-im-scim
  (TRUST_UPDATE_GOLDEN=1 rewrites them);
- the names line up: the Gateway references the Repository, the Repository and the
  RESTMAN Gateway reference Secrets that exist.

Needs python3-yaml and python3-jsonschema. Without the CRDs it skips (exit 77), except when
CI is set, where it fails.

usage: check_kubernetes.py SOURCE_DIR TRUSTC
"""
import copy
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema
import yaml

# The shared check tally (tests/support/python/checks.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support", "python"))
from checks import check, summary  # noqa: E402

SECRETS = {  # Secret file -> (Secret name, key, built artifact)
    "graphman-secret.yaml": ("api-gateway-trust-graphman", "api_gateway.graphman.json",
                             "gateways/api_gateway.graphman.json"),
    "restman-secret.yaml": ("api-gateway-trust-restman", "api_gateway.install.bundle",
                            "gateways/api_gateway.install.bundle"),
}
HEADER = ("# Generated from examples/ca-im-scim by `trustc build` (tests/graphman/check_kubernetes.py\n"
          "# checks it; TRUST_UPDATE_GOLDEN=1 rewrites it). The same as:\n"
          "#   kubectl create secret generic {name} --from-file={key}=out/{artifact}\n")


def strict(schema):
    """The schema with additionalProperties: false wherever it lists properties and says
    nothing else about unknown ones."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if ("properties" in node and "additionalProperties" not in node
                    and not node.get("x-kubernetes-preserve-unknown-fields")):
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    # metadata is the API server's ObjectMeta, which the CRD leaves open.
    schema["properties"]["metadata"] = {"type": "object"}
    return schema


def crd_schemas(crd_dir):
    schemas = {}
    for path in sorted(glob.glob(os.path.join(crd_dir, "*.crd.yaml"))):
        with open(path, encoding="utf-8") as f:
            crd = yaml.safe_load(f)
        for version in crd["spec"]["versions"]:
            api = crd["spec"]["group"] + "/" + version["name"]
            schemas[(api, crd["spec"]["names"]["kind"])] = strict(
                version["schema"]["openAPIV3Schema"])
    return schemas


def secret_text(name, key, artifact, bundle):
    body = "".join("    " + line + "\n" if line else "\n" for line in bundle.splitlines())
    return (HEADER.format(name=name, key=key, artifact=artifact) +
            f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\ntype: Opaque\n"
            f"stringData:\n  {key}: |\n{body}")


def main():
    source_dir, trustc = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    crd_dir = os.path.join(source_dir, "..", "shared", "reference", "layer7-operator")
    crds = [os.path.join(crd_dir, f) for f in ("gateways.crd.yaml", "repositories.crd.yaml")]
    missing = [f for f in crds if not os.path.isfile(f)]
    if missing:
        if os.environ.get("CI"):
            print("FAIL: CI is set and the CRDs are missing: " + " ".join(missing))
            return 1
        print("SKIP: the CRDs are missing: " + " ".join(missing))
        return 77
    schemas = crd_schemas(crd_dir)
    check(("security.brcmlabs.com/v1", "Gateway") in schemas and
          ("security.brcmlabs.com/v1", "Repository") in schemas, "both CRDs have a v1 schema")
    example = os.path.join(source_dir, "examples", "kubernetes")

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        run = subprocess.run([trustc, "build", "-q", "main.trust", "-o", out],
                             cwd=os.path.join(source_dir, "examples/ca-im-scim"),
                             capture_output=True, text=True)
        check(run.returncode == 0, f"trustc build of examples/ca-im-scim {run.stderr}")
        for file, (name, key, artifact) in SECRETS.items():
            with open(os.path.join(out, artifact), encoding="utf-8") as f:
                built = f.read()
            expected = secret_text(name, key, artifact, built)
            path = os.path.join(example, file)
            if os.environ.get("TRUST_UPDATE_GOLDEN") == "1":
                with open(path, "w", encoding="utf-8") as f:
                    f.write(expected)
            actual = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
            check(actual == expected, f"{file} holds the bundle of the build "
                  "(TRUST_UPDATE_GOLDEN=1 rewrites it)")
            doc = yaml.safe_load(actual) if actual else {}
            check(doc.get("stringData", {}).get(key) == built,
                  f"{file}: stringData.{key} parses back to the bundle, byte for byte")

    resources = {}
    validated = 0
    for path in sorted(glob.glob(os.path.join(example, "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            docs = [d for d in yaml.safe_load_all(f) if d is not None]
        for doc in docs:
            kind, api = doc.get("kind"), doc.get("apiVersion")
            name = doc.get("metadata", {}).get("name")
            resources.setdefault(kind, {})[name] = doc
            where = f"{os.path.basename(path)}: {kind} {name}"
            if kind == "Secret":
                check(api == "v1" and isinstance(doc.get("stringData"), dict), f"{where} is a v1 Secret")
                continue
            schema = schemas.get((api, kind))
            check(schema is not None, f"{where}: {api} {kind} has a CRD")
            if schema is None:
                continue
            errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(doc), key=str)
            for e in errors:
                print(f"  {where}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
            check(not errors, f"{where} validates against its CRD")
            validated += 1
    check(validated >= 3, f"{validated} custom resources validated")

    # A wrong field must be refused: the validation is not vacuous.
    bad = copy.deepcopy(resources.get("Repository", {}).get("api-gateway-trust", {}))
    bad.setdefault("spec", {})["localRefrence"] = {"secretName": "typo"}
    check(any(True for _ in jsonschema.Draft7Validator(
        schemas[("security.brcmlabs.com/v1", "Repository")]).iter_errors(bad)),
          "a misspelt field is refused")

    secrets = resources.get("Secret", {})
    repositories = resources.get("Repository", {})
    for name, repo in repositories.items():
        spec = repo["spec"]
        check(spec.get("type") == "local" and spec.get("localReference", {}).get("secretName") in secrets,
              f"Repository {name} is local and reads an existing Secret")
    gateways = glob.glob(os.path.join(example, "gateway*.yaml"))
    for path in gateways:
        with open(path, encoding="utf-8") as f:
            app = yaml.safe_load(f)["spec"]["app"]
        for ref in app.get("repositoryReferences", []):
            check(ref["name"] in repositories, f"{os.path.basename(path)}: Repository {ref['name']} exists")
        for bundle in app.get("bundle", []):
            check(bundle["source"] == "secret" and bundle["name"] in secrets and
                  bundle["type"] in ("restman", "graphman"),
                  f"{os.path.basename(path)}: bundle Secret {bundle['name']} exists")
    # docs/deploy.md gives the commands that make the Secrets, as the Secrets' headers say.
    deploy = open(os.path.join(source_dir, "docs", "deploy.md"), encoding="utf-8").read()
    readme = open(os.path.join(example, "README.md"), encoding="utf-8").read()
    for file, (name, key, artifact) in SECRETS.items():
        line = f"kubectl create secret generic {name} --from-file={key}=out/{artifact}"
        check(line in deploy, f"docs/deploy.md has `{line}`")
    # ... and its build commands run, as written, in a copy of the example.
    block = re.search(r"```sh\n(cd examples/ca-im-scim\n.*?)```", deploy, re.S)
    check(block is not None and "trustc build main.trust -o out" in block.group(1),
          "docs/deploy.md builds the example")
    if block:
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(os.path.join(source_dir, "examples"), os.path.join(tmp, "examples"))
            env = dict(os.environ, PATH=os.path.dirname(trustc) + os.pathsep + os.environ["PATH"])
            run = subprocess.run(["sh", "-euc", block.group(1)], cwd=tmp, env=env,
                                 capture_output=True, text=True)
            check(run.returncode == 0 and os.path.isfile(
                os.path.join(tmp, "examples/ca-im-scim/out/gateways/api_gateway.graphman.json")),
                  "docs/deploy.md's build commands run" +
                  ("" if run.returncode == 0 else f" (exit {run.returncode}) {run.stderr}"))
    line = "kubectl create secret generic api-gateway-trust-graphman"
    check(line in readme, "examples/kubernetes/README.md makes the Graphman Secret")
    return summary()


if __name__ == "__main__":
    sys.exit(main())
