#!/usr/bin/env bash
# The trustc.trust collection with the real Ansible: built with ansible-galaxy, installed into
# a temporary collections path, documented (ansible-doc), and run by ansible-playbook on three
# hosts (local connection, each with its own keytool-made JKS and PKCS#12 stores and its own
# passwords: the JKS one in a password file the role places with no_log, the PKCS#12 one in
# the task's environment) against a signed release from trustc build:
#   1. first run: the apply task changes every host;
#   2. second run: nothing changes anywhere (PLAY RECAP changed=0), no keystore rewritten;
#   3. one host drifts (keytool -delete); --check --diff reports it, names the alias, writes
#      nothing; the other hosts report no change;
#   4. trustc.trust.verify fails the drifted host only, naming the alias;
#   5. a wrong password on one host fails that host's apply task with trust-apply's message,
#      a foreign release key fails another host's signature check before any apply, both
#      hosts' keystores stay as they were, the drifted host is repaired (its result names the
#      backup), and no password appears anywhere in the output, task results included (-v).
# Usage: ansible_test.sh TRUSTC TRUST_APPLY. Exit 77 (skip) without ansible-core, unless CI.
set -euo pipefail
trustc=$(realpath "$1") trust_apply=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

fail() { echo "FAIL: $*" >&2; exit 1; }

for tool in ansible-playbook ansible-galaxy ansible-doc keytool openssl; do
  if ! command -v $tool >/dev/null; then
    [ -z "${CI:-}" ] || fail "$tool missing under CI (scripts/install-deps.sh installs it)"
    echo "$tool missing: skipping (scripts/install-deps.sh installs ansible-core and a JRE)"
    exit 77
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/trustc-ansible.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Hermetic: nothing read from or written to the real home, /etc/ansible or the system's
# collections; every Ansible temp directory inside $tmp.
export HOME=$tmp/home ANSIBLE_HOME=$tmp/ansible-home ANSIBLE_LOCAL_TEMP=$tmp/ansible-local \
  ANSIBLE_REMOTE_TEMP=$tmp/ansible-remote ANSIBLE_CONFIG=$tmp/ansible.cfg \
  ANSIBLE_COLLECTIONS_PATH=$tmp/collections ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false \
  ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 LC_ALL=C.UTF-8
mkdir -p "$HOME"
# The modules run on the interpreter itself, not on whatever `python3` on PATH is: that may be
# a shim (pyenv's runs a shell and a dozen helper processes per call, which was most of this
# test's time: 4.5 minutes, both cores busy).
python=$(python3 -c 'import sys; print(sys.executable)')
cat >"$ANSIBLE_CONFIG" <<EOF
[defaults]
interpreter_python = $python
retry_files_enabled = false
stdout_callback = default
forks = 3
EOF
cd "$tmp"

echo "== ansible-galaxy collection build / install"
ansible-galaxy collection build "$root/ansible" --output-path "$tmp/dist" >"$tmp/galaxy.log" 2>&1 ||
  { cat "$tmp/galaxy.log"; fail "ansible-galaxy collection build"; }
ansible-galaxy collection install "$tmp"/dist/trustc-trust-*.tar.gz -p "$tmp/collections" \
  >>"$tmp/galaxy.log" 2>&1 || { cat "$tmp/galaxy.log"; fail "ansible-galaxy collection install"; }

echo "== ansible-doc"
for module in trustc.trust.apply trustc.trust.verify; do
  ansible-doc "$module" >"$tmp/doc.txt" 2>&1 || { cat "$tmp/doc.txt"; fail "ansible-doc $module"; }
  for word in manifests require_signature EXAMPLES RETURN; do
    grep -q "$word" "$tmp/doc.txt" || fail "ansible-doc $module does not show $word"
  done
done

echo "== ansible-test sanity (the tests that run offline)"
# pylint, pep8, validate-modules, yamllint and ansible-test's own ansible-doc test install their
# requirements with pip from the network, which the build machines do not reach; ansible-doc
# above stands in for those checks of the documentation.
offline_sanity=(action-plugin-docs compile empty-init future-import-boilerplate line-endings
  metaclass-boilerplate no-assert no-basestring no-dict-iteritems no-get-exception
  no-illegal-filenames no-main-display no-smart-quotes no-unicode-literals replace-urlopen
  shebang symlinks use-argspec-type-path use-compat-six)
(cd "$tmp/collections/ansible_collections/trustc/trust" &&
  ansible-test sanity --python "$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')" \
    "${offline_sanity[@]/#/--test=}") >"$tmp/sanity.log" 2>&1 ||
  { cat "$tmp/sanity.log"; fail "ansible-test sanity"; }

echo "== a signed release from trustc build"
mkdir -p "$tmp/src/certs"
cp "$here/fleet.trust" "$tmp/src/"
cp "$root"/examples/ca-im-scim/certs/dev/{api-gateway-ssl.pem,eta2_server.cer} "$tmp/src/certs/"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/sign.key" 2>/dev/null
openssl pkey -in "$tmp/sign.key" -pubout -out "$tmp/sign.pub.pem"
"$trustc" build "$tmp/src/fleet.trust" -o "$tmp/release" --sign-key "$tmp/sign.key" >/dev/null

