#!/usr/bin/env bash
# Remakes this example's generated part, estate/ (main.trust and its certificate files), with
# `trustc import` from three inputs:
#   (a) exports/api_gateway.install.bundle: the install bundle `trustc build` makes from
#       examples/ca-im-scim (rebuilt here first, at a fixed build time);
#   (b) exports/gdp__export-test.bundle: a real gateway export (Gateway Migration Utility),
#       kept as it was published;
#   (c) a JKS cacerts made here with keytool, as the seed procedure leaves Connector Xpress's
#       JVM trust store: the gateway's SSL certificate and eta2_server imported by hand, plus a
#       private-key entry (skipped by import with a note). It is made in a temporary directory
#       and not kept: its key is random.
# Run from anywhere; TRUSTC=path/to/trustc overrides build/bin/trustc. Needs keytool.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
trustc="${TRUSTC:-$root/build/bin/trustc}"
now=2027-01-15T00:00:00Z
certs="$root/examples/ca-im-scim/certs/dev"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# (a) The bundle trustc builds from the first example.
"$trustc" build "$root/examples/ca-im-scim/main.trust" -o "$work/built" --now "$now" -q
cp "$work/built/gateways/api_gateway.install.bundle" "$here/exports/"

# (c) Connector Xpress's cacerts, by hand, the old way.
export CX_CACERTS_PASSWORD=changeit
cacerts=cx/jvm/lib/security/cacerts
mkdir -p "$work/$(dirname "$cacerts")"
keytool -importcert -noprompt -keystore "$work/$cacerts" -storetype JKS \
  -storepass:env CX_CACERTS_PASSWORD -alias api_gateway_cert -file "$certs/api-gateway-ssl.pem" \
  >/dev/null
keytool -importcert -noprompt -keystore "$work/$cacerts" -storetype JKS \
  -storepass:env CX_CACERTS_PASSWORD -alias eta2_server -file "$certs/eta2_server.cer" >/dev/null
keytool -genkeypair -keystore "$work/$cacerts" -storetype JKS -storepass:env CX_CACERTS_PASSWORD \
  -alias cx-client -keyalg EC -dname "CN=Connector Xpress" -validity 3650 2>/dev/null

# Import from inside the work directory, so that the paths written into the source (the header
# comment, the keystore path) are the short relative ones shown in the README.
cp -r "$here/exports" "$work/exports"
mkdir -p "$work/estate"
(cd "$work" && "$trustc" import exports/api_gateway.install.bundle exports/gdp__export-test.bundle \
  --keystore "$cacerts:jks:CX_CACERTS_PASSWORD" -o estate/main.trust --now "$now")

rm -rf "$here/estate"
cp -r "$work/estate" "$here/estate"
"$trustc" check "$here/estate/main.trust" --now "$now"
"$trustc" fmt --check "$here/estate/main.trust"
