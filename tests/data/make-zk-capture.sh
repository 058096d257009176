#!/usr/bin/env bash
# Capture real ZooKeeper traffic between Debian's ZooKeeper server and real
# clients (kazoo, cli_mt, four-letter words over nc), with the clients' own
# log of what they sent and got.
#
#   make-zk-capture.sh OUT.pcap
#   make-zk-capture.sh --flood COUNT OUT.pcap   (what make-zk-flood-capture.sh runs)
#
# writes OUT.pcap and, next to it, OUT.sent.jsonl (OUT with .pcap replaced):
# one record per connect, request (with its reply's error, created path,
# multi sub-results), watch notification and four-letter word, as the
# clients logged them (zk_clients.py documents the records). Before it
# returns it checks that log against the capture itself: an independent
# Python decode of the TCP payloads (tests/e2e/zk_wire_eve.py over tshark)
# must agree with it (tests/e2e/compare_zk_events.py). With --flood only
# OUT.pcap: one kazoo session's COUNT pipelined getData calls, checked on
# the wire (COUNT getData requests answered OK).
#
# Two network namespaces joined by a veth pair: the server in one
# (192.0.2.10), the clients in the other (192.0.2.20); tcpdump records on the
# client end with full snaplen. Offloads are off so the capture holds
# wire-sized frames with correct checksums. Needs root, tshark for the check.
set -euo pipefail

