#!/usr/bin/env bash
# Learn mode on every bundled capture of real traffic at once (ZooKeeper,
# Mesos, TLS: tests/data/README.md), where one host plays many roles (the
# same address is ZooKeeper client, framework, operator and TLS client): the
# proposal passes `policy check` and, applied to the same captures, raises no
# alert; learned from one capture less, it flags that capture's traffic.
#
#   learn_bundled.sh SEGWARD_BIN        (no root: the captures are bundled)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" learn-bundled "$@"
DATA=$ROOT/tests/data
CAPTURES=("$DATA/zk-cluster.pcap" "$DATA/mesos-cluster.pcap" "$DATA/tls-handshakes.pcap")

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
count_alerts() { grep -c '"event_type":"alert"' "$1" || true; }

echo "== segward learn on ${#CAPTURES[@]} captures"
(cd "$TMP" && timeout 120 "$BIN" learn --eve "$TMP/learn-eve.json" -o "$TMP/all.yaml" "${CAPTURES[@]}") \
    2>"$TMP/learn.err" || { cat "$TMP/learn.err" >&2; fail "segward learn"; }
cat "$TMP/learn.err"
"$BIN" policy check "$TMP/all.yaml" || fail "the proposal does not pass policy check"
for want in zk-servers zk-election-writers mesos-masters framework-; do
    grep -q "^  $want" "$TMP/all.yaml" || fail "no segment $want in the proposal"
done
grep -q "principals: \[segward-pb-principal, segward-principal\]" "$TMP/all.yaml" ||
    fail "the framework rule does not list the principals the captures registered"

echo "== replay --policy on the same captures"
(cd "$TMP" && timeout 120 "$BIN" replay -q --no-rules --policy "$TMP/all.yaml" --eve "$TMP/all-eve.json" "${CAPTURES[@]}") ||
    fail "segward replay --policy"
n=$(count_alerts "$TMP/all-eve.json")
grep '"event_type":"alert"' "$TMP/all-eve.json" | head -n 5 >&2 || true
[[ $n -eq 0 ]] || fail "$n alerts on the captures the policy was learned from"
echo "[same captures] 0 alerts"

echo "== learned without the Mesos capture, applied to it"
(cd "$TMP" && timeout 120 "$BIN" learn --eve "$TMP/learn2-eve.json" -o "$TMP/no-mesos.yaml" \
    "$DATA/zk-cluster.pcap" "$DATA/tls-handshakes.pcap") 2>/dev/null || fail "segward learn (without Mesos)"
(cd "$TMP" && timeout 120 "$BIN" replay -q --no-rules --policy "$TMP/no-mesos.yaml" --eve "$TMP/mesos-eve.json" \
    "$DATA/mesos-cluster.pcap") || fail "segward replay --policy (Mesos)"
n=$(count_alerts "$TMP/mesos-eve.json")
[[ $n -gt 0 ]] || fail "no alert for Mesos traffic a policy learned without it never allowed"
echo "[Mesos capture, policy learned without it] $n alerts"
rc=0
"$BIN" policy diff "$TMP/all.yaml" "$TMP/no-mesos.yaml" >"$TMP/diff.txt" || rc=$?
sed 's/^/[diff] /' "$TMP/diff.txt" | head -n 12
[[ $rc -eq 1 ]] || fail "policy diff exited $rc, expected 1"
grep -q "^+ rule .*mesos-masters" "$TMP/diff.txt" || fail "the diff does not show the Mesos rules added"
echo "PASS: learned from ${#CAPTURES[@]} captures, no alert on them, unseen Mesos traffic flagged"
