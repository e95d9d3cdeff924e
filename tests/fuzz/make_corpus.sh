#!/usr/bin/env bash
# Regenerates the seed corpora in tests/fuzz/corpus/ from the tests and the examples, plus small
# keystores made by keytool, openssl and trust-apply (our writer). Needs build/bin/trustc and
# build/bin/trust-apply (scripts/build.sh). Keystore seeds differ on every run (salts, dates);
# the checked-in ones need no regeneration unless the formats change.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tests/fuzz/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
# One directory per distinct inputs directory of the targets' table.
awk '!/^#/ && NF { print $2 }' tests/fuzz/targets.tsv | sort -u | while read -r dir; do
  mkdir -p "$out/$dir"
done

# Sources: golden tests, their imported libraries, the examples and the standard library.
for f in tests/golden/*.trust; do [[ ! -f $f ]] || cp "$f" "$out/fuzz_parse/golden_$(basename "$f")"; done
for f in tests/golden/lib/*.trust; do [[ ! -f $f ]] || cp "$f" "$out/fuzz_parse/lib_$(basename "$f")"; done
for f in stdlib/std/*.trust; do cp "$f" "$out/fuzz_parse/std_$(basename "$f")"; done
for f in examples/*/*.trust; do
  cp "$f" "$out/fuzz_parse/example_$(basename "$(dirname "$f")")_$(basename "$f")"
done

