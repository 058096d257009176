#!/usr/bin/env bash
# Capture the ZooKeeper traffic of a small Mesos cluster whose hosts each
# have their own address, for the learn mode (issue 5, acceptance 3):
#
#   make-zk-roles-capture.sh [--rogue] OUT.pcap
#
# Debian's ZooKeeper server in one network namespace (192.0.2.10:2181); in
# the other, one address per role on one veth (192.0.2.21/.22 masters,
# .31/.32 agents, .41 operator, .66 rogue), each client bound to its own
# (tests/e2e/learn_zk_roles_clients.py documents what each role does).
# Without --rogue: the benign cluster (tests/data/zk-roles-benign.pcap);
# with it: the same plus a rogue host that creates /mesos/json.info_ and
# rewrites the leader's znode (tests/data/zk-roles-rogue.pcap). Writes
# OUT.pcap and OUT.sent.jsonl (the clients' log); before it returns it checks
# the log against the capture (tests/e2e/zk_wire_eve.py over tshark,
# tests/e2e/compare_zk_events.py), as make-zk-capture.sh does.
#
# The namespaces come from netns_pair.sh and the clients' log from
# zk_clients.py; the server set-up is make-zk-capture.sh's. Needs root.
set -euo pipefail

ROGUE=
if [[ $# -eq 2 && $1 == --rogue ]]; then
    ROGUE=--rogue
    shift
fi
if [[ $# -ne 1 ]]; then
    echo "usage: $0 [--rogue] OUT.pcap" >&2
    exit 2
fi
OUT=$(realpath -m "$1")
SENT=${OUT%.pcap}.sent.jsonl
[[ $SENT != "$OUT" ]] || SENT=$OUT.sent.jsonl
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
SRV_IP=192.0.2.10
CLIENT_IPS=(192.0.2.21 192.0.2.22 192.0.2.31 192.0.2.32 192.0.2.41 192.0.2.66)
PORT=2181

TAG=$$
NS_S=segzr-s-$TAG
NS_C=segzr-c-$TAG
IF_S=zrs$TAG
IF_C=zrc$TAG
TMP=$(mktemp -d /tmp/segzr.XXXXXX)
ZK_PID=
DUMP_PID=

cleanup() {
    set +e
    [[ -n $DUMP_PID ]] && kill "$DUMP_PID" 2>/dev/null && wait "$DUMP_PID" 2>/dev/null
    [[ -n $ZK_PID ]] && kill "$ZK_PID" 2>/dev/null && wait "$ZK_PID" 2>/dev/null
    local ns pid
    for ns in "$NS_S" "$NS_C"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
    done
    ip netns del "$NS_S" 2>/dev/null
    ip netns del "$NS_C" 2>/dev/null
    ip link del "$IF_S" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

in_c() { ip netns exec "$NS_C" "$@"; }

source "$HERE/netns_pair.sh"
netns_pair "$NS_S" "$IF_S" "$SRV_IP" "$NS_C" "$IF_C" "${CLIENT_IPS[0]}"
for ip in "${CLIENT_IPS[@]:1}"; do
    in_c ip addr add "$ip/24" dev "$IF_C"
done

# --- ZooKeeper server (standalone), as make-zk-capture.sh starts it -------
source "$HERE/zk_server.sh"
zk_server_start "$NS_S" "$TMP" "$SRV_IP" "$PORT"
zk_server_wait "$SRV_IP" "$PORT" ip netns exec "$NS_C" || exit 1
echo "ZooKeeper server up at $SRV_IP:$PORT (pid $ZK_PID)"

# --- capture the clients, bounded to 60 s ---------------------------------
ip netns exec "$NS_C" tcpdump -i "$IF_C" -s 0 -U -n -w "$TMP/cap.pcap" "tcp port $PORT" >"$TMP/dump.log" 2>&1 &
DUMP_PID=$!
for _ in $(seq 1 50); do
    grep -q "listening on" "$TMP/dump.log" && break
    sleep 0.1
done
grep -q "listening on" "$TMP/dump.log" || { echo "tcpdump did not start" >&2; cat "$TMP/dump.log" >&2; exit 1; }

in_c timeout 60 "$PY" "$HERE/../e2e/learn_zk_roles_clients.py" "$SRV_IP:$PORT" "$TMP/sent.jsonl" $ROGUE

sleep 1   # the last FIN/ACKs
kill -INT "$DUMP_PID"; wait "$DUMP_PID" 2>/dev/null || true; DUMP_PID=
mkdir -p "$(dirname "$OUT")"
cp "$TMP/cap.pcap" "$OUT"
cp "$TMP/sent.jsonl" "$SENT"
echo "wrote $OUT ($(stat -c %s "$OUT") bytes), $SENT ($(wc -l <"$SENT") records)"

# The log must agree with the wire.
if command -v tshark >/dev/null; then
    "$PY" "$HERE/../e2e/zk_wire_eve.py" "$OUT" >"$TMP/wire-eve.json" 2>"$TMP/wire.err" || {
        cat "$TMP/wire.err" >&2; echo "the capture did not decode cleanly" >&2; exit 1; }
    "$PY" "$HERE/../e2e/compare_zk_events.py" "$SENT" "$TMP/wire-eve.json" | sed 's/^/[log vs wire] /'
    [[ ${PIPESTATUS[0]} -eq 0 ]] || { echo "the clients' log disagrees with the capture" >&2; exit 1; }
else
    echo "tshark not installed: skipped the log-vs-wire check"
fi
