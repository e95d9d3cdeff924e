#!/usr/bin/env bash
# Regenerates the certificate corpus of the golden tests (see README.md) with the openssl CLI.
#
# Validity dates are fixed so the goldens never depend on the clock (run them with `--now`);
# `openssl ca` is used because OpenSSL 3.0's `req -x509` cannot set a start date. Keys are
# random, so a run changes every fingerprint the goldens pin: it refuses to overwrite an
# existing corpus without --force. Private keys live in a temporary directory deleted on exit;
# the only key written here is the throwaway one that key-and-cert.pem exists to contain.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# --revocation: only (re)make the revocation corpus (its own root; see make_revocation_certs).
mode="${1:-}"
if [[ -e "$here/root-ca.pem" && "$mode" != --force && "$mode" != --revocation ]]; then
  echo "$here already holds a corpus; rerun with --force to replace it (goldens pinning" \
    "sha256 values will need updating)" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/issued"

# A throwaway CA database; `preserve` keeps each subject in the order it is written below.
cat >"$work/ca.cnf" <<EOF
[ ca ]
default_ca = throwaway

[ throwaway ]
database        = $work/index.txt
new_certs_dir   = $work/issued
serial          = $work/serial
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

[ ca_ext ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ ca_no_keycertsign_ext ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, digitalSignature
subjectKeyIdentifier   = hash

[ server_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

[ leaf_server_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:leaf.example.com
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

[ revocation_ca_ext ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
authorityInfoAccess    = OCSP;URI:http://ocsp.example.test/root
crlDistributionPoints  = URI:http://crl.example.test/root.crl

[ ocsp_signer_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = OCSPSigning
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

[ client_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
EOF
: >"$work/index.txt"
echo 1000 >"$work/serial"  # serials in issue order: 0x1000, 0x1001, ...

# new_key NAME rsa3072|rsa1024|ec256|ec192
new_key() {
  local args
  case "$2" in
    rsa3072) args=(-algorithm RSA -pkeyopt rsa_keygen_bits:3072) ;;
    rsa1024) args=(-algorithm RSA -pkeyopt rsa_keygen_bits:1024) ;;
    ec256) args=(-algorithm EC -pkeyopt ec_paramgen_curve:P-256) ;;
    ec192) args=(-algorithm EC -pkeyopt ec_paramgen_curve:P-192) ;;
  esac
  openssl genpkey -quiet "${args[@]}" -out "$work/$1.key"
}

# issue NAME SUBJECT EXTENSIONS ISSUER|self START END [DIGEST]: writes $work/NAME.pem.
# SUBJECT is in openssl's slash form, least specific RDN first (the certificate's own order).
issue() {
  local name="$1" subject="$2" extensions="$3" issuer="$4" start="$5" end="$6" md="${7:-sha256}"
  openssl req -new -key "$work/$name.key" -subj "$subject" -out "$work/$name.csr"
  local signer=(-selfsign -keyfile "$work/$name.key")
  if [[ "$issuer" != self ]]; then
    signer=(-cert "$work/$issuer.pem" -keyfile "$work/$issuer.key")
  fi
  openssl ca -batch -notext -config "$work/ca.cnf" "${signer[@]}" -in "$work/$name.csr" \
    -md "$md" -startdate "$start" -enddate "$end" -extensions "$extensions" \
    -out "$work/$name.pem" 2>"$work/$name.log" || { cat "$work/$name.log" >&2; exit 1; }
}

# publish NAME...: copies the certificates (never the keys) into the corpus.
publish() {
  local name
  for name in "$@"; do openssl x509 -in "$work/$name.pem" -out "$here/$name.pem"; done
}

readonly org="/C=US/O=trustc tests"
readonly from=20200101000000Z
readonly to=20900101000000Z

# A separate small PKI for revocation checking policies: a root without revocation URLs, an
# intermediate CA that carries an AIA OCSP URL and a CRL distribution point, and an OCSP
# responder certificate (a policy's trusted signer).
make_revocation_certs() {
  new_key revocation-root ec256
  issue revocation-root "$org/CN=Revocation Test Root" ca_ext self "$from" "$to"
  new_key revocation-ca ec256
  issue revocation-ca "$org/CN=Revocation Test CA" revocation_ca_ext revocation-root "$from" "$to"
  new_key ocsp-signer ec256
  issue ocsp-signer "$org/CN=Test OCSP Responder" ocsp_signer_ext revocation-root "$from" "$to"
  publish revocation-root revocation-ca ocsp-signer
}
if [[ "$mode" == --revocation ]]; then
  make_revocation_certs
  exit 0
fi

new_key root-ca rsa3072
issue root-ca "$org/CN=Test Root CA" ca_ext self "$from" "$to"
new_key client-ca ec256
issue client-ca "$org/CN=Test Client CA" ca_ext root-ca "$from" "$to"
new_key server-ca ec256
issue server-ca "$org/CN=Test Server CA" ca_ext root-ca "$from" "$to"
new_key leaf ec256
issue leaf "$org/CN=leaf.example.com" leaf_server_ext server-ca "$from" "$to"
new_key user-alice ec256
issue user-alice "$org/OU=Users/CN=alice" client_ext client-ca "$from" "$to"
new_key user-bob-other-ca ec256
issue user-bob-other-ca "$org/OU=Users/CN=bob" client_ext server-ca "$from" "$to"

new_key expired ec256
issue expired "$org/CN=Expired" server_ext root-ca 20000101000000Z 20010101000000Z
new_key not-yet-valid ec256
issue not-yet-valid "$org/CN=Not Yet Valid" server_ext root-ca 20800101000000Z "$to"
new_key expires-2027 ec256
issue expires-2027 "$org/CN=Expires Soon" ca_ext self "$from" 20270201000000Z
new_key rsa1024 rsa1024
issue rsa1024 "$org/CN=Weak Key" server_ext root-ca "$from" "$to"
new_key ec-p192 ec192
issue ec-p192 "$org/CN=Weak EC Key" server_ext root-ca "$from" "$to"
new_key sha1 ec256
issue sha1 "$org/CN=SHA1 Signed" server_ext root-ca "$from" "$to" sha1
new_key sha1-root rsa3072
issue sha1-root "$org/CN=SHA1 Root CA" ca_ext self "$from" "$to" sha1
new_key ca-no-keycertsign ec256
issue ca-no-keycertsign "$org/CN=CA Without keyCertSign" ca_no_keycertsign_ext self "$from" "$to"
new_key ec256 ec256
issue ec256 "$org/CN=EC Root CA" ca_ext self "$from" "$to"

make_revocation_certs
publish root-ca client-ca server-ca leaf user-alice user-bob-other-ca expired not-yet-valid \
  expires-2027 rsa1024 ec-p192 sha1 sha1-root ca-no-keycertsign ec256
openssl x509 -in "$work/client-ca.pem" -outform DER -out "$here/ca.der"

# Files the loader must refuse.
new_key throwaway ec256
issue throwaway "$org/CN=Throwaway" server_ext self "$from" "$to"
openssl pkey -in "$work/throwaway.key" >"$here/key-and-cert.pem"
cat "$work/throwaway.pem" >>"$here/key-and-cert.pem"
cat "$here/leaf.pem" "$here/server-ca.pem" >"$here/two-certs.pem"
openssl req -new -key "$work/throwaway.key" -subj "$org/CN=Request" -out "$here/csr.pem"
: >"$here/empty.pem"
openssl x509 -in "$here/leaf.pem" -outform DER | head -c 200 >"$here/truncated.der"
sed '/-----END CERTIFICATE-----/d' "$here/leaf.pem" >"$here/unterminated.pem"
# Random once, then committed: regenerating it would only churn the repository.
[[ -e "$here/garbage.bin" ]] || head -c 256 /dev/urandom >"$here/garbage.bin"

for file in "$here"/*.pem "$here"/ca.der; do
  openssl x509 -in "$file" -inform "$([[ $file == *.der ]] && echo DER || echo PEM)" -noout \
    -subject -nameopt RFC2253 2>/dev/null | sed "s|^|$(basename "$file"): |" || true
done
