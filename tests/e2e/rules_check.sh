#!/usr/bin/env bash
# Issue 7, acceptance 2: `segward rules check` on rule files with a bad
# regex, an unknown field and a duplicate id reports three located errors
# (file:line, rule id, what is wrong) and exits 2; fixed files pass with 0;
# and `segward rules test` refuses the same files with the same errors.
#
#   rules_check.sh SEGWARD_BIN
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" rules-check "$@"
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >"$TMP/regex.yaml" <<'YAML'
rules:
  - id: 500001
    msg: a regex that does not compile
    threat: zookeeper_compromise
    match:
      - field: zookeeper.path
        regex: '^/mesos/(json'
YAML
cat >"$TMP/field.yaml" <<'YAML'
rules:
  - id: 500002
    msg: a field that does not exist
    threat: master_compromise
    match:
      - field: mesos.framework.password
        absent: true
YAML
cat >"$TMP/dup.yaml" <<'YAML'
rules:
  - id: 500003
    msg: first
    threat: mitm
    match:
      - field: tls.version
        lt: 0x0303
  - id: 500003
    msg: second with the same id
    threat: mitm
    match:
      - field: tls.sni
        literal: example
YAML

rc=0
"$BIN" rules check "$TMP/regex.yaml" "$TMP/field.yaml" "$TMP/dup.yaml" >"$TMP/out" 2>"$TMP/err" || rc=$?
cat "$TMP/err"
[[ $rc -eq 2 ]] || fail "rules check exited $rc, expected 2"
errors=$(grep -c ': rule 50000[123]: ' "$TMP/err" || true)
[[ $errors -eq 3 ]] || fail "expected 3 located errors, got $errors"
grep -q "^$TMP/regex.yaml:7: rule 500001: regex '\^/mesos/(json': " "$TMP/err" || fail "bad regex not located"
grep -q "^$TMP/field.yaml:6:16: rule 500002: match\[0\].field: unknown field 'mesos.framework.password'" "$TMP/err" ||
    fail "unknown field not located"
grep -q "^$TMP/dup.yaml:8: rule 500003: duplicate id (first at $TMP/dup.yaml:2)" "$TMP/err" || fail "duplicate id not located"
grep -q "^3 errors: no rule was loaded" "$TMP/err" || fail "no error count line"

echo "== rules test refuses the same files"
rc=0
"$BIN" rules test -r "$TMP/regex.yaml" -r "$TMP/field.yaml" -r "$TMP/dup.yaml" "$ROOT/tests/data/zk-cluster.pcap" \
    >"$TMP/out2" 2>"$TMP/err2" || rc=$?
[[ $rc -eq 2 ]] || fail "rules test exited $rc, expected 2"
cmp <(grep ': rule ' "$TMP/err") <(grep ': rule ' "$TMP/err2") || fail "rules test reported other errors"

echo "== fixed, they pass"
sed -i "s/(json'/json'/" "$TMP/regex.yaml"
sed -i 's/mesos.framework.password/mesos.framework.principal/' "$TMP/field.yaml"
sed -i '8s/500003/500004/' "$TMP/dup.yaml"
"$BIN" rules check "$TMP/regex.yaml" "$TMP/field.yaml" "$TMP/dup.yaml" || fail "fixed files refused"
echo "PASS"
