#!/usr/bin/env bash
# Regenerates attached-users.bundle: a RESTMAN export shaped like the gateway's own (an OAuth
# Toolkit style estate), for the import tests of users that carry their own certificates.
#
# What it holds: a client CA trusted on the gateway for signing client certificates; an X.509
# federated provider with `Validate Certificate Path` and NO certificate references; two
# login-less users (empty l7:Login and empty Item name, known by their `name` property) and one
# user with a login, each with its own certificate in l7:Extension/l7:CertificateData (base64
# wrapped at 64 columns, as exports do). Keys are random and deleted on exit, so a run changes
# every fingerprint: it refuses to overwrite the bundle without --force.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/attached-users.bundle"
if [[ -e "$out" && "${1:-}" != --force ]]; then
  echo "$out exists; rerun with --force to replace it" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

days=36500
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$days" \
  -keyout "$work/ca.key" -out "$work/ca.pem" -subj "/C=US/O=trustc tests/CN=OTK Client CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  2>/dev/null

# user NAME SUBJECT: a client certificate issued by the CA.
user() {
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/$1.key" \
    -out "$work/$1.csr" -subj "$2" 2>/dev/null
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' \
    >"$work/$1.ext"
  openssl x509 -req -in "$work/$1.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
    -CAcreateserial -days "$days" -sha256 -extfile "$work/$1.ext" -out "$work/$1.pem" 2>/dev/null
}
user client1 "/C=US/O=trustc tests/OU=OTK Clients/CN=otk-client-1"
user client2 "/C=US/O=trustc tests/OU=OTK Clients/CN=otk-client-2"
user carol "/C=US/O=trustc tests/OU=Users/CN=carol"

encoded() { openssl x509 -in "$work/$1.pem" -outform DER | base64 -w 64; }
field() { openssl x509 -in "$work/$1.pem" -noout "-$2" -nameopt RFC2253 | sed 's/^[a-z]*=//'; }

readonly ns=http://ns.l7tech.com/2010/04/gateway-management
readonly ca_id=6a1e0c1d2f3b4a5c8d9e0f1a2b3c4d5e
readonly idp_id=7b2f1d2e3a4c5b6d9e0f1a2b3c4d5e6f

# item_head NAME ID TYPE: an l7:Item up to its l7:Resource.
item_head() {
  cat <<EOF
        <l7:Item>
            <l7:Name>$1</l7:Name>
            <l7:Id>$2</l7:Id>
            <l7:Type>$3</l7:Type>
            <l7:TimeStamp>2026-11-30T12:00:00.000Z</l7:TimeStamp>
            <l7:Resource>
EOF
}

# user_item ID LOGIN NAME CERT
user_item() {
  item_head "$2" "$1" USER
  cat <<EOF
                <l7:User providerId="$idp_id" id="$1">
                    <l7:Login>$2</l7:Login>
                    <l7:SubjectDn>$(field "$4" subject)</l7:SubjectDn>
                    <l7:Properties>
                        <l7:Property key="name">
                            <l7:StringValue>$3</l7:StringValue>
                        </l7:Property>
                    </l7:Properties>
                    <l7:Extension>
                        <l7:CertificateData>
                            <l7:IssuerName>$(field "$4" issuer)</l7:IssuerName>
                            <l7:SerialNumber>$(python3 -c "print(int('$(openssl x509 -in "$work/$4.pem" -noout -serial | cut -d= -f2)', 16))")</l7:SerialNumber>
                            <l7:SubjectName>$(field "$4" subject)</l7:SubjectName>
                            <l7:Encoded>$(encoded "$4")</l7:Encoded>
                        </l7:CertificateData>
                    </l7:Extension>
                </l7:User>
            </l7:Resource>
        </l7:Item>
EOF
}

property() {
  printf '                        <l7:Property key="%s">\n                            <l7:%s>%s</l7:%s>\n                        </l7:Property>\n' \
    "$1" "$2" "$3" "$2"
}

{
  cat <<EOF
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<l7:Bundle xmlns:l7="$ns">
    <l7:References>
EOF
  item_head "OTK Client CA" "$ca_id" TRUSTED_CERT
  cat <<EOF
                <l7:TrustedCertificate id="$ca_id">
                    <l7:Name>OTK Client CA</l7:Name>
                    <l7:CertificateData>
                        <l7:IssuerName>$(field ca issuer)</l7:IssuerName>
                        <l7:SubjectName>$(field ca subject)</l7:SubjectName>
                        <l7:Encoded>$(encoded ca)</l7:Encoded>
                    </l7:CertificateData>
                    <l7:Properties>
EOF
  property revocationCheckingEnabled BooleanValue false
  property trustAnchor BooleanValue true
  property trustedAsSamlAttestingEntity BooleanValue false
  property trustedAsSamlIssuer BooleanValue false
  property trustedForSigningClientCerts BooleanValue true
  property trustedForSigningServerCerts BooleanValue false
  property trustedForSsl BooleanValue false
  property verifyHostname BooleanValue false
  cat <<EOF
                    </l7:Properties>
                </l7:TrustedCertificate>
            </l7:Resource>
        </l7:Item>
EOF
  item_head "OTK Client Provider" "$idp_id" ID_PROVIDER_CONFIG
  cat <<EOF
                <l7:IdentityProvider id="$idp_id">
                    <l7:Name>OTK Client Provider</l7:Name>
                    <l7:IdentityProviderType>Federated</l7:IdentityProviderType>
                    <l7:Properties>
EOF
  property certificateValidation StringValue "Validate Certificate Path"
  property enableCredentialType.saml BooleanValue false
  property enableCredentialType.x509 BooleanValue true
  cat <<EOF
                    </l7:Properties>
                    <l7:Extension>
                        <l7:FederatedIdentityProviderDetail/>
                    </l7:Extension>
                </l7:IdentityProvider>
            </l7:Resource>
        </l7:Item>
EOF
  user_item 8c3a2e3f4b5d6c7e0f1a2b3c4d5e6f70 "" "otk client 1" client1
  user_item 8c3a2e3f4b5d6c7e0f1a2b3c4d5e6f71 "" "otk client 2" client2
  user_item 8c3a2e3f4b5d6c7e0f1a2b3c4d5e6f72 carol carol carol
  cat <<EOF
    </l7:References>
    <l7:Mappings>
        <l7:Mapping action="NewOrExisting" srcId="$ca_id" srcUri="$ns/trustedCertificates/$ca_id" type="TRUSTED_CERT"/>
        <l7:Mapping action="NewOrExisting" srcId="$idp_id" srcUri="$ns/identityProviders/$idp_id" type="ID_PROVIDER_CONFIG"/>
        <l7:Mapping action="NewOrExisting" srcId="8c3a2e3f4b5d6c7e0f1a2b3c4d5e6f70" type="USER"/>
        <l7:Mapping action="NewOrExisting" srcId="8c3a2e3f4b5d6c7e0f1a2b3c4d5e6f71" type="USER"/>
        <l7:Mapping action="NewOrExisting" srcId="8c3a2e3f4b5d6c7e0f1a2b3c4d5e6f72" type="USER"/>
    </l7:Mappings>
</l7:Bundle>
EOF
} >"$out"
echo "wrote $out"