echo "== three hosts, each with its own keystores (a private key entry each) and passwords"
hosts=(host1 host2 host3)
password() { echo "pw-$1-$2-$$"; }  # STORE HOST: distinct per store and host
cx_store() { echo "$tmp/$1/cx/jvm/lib/security/cacerts"; }
cs_store() { echo "$tmp/$1/connector-server.p12"; }
keytool_on() {  # STORE HOST ARGS...: keytool with that store's password (never on argv)
  local store=$1 host=$2
  shift 2
  STOREPASS=$(password "$store" "$host") keytool "$@" -storepass:env STOREPASS 2>/dev/null
}
{
  echo "all:"
  echo "  vars:"
  echo "    ansible_connection: local"
  echo "    trustc_keystores_release_dir: $tmp/release"
  echo "    trustc_keystores_release_name: release"
  echo "    trustc_keystores_public_key: $tmp/sign.pub.pem"
  echo "    trustc_keystores_executable: $trust_apply"
  echo "  hosts:"
} >"$tmp/inventory.yml"
for host in "${hosts[@]}"; do
  mkdir -p "$(dirname "$(cx_store "$host")")"
  keytool_on cx "$host" -genkeypair -keystore "$(cx_store "$host")" -storetype JKS \
    -alias cx-client -keyalg EC -dname "CN=Connector Xpress $host" -validity 3650
  keytool_on cs "$host" -genkeypair -keystore "$(cs_store "$host")" -storetype PKCS12 \
    -alias connector-server -keyalg EC -dname "CN=Connector Server $host" -validity 3650
  cat >>"$tmp/inventory.yml" <<EOF
    $host:
      trustc_keystores_release_root: $tmp/$host/releases
      trustc_keystores_environment:
        CX_HOME: $tmp/$host/cx
        TRUSTC_SECRETS: $tmp/$host/secrets
        IMCS_KEYSTORE: $(cs_store "$host")
        IMCS_KEYSTORE_PASSWORD: $(password cs "$host")
      trustc_keystores_password_files:
        - path: $tmp/$host/secrets/cx-cacerts.pass
          content: $(password cx "$host")
EOF
  mkdir -m 0700 "$tmp/$host/secrets"
done
# trust-apply's --require-signature comes with its own change; exercise it once it is there.
# The module passes it to plan (check mode), apply and verify alike.
has_require_signature() {
  local command
  for command in plan apply verify; do
    "$trust_apply" $command --help 2>&1 | grep -q -- --require-signature || return 1
  done
}
if has_require_signature; then
  echo "    (trust-apply has --require-signature: host1 requires the signature)"
  sed -i "s|^    host1:|&\n      trustc_keystores_require_signature: true|" "$tmp/inventory.yml"
fi

