#!/usr/bin/env bash
# Regenerates the example certificates in certs/dev/ with the openssl CLI (3.0).
#
# Validity is fixed (2025-01-01 .. 2065-01-01) so the example builds the same way for decades;
# `openssl ca` is used because OpenSSL 3.0's `req -x509` cannot set a start date. Keys are
# random, so every run produces new certificates and new fingerprints. Private keys live in a
# temporary directory that is deleted on exit: none is ever written next to the certificates.
# One exception, outside certs/: demo/gateway-tls.key, the key of the demo gateway's SSL
# certificate, so that scripts/run-example.sh can stand in for the gateway with a local TLS
# server (`require_endpoint`). It is a throwaway demo key that no .trust file references.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/certs/dev"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out" "$work/issued"

readonly start_date=20250101000000Z
readonly end_date=20650101000000Z

# A throwaway CA database; `preserve` keeps each subject in the order it is written below.
cat >"$work/ca.cnf" <<EOF
[ ca ]
default_ca = throwaway

[ throwaway ]
database        = $work/index.txt
new_certs_dir   = $work/issued
serial          = $work/serial
default_md      = sha256
policy          = any_name
preserve        = yes
email_in_dn     = no
unique_subject  = no
copy_extensions = none

[ any_name ]
countryName            = optional
stateOrProvinceName    = optional
localityName           = optional
organizationName       = optional
organizationalUnitName = optional
commonName             = optional

[ ca_ext ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ client_rsa_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

[ client_ec_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

[ gateway_server_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:gateway.example.com
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
EOF
: >"$work/index.txt"
echo 1000 >"$work/serial"  # serials in issue order: 0x1000, 0x1001, ...

# new_key NAME rsa|ec
new_key() {
  case "$2" in
    rsa) openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$work/$1.key" ;;
    ec) openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$1.key" ;;
  esac
}

# issue NAME SUBJECT EXTENSIONS ISSUER|self: writes $work/NAME.pem. SUBJECT is in openssl's
# slash form, least specific RDN first (the certificate's own order).
issue() {
  local name="$1" subject="$2" extensions="$3" issuer="$4"
  openssl req -new -key "$work/$name.key" -subj "$subject" -out "$work/$name.csr"
  local signer=(-selfsign -keyfile "$work/$name.key")
  if [[ "$issuer" != self ]]; then
    signer=(-cert "$work/$issuer.pem" -keyfile "$work/$issuer.key")
  fi
  openssl ca -batch -notext -config "$work/ca.cnf" "${signer[@]}" -in "$work/$name.csr" \
    -startdate "$start_date" -enddate "$end_date" -extensions "$extensions" \
    -out "$work/$name.pem" 2>"$work/$name.log" || { cat "$work/$name.log" >&2; exit 1; }
}

publish_pem() { openssl x509 -in "$work/$1.pem" -out "$out/$2"; }
publish_der() { openssl x509 -in "$work/$1.pem" -outform DER -out "$out/$2"; }

readonly provisioning="/C=US/ST=NY/L=Islandia/O=Identity Management/OU=Provisioning Services"

new_key provisioning-ca rsa
issue provisioning-ca "$provisioning" ca_ext self
new_key eta_server rsa
issue eta_server "/C=US/ST=NY/O=Identity Management/OU=Provisioning Services/CN=eta_server" \
  client_rsa_ext provisioning-ca
new_key eta2_server ec
issue eta2_server "/C=US/ST=NY/O=Identity Management/OU=Provisioning Services/CN=eta2_server" \
  client_ec_ext provisioning-ca

new_key gateway-ca ec
issue gateway-ca "/C=US/O=Example/CN=Example Gateway CA" ca_ext self
new_key api-gateway-ssl ec
issue api-gateway-ssl "/C=US/O=Example/CN=gateway.example.com" gateway_server_ext gateway-ca

new_key endpoint-ca ec
issue endpoint-ca "/C=US/O=Example Endpoint/CN=SCIM Endpoint CA" ca_ext self

publish_der provisioning-ca provisioning-services-ca.cer
publish_pem eta_server eta_server.pem
publish_der eta2_server eta2_server.cer
publish_pem gateway-ca gateway-ca.pem
publish_pem api-gateway-ssl api-gateway-ssl.pem
publish_pem endpoint-ca endpoint-ca.pem
mkdir -p "$here/demo"
install -m 600 "$work/api-gateway-ssl.key" "$here/demo/gateway-tls.key"

for file in "$out"/*; do
  form=PEM
  [[ "$file" == *.cer ]] && form=DER
  printf '%-28s %s\n' "$(basename "$file")" \
    "$(openssl x509 -inform "$form" -in "$file" -noout -subject -nameopt RFC2253)"
done
