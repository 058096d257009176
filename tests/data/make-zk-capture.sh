#!/usr/bin/env bash
# Capture real ZooKeeper traffic between Debian's ZooKeeper server and real
# clients (kazoo, cli_mt, four-letter words over nc).
#
#   make-zk-capture.sh OUT.pcap
#
# Two network namespaces joined by a veth pair: the server in one
# (192.0.2.10), the clients in the other (192.0.2.20); tcpdump records on the
# client end with full snaplen. Offloads are off so the capture holds
# wire-sized frames with correct checksums. Needs root.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 OUT.pcap" >&2
    exit 2
fi
OUT=$(realpath -m "$1")
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
mkdir -p "$TMP/data" "$TMP/conf"
cat >"$TMP/conf/zoo.cfg" <<EOF
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$TMP/data
clientPort=$PORT
clientPortAddress=$SRV_IP
maxClientCnxns=60
4lw.commands.whitelist=*
admin.enableServer=false
standaloneEnabled=true
jute.maxbuffer=4194304
EOF
CP="$TMP/conf:/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar"
ip netns exec "$NS_S" java -Xmx256m -Dzookeeper.jmx.log4j.disable=true \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$CP" org.apache.zookeeper.server.quorum.QuorumPeerMain "$TMP/conf/zoo.cfg" \
    >"$TMP/zk.log" 2>&1 &
ZK_PID=$!

ready=0
for _ in $(seq 1 120); do
    if ! kill -0 "$ZK_PID" 2>/dev/null; then
        echo "ZooKeeper server exited:" >&2; cat "$TMP/zk.log" >&2; exit 1
    fi
    if [[ $(in_c timeout 2 nc -w 1 "$SRV_IP" "$PORT" <<<"ruok" 2>/dev/null) == imok ]]; then
        ready=1; break
    fi
    sleep 0.5
done
if [[ $ready -ne 1 ]]; then
    echo "ZooKeeper server not ready after 60 s:" >&2; cat "$TMP/zk.log" >&2; exit 1
fi
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

fourlw() {
    # One TCP connection per word; the server answers and closes.
    local out
    out=$(printf '%s' "$1" | in_c timeout 5 nc -w 3 "$SRV_IP" "$PORT")
    echo "[4lw $1] $(head -n 1 <<<"$out")"
    [[ -n $out ]]
}

fourlw ruok
fourlw srvr

# Mesos-like clients (master-1, master-2, agent, operator: four sessions).
in_c timeout 40 "$PY" "$HERE/zk_clients.py" "$SRV_IP:$PORT"

# ZooKeeper's own C client, commands on stdin.
printf '%s\n' "create /cli-mt" "ls /" "get /cli-mt" "set /cli-mt segward" \
    "get /cli-mt" "ls /mesos" "delete /cli-mt" "quit" |
    while IFS= read -r line; do echo "$line"; sleep 0.3; done |
    in_c timeout 15 /usr/lib/zookeeper/bin/cli_mt -h "$SRV_IP:$PORT" >"$TMP/cli.log" 2>&1 || {
        echo "cli_mt failed:" >&2; cat "$TMP/cli.log" >&2; exit 1; }
grep -E '^\[|rc =|Stat' "$TMP/cli.log" | head -n 12 | sed 's/^/[cli_mt] /'

fourlw stat
fourlw mntr

if (( SECONDS > DEADLINE )); then
    echo "client phase exceeded 60 s" >&2; exit 1
fi
sleep 1   # let the last FIN/ACKs be captured
kill -INT "$DUMP_PID"; wait "$DUMP_PID" 2>/dev/null || true; DUMP_PID=
mkdir -p "$(dirname "$OUT")"
cp "$TMP/cap.pcap" "$OUT"
echo "wrote $OUT ($(stat -c %s "$OUT") bytes)"