playbook() {  # LOG ARGS...: runs ansible-playbook, prints its PLAY RECAP host lines
  local log=$1
  shift
  local rc=0
  ansible-playbook -i "$tmp/inventory.yml" "$@" >"$tmp/$log" 2>&1 || rc=$?
  sed -n '/^PLAY RECAP/,$p' "$tmp/$log" | grep -E '^host[0-9]' | sed 's/^/   /'
  return $rc
}
recap() {  # LOG HOST COUNTER: that counter of the host's PLAY RECAP line
  awk -v host="$2" -v counter="$3" '
    /^PLAY RECAP/ { recap = 1 }
    recap && $1 == host {
      for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == counter) print kv[2] }
    }
  ' "$tmp/$1"
}
task_status() {  # LOG TASK HOST: ok|changed|fatal|skipping for that host in that task
  awk -v task="$2" -v host="[$3]" '
    /^TASK \[/ { in_task = index($0, task) > 0; next }
    /^PLAY RECAP/ { in_task = 0 }
    in_task && ($1 == "ok:" || $1 == "changed:" || $1 == "fatal:" || $1 == "skipping:") &&
      index($2, host) == 1 { sub(":", "", $1); print $1 }
  ' "$tmp/$1"
}
expect() {  # LOG HOST COUNTER VALUE
  local got
  got=$(recap "$1" "$2" "$3")
  [ "$got" = "$4" ] || { cat "$tmp/$1"; fail "$1: $2 $3=$got, expected $4"; }
}
fingerprints() {  # every keystore's sha256 and mtime
  for host in "${hosts[@]}"; do
    stat -c '%n %Y' "$(cx_store "$host")" "$(cs_store "$host")"
    sha256sum "$(cx_store "$host")" "$(cs_store "$host")"
  done
}
apply_task="trustc.trust.keystores : Apply the keystore manifests"

echo "== first run: every host changes"
playbook first.log "$here/site.yml" || { cat "$tmp/first.log"; fail "first run"; }
for host in "${hosts[@]}"; do
  expect first.log "$host" failed 0
  [ "$(task_status first.log "$apply_task" "$host")" = changed ] ||
    { cat "$tmp/first.log"; fail "first run: the apply task did not change $host"; }
  keytool_on cx "$host" -list -keystore "$(cx_store "$host")" |
    grep -q '^eta2_server,' || fail "$host: eta2_server missing from its cacerts"
  keytool_on cs "$host" -list -keystore "$(cs_store "$host")" |
    grep -q '^api_gateway,' || fail "$host: api_gateway missing from its PKCS#12 store"
  [ "$(stat -c %a "$tmp/$host/secrets/cx-cacerts.pass")" = 600 ] ||
    fail "$host: the password file is not 0600"
done
fingerprints >"$tmp/after-first"

echo "== second run: nothing changes"
sleep 1  # a rewrite would show in the mtime
playbook second.log "$here/site.yml" || { cat "$tmp/second.log"; fail "second run"; }
for host in "${hosts[@]}"; do
  expect second.log "$host" changed 0
  expect second.log "$host" failed 0
done
fingerprints | diff "$tmp/after-first" - || fail "the second run rewrote a keystore"

echo "== host2 drifts; --check --diff reports it and writes nothing"
keytool_on cx host2 -delete -alias eta2_server -keystore "$(cx_store host2)"
fingerprints >"$tmp/drifted"
find "$tmp"/host* | sort >"$tmp/files-before"
playbook check.log "$here/site.yml" --check --diff ||
  { cat "$tmp/check.log"; fail "check-mode run"; }
expect check.log host1 changed 0
expect check.log host2 changed 1
expect check.log host3 changed 0
[ "$(task_status check.log "$apply_task" host2)" = changed ] ||
  { cat "$tmp/check.log"; fail "check mode: the apply task does not report host2's change"; }
grep -q '^+eta2_server  sha256 ' "$tmp/check.log" ||
  { cat "$tmp/check.log"; fail "the diff does not name the alias eta2_server"; }
fingerprints | diff "$tmp/drifted" - || fail "check mode wrote a keystore"
find "$tmp"/host* | sort | diff "$tmp/files-before" - || fail "check mode made files"

echo "== trustc.trust.verify: host2 drifted"
playbook verify.log "$here/verify.yml" && { cat "$tmp/verify.log"; fail "verify passed on drift"; }
expect verify.log host1 failed 0
expect verify.log host2 failed 1
expect verify.log host3 failed 0
grep -q 'keystores differ from their manifests: connector_xpress: add eta2_server' \
  "$tmp/verify.log" || { cat "$tmp/verify.log"; fail "verify does not name the drift"; }

echo "== failures: host3 has a wrong password, host1 a foreign release key; host2 is repaired"
wrong="wrong-secret-$$-$RANDOM"
sed -i "s|IMCS_KEYSTORE_PASSWORD: $(password cs host3)|IMCS_KEYSTORE_PASSWORD: $wrong|" \
  "$tmp/inventory.yml"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null |
  openssl pkey -pubout -out "$tmp/foreign.pub.pem"
sed -i "s|^    host1:|&\n      trustc_keystores_public_key: $tmp/foreign.pub.pem|" \
  "$tmp/inventory.yml"
fingerprints >"$tmp/before-failing"
rc=0
playbook failing.log "$here/site.yml" --diff -v || rc=$?  # -v: every task's result, too
[ $rc -ne 0 ] || { cat "$tmp/failing.log"; fail "the failing run succeeded"; }
expect failing.log host1 failed 1
[ "$(task_status failing.log "Check the signature of SHA256SUMS" host1)" = fatal ] ||
  { cat "$tmp/failing.log"; fail "host1: a foreign key did not fail the signature check"; }
grep -q 'fatal: \[host1\].*Verification failure' "$tmp/failing.log" ||
  { cat "$tmp/failing.log"; fail "host1's failure lacks openssl's message"; }
[ "$(task_status failing.log "$apply_task" host1)" = "" ] ||
  fail "host1 applied an unverified release"
expect failing.log host2 changed 1
expect failing.log host2 failed 0
expect failing.log host3 failed 1
[ "$(task_status failing.log "$apply_task" host3)" = fatal ] ||
  { cat "$tmp/failing.log"; fail "host3 did not fail in the apply task"; }
grep -q 'fatal: \[host3\].*trust-apply: error: .*connector_server.*wrong password or corrupt' \
  "$tmp/failing.log" ||
  { cat "$tmp/failing.log"; fail "host3's failure lacks trust-apply's message"; }
diff <(grep -v /host2/ "$tmp/before-failing") <(fingerprints | grep -v /host2/) ||
  fail "a failed host's keystore changed"
backup=$(grep -o "\"backup\": \"$(cx_store host2).bak-[0-9TZ-]*\"" "$tmp/failing.log" |
  cut -d'"' -f4)
[[ -n $backup && -f $backup ]] || { cat "$tmp/failing.log"; fail "host2: no backup returned"; }
for secret in "$wrong" $(for h in "${hosts[@]}"; do password cx "$h"; password cs "$h"; done); do
  ! grep -rqF -- "$secret" "$tmp"/*.log || fail "a password ($secret) is in the output"
done
echo "PASS"
