#!/usr/bin/env bash
# Regenerates the certificates in certs/ with the openssl CLI (3.0): a partner's small PKI
# whose issuing CA and client certificates publish where their revocation status is found.
#
# Validity is fixed (2025-01-01 .. 2065-01-01) so the example builds the same way for decades;
# `openssl ca` is used because OpenSSL 3.0's `req -x509` cannot set a start date. Keys are
# random and live in a temporary directory deleted on exit: none is written next to the
# certificates, so every run gives new fingerprints.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/certs"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out" "$work/issued"

readonly start_date=20250101000000Z
readonly end_date=20650101000000Z
# Where the partner publishes: an OCSP responder and one CRL per CA.
readonly pki=http://pki.partner.example

cat >"$work/ca.cnf" <<CNF
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
organizationName       = optional
organizationalUnitName = optional
commonName             = optional

# The root is checked by no one: no AIA, no CRL distribution point.
[ root_ext ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

# Issued by the root: its status is at the root's OCSP responder and in the root's CRL.
[ issuing_ca_ext ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
authorityInfoAccess    = OCSP;URI:$pki/ocsp
crlDistributionPoints  = URI:$pki/root.crl

# Issued by the issuing CA: the same responder, the issuing CA's CRL.
[ client_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
authorityInfoAccess    = OCSP;URI:$pki/ocsp
crlDistributionPoints  = URI:$pki/issuing.crl
CNF
: >"$work/index.txt"
echo 1000 >"$work/serial"

new_key() {
  openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$1.key"
}

# issue NAME SUBJECT EXTENSIONS ISSUER|self: writes $work/NAME.pem.
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

readonly org="/C=US/O=Partner Corp"
new_key partner-root
issue partner-root "$org/CN=Partner Root CA" root_ext self
new_key partner-issuing-ca
issue partner-issuing-ca "$org/CN=Partner Issuing CA" issuing_ca_ext partner-root
new_key alice
issue alice "$org/OU=Partner Users/CN=alice" client_ext partner-issuing-ca
new_key bob
issue bob "$org/OU=Partner Users/CN=bob" client_ext partner-issuing-ca

for name in partner-root partner-issuing-ca alice bob; do
  openssl x509 -in "$work/$name.pem" -out "$out/$name.pem"
  printf '%-24s %s\n' "$name.pem" \
    "$(openssl x509 -in "$out/$name.pem" -noout -subject -nameopt RFC2253)"
done