# Certificates: every file of the golden certs and the examples' certs.
for f in tests/golden/certs/*; do
  case $f in *.sh | *.md) continue ;; esac
  cp "$f" "$out/fuzz_cert/golden_$(basename "$f")"
done
find examples -path '*/certs/*' -type f ! -name '*.md' | while read -r f; do
  cp "$f" "$out/fuzz_cert/example_$(basename "$f")"
done

# PEM bundles: single certificates, a few concatenations, a key in the middle, text around.
certs=tests/golden/certs
cp $certs/root-ca.pem $certs/two-certs.pem $certs/key-and-cert.pem $certs/csr.pem \
  $certs/unterminated.pem $certs/empty.pem "$out/fuzz_pem_bundle/"
cat $certs/root-ca.pem $certs/client-ca.pem $certs/server-ca.pem $certs/leaf.pem \
  >"$out/fuzz_pem_bundle/four.pem"
{
  echo "# Subject: CN=Root"
  cat $certs/root-ca.pem
  echo
  echo "junk between blocks"
  cat $certs/ec256.pem
} >"$out/fuzz_pem_bundle/commented.pem"
tr -d '\r' <$certs/leaf.pem | sed 's/$/\r/' >"$out/fuzz_pem_bundle/crlf.pem"

# Keystores: keytool (JKS, JCEKS, PKCS#12; trusted entries and one key pair), openssl pkcs12.
pw=changeit
for fmt in JKS JCEKS PKCS12; do
  ks=$tmp/store.$fmt
  keytool -importcert -noprompt -keystore "$ks" -storetype $fmt -storepass $pw \
    -alias root -file $certs/root-ca.pem >/dev/null 2>&1
  keytool -importcert -noprompt -keystore "$ks" -storetype $fmt -storepass $pw \
    -alias ec -file $certs/ec256.pem >/dev/null 2>&1
  cp "$ks" "$tmp/trusted.$fmt"
  keytool -genkeypair -keystore "$ks" -storetype $fmt -storepass $pw -keypass $pw -alias key \
    -keyalg EC -groupname secp256r1 -dname CN=key -validity 3650 >/dev/null 2>&1
done
cp "$tmp/trusted.JKS" "$out/fuzz_jks/keytool_trusted.jks"
cp "$tmp/store.JKS" "$out/fuzz_jks/keytool_keypair.jks"
cp "$tmp/trusted.JCEKS" "$out/fuzz_jks/keytool_trusted.jceks"
cp "$tmp/store.JCEKS" "$out/fuzz_jks/keytool_keypair.jceks"
cp "$tmp/trusted.PKCS12" "$out/fuzz_pkcs12/keytool_trusted.p12"
cp "$tmp/store.PKCS12" "$out/fuzz_pkcs12/keytool_keypair.p12"
openssl pkcs12 -export -nokeys -in $certs/root-ca.pem -passout pass:$pw -certpbe NONE \
  -out "$out/fuzz_pkcs12/openssl_plain.p12"
openssl pkcs12 -export -nokeys -in $certs/two-certs.pem -passout pass:$pw -nomac \
  -certpbe NONE -out "$out/fuzz_pkcs12/openssl_nomac.p12"
openssl pkcs12 -export -nokeys -in $certs/leaf.pem -passout pass:$pw -legacy \
  -out "$out/fuzz_pkcs12/openssl_legacy.p12"

# Our writer: trust-apply creates one keystore of each format from a manifest.
for fmt in jks pkcs12 pem; do
  cp $certs/root-ca.pem "$tmp/root.pem"
  sha=$(openssl x509 -in $certs/root-ca.pem -outform DER | sha256sum | cut -d' ' -f1)
  cat >"$tmp/$fmt.manifest.json" <<JSON
{
  "schema": "trustc.keystore-manifest/1",
  "generator": "make_corpus",
  "source": "main.trust",
  "keystore": "k_$fmt",
  "format": "$fmt",
  "path": "$tmp/ours.$fmt",
  "password": {"env": "FUZZ_STORE_PASSWORD"},
  "create": true,
  "entries": [
    {"alias": "root", "cert": "root.pem", "sha256": "$sha", "subject": "CN=x",
     "notAfter": "2065-01-01T00:00:00Z", "replace": false}
  ],
  "remove": []
}
JSON
  FUZZ_STORE_PASSWORD=$pw build/bin/trust-apply apply --no-backup "$tmp/$fmt.manifest.json" \
    >/dev/null
done
cp "$tmp/ours.jks" "$out/fuzz_jks/ours.jks"
cp "$tmp/ours.pkcs12" "$out/fuzz_pkcs12/ours.p12"
cp "$tmp/ours.pem" "$out/fuzz_pem_bundle/ours.pem"
cp "$tmp"/*.manifest.json "$out/fuzz_manifest/"

# Manifests: the golden sidecars and the example's build output.
for f in tests/golden/*.manifest.json; do cp "$f" "$out/fuzz_manifest/golden_$(basename "$f")"; done
build/bin/trustc build examples/ca-im-scim/main.trust -o "$tmp/build" >/dev/null 2>&1
for f in "$tmp"/build/keystores/*.manifest.json; do
  cp "$f" "$out/fuzz_manifest/example_$(basename "$f")"
done
sed -i "s#$tmp/#/var/lib/#" "$out"/fuzz_manifest/*.json

# Bundles for the importer: ours (golden install bundles, the example's) and real gateway
# exports when ../shared is there.
for f in tests/golden/*.install.bundle "$tmp"/build/gateways/*.bundle; do
  cp "$f" "$out/fuzz_bundle/$(basename "$f")"
done
for f in ../shared/reference/bundles/*; do [[ ! -f $f ]] || cp "$f" "$out/fuzz_bundle/real_$(basename "$f")"; done

# Graphman bundles: ours (golden sidecars, the example's, the rotation migration), malformed
# ones, and the set-mutation samples when ../shared is there.
for f in tests/golden/*.graphman*.json "$tmp"/build/gateways/*.graphman*.json \
         tests/graphman/rotation/*.json tests/graphman/malformed/*.json; do
  cp "$f" "$out/fuzz_graphman/$(basename "$f")"
done
for f in ../shared/reference/graphman/*.json; do [[ ! -f $f ]] || cp "$f" "$out/fuzz_graphman/real_$(basename "$f")"; done

du -sh "$out"
for d in "$out"/*; do echo "$(basename "$d"): $(ls "$d" | wc -l) files"; done

# Facts-cache packs, written by trustc itself under the fixed key that FuzzFactsCache installs
# (so their records authenticate and the fuzzer starts past the HMAC), plus a bare header and a
# torn pack.
mkdir -m 700 "$tmp/cache"
printf 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk' >"$tmp/cache/hmac-key"
chmod 600 "$tmp/cache/hmac-key"
(cd tests/golden && TRUSTC_CACHE_DIR="$tmp/cache" ../../build/bin/trustc check full_language.trust \
  --now 2026-06-01T00:00:00Z >/dev/null 2>&1) || true
cp "$tmp/cache/certs-v2.pack" "$out/fuzz_facts_cache/full_language.pack"
head -c 2000 "$tmp/cache/certs-v2.pack" >"$out/fuzz_facts_cache/torn.pack"
printf 'trustc facts v4\n' >"$out/fuzz_facts_cache/magic_only.pack"
