#!/usr/bin/env bash
# segward learn in a live run: on the configured port for --duration
# seconds, then the proposal (issue 5, learn mode). The port is a net_pcap
# device reading the bundled benign capture (tests/data/zk-roles-benign.pcap)
# as a live source (wall-clock engine time, tap mode), so no root is needed.
#
#   learn_live.sh SEGWARD_BIN
#
# Checks: learn stops by itself after --duration (within a bound), exits 0,
# writes a proposal `policy check` accepts, and that proposal is the one a
# replay of the same capture proposes (`policy diff` exit 0): a live learn
# and a replay learn see the same cluster.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" learn-live "$@"
CAPTURE=$ROOT/tests/data/zk-roles-benign.pcap
DURATION=3

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

cat >"$TMP/live.yaml" <<EOF
dataplane:
  mode: tap
  ports:
    - name: tap0
      device: "net_pcap0,rx_pcap=$CAPTURE"
outputs:
  eve:
    path: $TMP/live-eve.json
EOF

echo "== segward learn --duration $DURATION on net_pcap0 (live)"
start=$SECONDS
rc=0
(cd "$TMP" && timeout 60 "$BIN" learn --config "$TMP/live.yaml" --duration "$DURATION" -o "$TMP/live-proposal.yaml") \
    2>"$TMP/live.err" || rc=$?
cat "$TMP/live.err"
elapsed=$((SECONDS - start))
[[ $rc -eq 0 ]] || fail "segward learn exited $rc (124: did not stop after --duration)"
(( elapsed >= DURATION )) || fail "learn returned after $elapsed s, before --duration $DURATION"
(( elapsed <= DURATION + 20 )) || fail "learn took $elapsed s for --duration $DURATION"
head -n 1 "$TMP/live-proposal.yaml" | grep -q "from a live run of" || fail "the proposal's header does not say it was live"
"$BIN" policy check "$TMP/live-proposal.yaml" || fail "the live proposal does not pass policy check"
grep -q '"event_type":"flow"' "$TMP/live-eve.json" || fail "the live run wrote no flow events (EVE output as usual)"

echo "== the same capture replayed"
(cd "$TMP" && timeout 120 "$BIN" learn --eve "$TMP/replay-eve.json" -o "$TMP/replay.proposal" "$CAPTURE") \
    2>"$TMP/replay.err" || { cat "$TMP/replay.err" >&2; fail "segward learn (replay)"; }
rc=0
"$BIN" policy diff "$TMP/live-proposal.yaml" "$TMP/replay.proposal" || rc=$?
[[ $rc -eq 0 ]] || fail "the live and the replay proposals differ (policy diff exited $rc)"
echo "PASS: live learn stopped after ${elapsed} s and proposed what the replay proposes"