FLOOD=0
if [[ $# -eq 3 && $1 == --flood && $2 =~ ^[1-9][0-9]*$ ]]; then
    FLOOD=$2   # make-zk-flood-capture.sh: one kazoo client, FLOOD async getData calls
    shift 2
fi
if [[ $# -ne 1 ]]; then
    echo "usage: $0 [--flood COUNT] OUT.pcap" >&2
    exit 2
fi
OUT=$(realpath -m "$1")
SENT=${OUT%.pcap}.sent.jsonl
[[ $SENT != "$OUT" ]] || SENT=$OUT.sent.jsonl
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
SRV_IP=192.0.2.10
CLI_IP=192.0.2.20
PORT=2181

TAG=$$
NS_S=segzk-s-$TAG
NS_C=segzk-c-$TAG
IF_S=zks$TAG
IF_C=zkc$TAG
TMP=$(mktemp -d /tmp/segzk.XXXXXX)
ZK_PID=
DUMP_PID=

cleanup() {
    set +e
    # Background jobs are started with `ip netns exec` (which execs), so these
    # pids are the server and tcpdump themselves.
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

in_s() { ip netns exec "$NS_S" "$@"; }
in_c() { ip netns exec "$NS_C" "$@"; }

source "$(dirname "${BASH_SOURCE[0]}")/netns_pair.sh"
netns_pair "$NS_S" "$IF_S" "$SRV_IP" "$NS_C" "$IF_C" "$CLI_IP"

# --- ZooKeeper server (standalone), private data dir, 4lw all allowed -----
source "$(dirname "${BASH_SOURCE[0]}")/zk_server.sh"
zk_server_start "$NS_S" "$TMP" "$SRV_IP" "$PORT" jute.maxbuffer=4194304
zk_server_wait "$SRV_IP" "$PORT" ip netns exec "$NS_C" || exit 1
echo "ZooKeeper server up at $SRV_IP:$PORT (pid $ZK_PID)"

# --- capture everything below, bounded to 60 s ----------------------------
DEADLINE=$((SECONDS + 60))
ip netns exec "$NS_C" tcpdump -i "$IF_C" -s 0 -U -n -w "$TMP/cap.pcap" >"$TMP/dump.log" 2>&1 &
DUMP_PID=$!
for _ in $(seq 1 50); do
    grep -q "listening on" "$TMP/dump.log" && break
    sleep 0.1
done
grep -q "listening on" "$TMP/dump.log" || { echo "tcpdump did not start" >&2; cat "$TMP/dump.log" >&2; exit 1; }

if [[ $FLOOD -gt 0 ]]; then
    # Benchmark source: one session, FLOOD pipelined getData calls on one
    # small znode, nothing else.
    in_c timeout 50 "$PY" "$HERE/zk_clients.py" flood "$SRV_IP:$PORT" --count "$FLOOD" --seconds 40
else
    # Four-letter words: one TCP connection per word from a fixed source port
    # (below the ephemeral range, so no client connection can share it); the
    # server answers and closes. Logged: the word, the port, the bytes nc got.
    NC_PORT=20001
    : >"$TMP/nc.jsonl"
    fourlw() {
        local t0=$EPOCHREALTIME
        printf '%s' "$1" | in_c timeout 5 nc -p "$NC_PORT" -w 3 "$SRV_IP" "$PORT" >"$TMP/4lw-$1.out" || true
        local n
        n=$(stat -c %s "$TMP/4lw-$1.out")
        printf '{"kind":"four_letter_word","client":"nc","client_port":%d,"four_letter_word":"%s","response_bytes":%d,"time":%s}\n' \
            "$NC_PORT" "$1" "$n" "$t0" >>"$TMP/nc.jsonl"
        echo "[4lw $1] port $NC_PORT, $n bytes: $(head -n 1 "$TMP/4lw-$1.out")"
        NC_PORT=$((NC_PORT + 1))
        [[ $n -gt 0 ]]
    }

    fourlw ruok
    fourlw srvr
    fourlw conf

    # Mesos-like clients (master-1, master-2, agent, operator: four sessions).
    in_c timeout 40 "$PY" "$HERE/zk_clients.py" kazoo "$SRV_IP:$PORT" "$TMP/kazoo.jsonl"

    # ZooKeeper's own C client, commands on stdin, its debug log (-d) on stderr:
    # that log names every request's xid, path and result code.
    printf '%s\n' \
        "create /cli-mt" \
        "create +e /cli-mt-ephemeral" \
        "ls /" \
        "get /cli-mt" \
        "set /cli-mt segward" \
        "get /cli-mt" \
        "exists /cli-mt" \
        "get /cli-mt/no-such-node" \
        "create /cli-mt" \
        "sync /cli-mt" \
        "ls2 /mesos" \
        "addauth digest cli:cli-s3cret-demo" \
        "delete /cli-mt" \
        "quit" >"$TMP/cli.commands"
    while IFS= read -r line; do sleep 0.3; echo "$line"; done <"$TMP/cli.commands" |
        in_c timeout 15 /usr/lib/zookeeper/bin/cli_mt -d -h "$SRV_IP:$PORT" >"$TMP/cli.log" 2>&1 || {
            echo "cli_mt failed:" >&2; cat "$TMP/cli.log" >&2; exit 1; }
    grep -E '^\[|rc =' "$TMP/cli.log" | head -n 12 | sed 's/^/[cli_mt] /'
    "$PY" "$HERE/zk_clients.py" cli-log "$TMP/cli.log" "$TMP/cli.jsonl" --commands "$TMP/cli.commands" || {
        echo "cli_mt log incomplete:" >&2; tail -n 40 "$TMP/cli.log" >&2; exit 1; }

    fourlw stat
    fourlw mntr
    fourlw cons
    fourlw wchs
fi

if (( SECONDS > DEADLINE )); then
    echo "client phase exceeded 60 s" >&2; exit 1
fi
sleep 1   # let the last FIN/ACKs be captured
kill -INT "$DUMP_PID"; wait "$DUMP_PID" 2>/dev/null || true; DUMP_PID=
mkdir -p "$(dirname "$OUT")"
cp "$TMP/cap.pcap" "$OUT"
if [[ $FLOOD -gt 0 ]]; then
    echo "wrote $OUT ($(stat -c %s "$OUT") bytes)"
    # Every getData of the flood must be on the wire, answered OK.
    if command -v tshark >/dev/null; then
        "$PY" "$HERE/../e2e/zk_wire_eve.py" "$OUT" >"$TMP/wire-eve.json" 2>"$TMP/wire.err" || {
            cat "$TMP/wire.err" >&2; echo "the capture did not decode cleanly" >&2; exit 1; }
        n=$("$PY" -c 'import json, sys
print(sum(1 for l in open(sys.argv[1]) for z in [json.loads(l)["zookeeper"]]
          if z.get("op") == "getData" and z.get("path") == "/flood" and z.get("err") == "OK"))' "$TMP/wire-eve.json")
        echo "[wire] $n getData /flood requests answered OK ($(wc -l <"$TMP/wire-eve.json") zookeeper events)"
        [[ $n -eq $FLOOD ]] || { echo "expected $FLOOD on the wire" >&2; exit 1; }
    fi
    exit 0
fi
"$PY" "$HERE/zk_clients.py" merge "$SENT" "$TMP/nc.jsonl" "$TMP/kazoo.jsonl" "$TMP/cli.jsonl" >/dev/null
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
