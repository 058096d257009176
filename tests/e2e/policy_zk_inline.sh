#!/usr/bin/env bash
# Issue 5, acceptance 1: the segmentation allowlist with a ZooKeeper L7
# condition, enforced inline on real traffic (and observed on a tap).
#
#   policy_zk_inline.sh SEGWARD_BIN          inline (violation: drop), then that run's capture replayed in tap mode
#   policy_zk_inline.sh SEGWARD_BIN reset    the same with `violation: reset`
#   policy_zk_inline.sh SEGWARD_BIN tap      live tap: the same clients, the kernel forwards, segward watches a mirror
#
# Topology (policy_topology.sh): namespaces "master" 192.0.2.11, "agent"
# 192.0.2.12 and "rogue" 192.0.2.13 on a bridge (namespace "switch") whose
# uplink is segward's port 0; the ZooKeeper server (Debian's zookeeper
# package, standalone) at 198.51.100.10:2181 in namespace "zk" behind port 1.
# Nothing else joins the two sides. The policy (written below) lets the
# masters write under /mesos, lets the agents and the rogue connect and only
# read (`write_paths: []`, violation: drop, or reset), and drops everything
# else.
#
# Real kazoo clients (policy_zk_clients.py) do what Mesos does: the master
# creates EPHEMERAL_SEQUENTIAL /mesos/json.info_ nodes and sets their data,
# the agent lists and reads them with watches, the rogue reads (allowed) and
# then tries to create /mesos/json.info_.
#
# Inline, the test passes when:
#   - the master's and the agent's calls all succeed, before and after the
#     rogue's attempt (a second round of writes, both watches fire);
#   - the rogue's create fails or times out in kazoo, the node is not on the
#     server, and tcpdump inside the server's namespace never saw a create
#     from 192.0.2.13 while tcpdump on the client side did (decoded by
#     zk_wire_eve.py, independently of segward);
#   - EVE has an `alert` for the rogue's flow (src_ip 192.0.2.13, condition
#     zookeeper.write_paths, action blocked, signature agents-read-only, with
#     the zookeeper create that broke the rule), none for the master or the
#     agent, and a flow event for every client connection;
#   - replaying the client-side capture of that run (`segward replay`, tap
#     mode by construction, same policy) raises the same alert with action
#     allowed and drops nothing.
# With `reset`, also: the rogue's call fails at once (within 3 s: its kernel
# took segward's RST) and each side's capture shows the RST segward sent it.
# Tap (live), the rogue's create succeeds (nothing dropped, nothing
# transmitted by segward), and the alert is raised with action allowed.
#
# Needs root, java + zookeeper, python3-kazoo, tcpdump, tshark, tc (u32,
# mirred). About 15 s inline or reset, 10 s tap.
set -euo pipefail
MODE=${2:-inline}
if [[ $# -lt 1 || $# -gt 2 || ! $MODE =~ ^(inline|reset|tap)$ ]]; then
    echo "usage: $(basename "$0") SEGWARD_BIN [reset|tap]" >&2
    exit 2
fi
SEG_MODE=inline VIOLATION=drop           # segward's dataplane.mode; the rule's `violation`
[[ $MODE == tap ]] && SEG_MODE=tap
[[ $MODE == reset ]] && VIOLATION=reset
set -- "$1"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" "policy-zk-$MODE" "$@"
source "$HERE/policy_topology.sh"
PY=/usr/bin/python3
SRV_IP=198.51.100.10
PORT=2181
fail() { echo "FAIL: $*" >&2; exit 1; }
ZK_PID="" DUMP_PIDS=()
cleanup() {
    set +e
    for p in "${DUMP_PIDS[@]}"; do kill -INT "$p" 2>/dev/null; done
    [[ -n $ZK_PID ]] && kill -KILL "$ZK_PID" 2>/dev/null && wait "$ZK_PID" 2>/dev/null
    pt_cleanup
    rm -rf "$TMP"
}
trap cleanup EXIT

for tool in java tcpdump tshark tc; do
    command -v "$tool" >/dev/null || fail "$tool is not installed"
done
"$PY" -c 'import kazoo' 2>/dev/null || fail "python3-kazoo is not installed"
T0=$SECONDS

# --- topology ---------------------------------------------------------------
pt_init "pz$$"
pt_client master 192.0.2.11
pt_client agent 192.0.2.12
pt_client rogue 192.0.2.13
pt_server zk "$SRV_IP"
pt_finish

# --- the policy ---------------------------------------------------------------
cat >"$TMP/policy.yaml" <<YAML
# policy_zk_inline.sh: Mesos masters may write the election znodes; agents
# (and a rogue host that poses as one) may only read.
segments:
  masters: { cidrs: [192.0.2.11/32] }
  agents: { cidrs: [192.0.2.12/32] }
  rogue: { cidrs: [192.0.2.13/32] }
  zk: { cidrs: [198.51.100.10/32] }
services:
  zookeeper: { proto: tcp, ports: [2181], app: zookeeper }
rules:
  - name: masters-write-election
    from: masters
    to: zk
    service: zookeeper
    action: allow
    zookeeper: { write_paths: ["/mesos/**"] }
  - name: agents-read-only
    from: [agents, rogue]
    to: zk
    service: zookeeper
    action: allow
    violation: $VIOLATION
    zookeeper: { write_paths: [] }
default: drop
YAML

# --- ZooKeeper server (standalone) in the server namespace ------------------
source "$HERE/../data/zk_server.sh"
zk_server_start "$(pt_ns zk)" "$TMP/zk" "$SRV_IP" "$PORT" 4lw.commands.whitelist=srvr

# --- segward --------------------------------------------------------------------
[[ $SEG_MODE == tap ]] && pt_tap_on
pt_config "$SEG_MODE" "$TMP/eve.json" policy.yaml
pt_start "$SEG_MODE"

# The server answers `srvr` from its own namespace once it serves sessions
# (this never crosses segward).
zk_server_wait "$SRV_IP" "$PORT" pt_in zk || fail "the ZooKeeper server did not serve"
echo "ZooKeeper server up at $SRV_IP:$PORT ($((SECONDS - T0)) s)"

# The master reaches the server's port (a bare TCP handshake, allowed by the
# policy): inline, through segward; tap, through the kernel's redirect while
# segward watches.
ok=""
for _ in $(seq 1 40); do
    pt_alive "$SEG_MODE"
    if pt_in master timeout 1 bash -c "exec 3<>/dev/tcp/$SRV_IP/$PORT" 2>/dev/null; then ok=1; break; fi
    sleep 0.5
done
[[ -n $ok ]] || fail "the master cannot reach $SRV_IP:$PORT within 40 tries ($MODE)"
echo "$MODE: the master reaches the ZooKeeper port ($((SECONDS - T0)) s)"

# --- captures: the server's side (what passed segward), the clients' side -------
start_dump() {  # ns iface out
    ip netns exec "$(pt_ns "$1")" tcpdump -i "$2" -s 0 -U -n -w "$3" "tcp port $PORT" >"$3.log" 2>&1 &
    DUMP_PIDS+=($!)
    for _ in $(seq 1 50); do grep -q "listening on" "$3.log" && return 0; sleep 0.1; done
    cat "$3.log" >&2; fail "tcpdump did not start in $1"
}
start_dump zk eth0 "$TMP/server.pcap"
start_dump switch uplink "$TMP/clients.pcap"

# --- the clients ------------------------------------------------------------------
echo "== kazoo clients ($MODE)"
mkdir -p "$TMP/clients"
rc=0
timeout 150 "$PY" "$HERE/policy_zk_clients.py" scenario --mode "$MODE" --server "$SRV_IP:$PORT" \
    --master "$(pt_ns master)" --agent "$(pt_ns agent)" --rogue "$(pt_ns rogue)" \
    --report "$TMP/clients.json" --logs "$TMP/clients" || rc=$?
if [[ $rc -ne 0 ]]; then
    for f in "$TMP"/clients/*.log; do echo "--- $(basename "$f")"; tail -n 15 "$f"; done >&2
    pt_alive "$SEG_MODE"
    fail "the ZooKeeper clients' scenario failed ($MODE, exit $rc)"
fi
pt_alive "$SEG_MODE"
sleep 1  # the last FIN/ACKs
for p in "${DUMP_PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
DUMP_PIDS=()
pt_stop "$SEG_MODE"
echo "clients done ($((SECONDS - T0)) s)"

# --- what segward said, and what crossed it -----------------------------------------
echo "== EVE and captures ($MODE)"
"$PY" "$HERE/policy_zk_check.py" --mode "$MODE" --eve "$TMP/eve.json" --report "$TMP/clients.json" \
    --server-pcap "$TMP/server.pcap" --client-pcap "$TMP/clients.pcap" || fail "EVE/capture checks ($MODE)"

if [[ $SEG_MODE == inline ]]; then
    # "The same capture in tap mode alerts and drops nothing": the client
    # side of the inline run (the rogue's create and its retransmissions
    # included) through `segward replay` with the same policy.
    echo "== the inline run's client-side capture, replayed (tap mode) with the same policy"
    cat >"$TMP/segward-replay.yaml" <<YAML
eal:
  args: [--no-huge, --no-shconf, --no-pci, -l, "0-1", -m, "640", --no-telemetry, --log-level, "*:error"]
outputs:
  eve: {path: "$TMP/eve-replay.json", stats_interval: 0}
policy: policy.yaml
YAML
    rc=0
    timeout 120 "$BIN" replay --config "$TMP/segward-replay.yaml" --eve "$TMP/eve-replay.json" --quiet \
        "$TMP/clients.pcap" >"$TMP/replay.out" 2>"$TMP/replay.err" || rc=$?
    [[ $rc -eq 0 ]] || { cat "$TMP/replay.err" >&2; fail "segward replay exited $rc"; }
    "$PY" "$HERE/policy_zk_check.py" --mode replay --eve "$TMP/eve-replay.json" --report "$TMP/clients.json" ||
        fail "EVE checks of the replay in tap mode"
fi
echo "PASS: policy_zk_inline ($MODE) in $((SECONDS - T0)) s"
