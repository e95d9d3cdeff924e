#!/usr/bin/env bash
# The main job, end to end on the example scenario (examples/ca-im-scim):
#   install what is missing, build, check the example, build its artifacts, verify them as a
#   release consumer would, then apply the keystore manifests with trust-apply to two demo
#   keystores it creates (the Connector Server's PKCS#12 store and Connector Xpress's JKS
#   cacerts, each already holding a private key entry) and list them with trust-apply and keytool.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh trustc trust-apply  # only what this job runs; scripts/test.sh builds the rest

example=examples/ca-im-scim
out=out/ca-im-scim
demo=out/demo
trustc=build/bin/trustc
apply=build/bin/trust-apply

echo "== trustc check $example/main.trust"
$trustc check "$example/main.trust"
echo "== trustc build $example/main.trust -o $out"
$trustc build "$example/main.trust" -o "$out"
(cd "$out" && find . -type f | sort | sed 's|^\./|   |')
echo "== sha256sum -c SHA256SUMS"
(cd "$out" && sha256sum -c SHA256SUMS)

echo "== demo keystores in $demo (each starts with one private key entry)"
rm -rf "$demo" && mkdir -p "$demo/cx/jvm/lib/security"
# The deployment scripts' contract (std/ca_im): these exact variable names.
export IMCS_KEYSTORE="$PWD/$demo/connector-server.p12" IMCS_KEYSTORE_PASSWORD=demo-password
export CX_HOME="$PWD/$demo/cx" CX_CACERTS_PASSWORD=changeit
keytool -genkeypair -keystore "$IMCS_KEYSTORE" -storetype PKCS12 -storepass:env IMCS_KEYSTORE_PASSWORD \
  -alias connector-server -keyalg EC -dname "CN=Connector Server" -validity 3650 2>/dev/null
keytool -genkeypair -keystore "$CX_HOME/jvm/lib/security/cacerts" -storetype JKS \
  -storepass:env CX_CACERTS_PASSWORD -alias cx-client -keyalg EC -dname "CN=Connector Xpress" \
  -validity 3650 2>/dev/null

echo "== a stand-in for the gateway: TLS on 127.0.0.1:8443 with its SSL certificate"
openssl s_server -quiet -accept 127.0.0.1:8443 -cert "$example/certs/dev/api-gateway-ssl.pem" \
  -key "$example/demo/gateway-tls.key" -www >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/8443) 2>/dev/null && break; sleep 0.1; done
export GATEWAY_HOST=127.0.0.1

manifests=("$out"/keystores/*.manifest.json)
echo "== trust-apply plan"
$apply plan --sums "$out/SHA256SUMS" "${manifests[@]}" || [ $? -eq 2 ]
echo "== trust-apply apply"
$apply apply --sums "$out/SHA256SUMS" --no-backup "${manifests[@]}"
echo "== trust-apply apply, again: nothing to do, nothing rewritten"
$apply apply --sums "$out/SHA256SUMS" --no-backup "${manifests[@]}"
echo "== trust-apply verify"
$apply verify "${manifests[@]}"

echo "== trust-apply list (Connector Server, PKCS#12)"
$apply list "$IMCS_KEYSTORE" --password-env IMCS_KEYSTORE_PASSWORD
echo "== keytool -list (Connector Xpress cacerts, JKS)"
keytool -list -keystore "$CX_HOME/jvm/lib/security/cacerts" -storepass:env CX_CACERTS_PASSWORD
echo "== keytool -list (Connector Server, PKCS#12)"
keytool -list -keystore "$IMCS_KEYSTORE" -storetype PKCS12 -storepass:env IMCS_KEYSTORE_PASSWORD
