#!/usr/bin/env bash
# `segward run` must stop promptly on SIGTERM even while its workers end
# flows faster than the management thread writes them, and account for every
# flow: each created flow is either in the EVE file or counted in
# stats.events_dropped. The source loops the bundled capture forever
# (net_pcap infinite_rx), so its nine TCP connections restart millions of
# times a second (tcp_reuse).
#
#   stop_under_load.sh SEGWARD_BIN
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" load "$@"
cat >"$TMP/load.yaml" <<YAML
eal: {args: [--no-huge, --no-shconf, --no-pci, -l, "0-1", -m, "512", --no-telemetry, --log-level, "*:error"]}
dataplane:
  mode: tap
  workers: 1
  ports:
    - {name: loop, device: "net_pcap0,rx_pcap=$ROOT/tests/data/zk-cluster.pcap,infinite_rx=1"}
outputs: {eve: {path: "$TMP/eve.json", stats_interval: 1}}
YAML
"$BIN" run --config "$TMP/load.yaml" 2>"$TMP/err" &
pid=$!
sleep 4
kill -TERM "$pid"
start=$(date +%s)
rc=0
timeout 30 tail --pid="$pid" -f /dev/null || { kill -KILL "$pid"; echo "FAIL: no exit within 30 s of SIGTERM" >&2; exit 1; }
wait "$pid" || rc=$?
echo "segward exited $rc, $(( $(date +%s) - start )) s after SIGTERM"
cat "$TMP/err"
[[ $rc -eq 0 ]] || { echo "FAIL: exit $rc" >&2; exit 1; }
/usr/bin/python3 - "$TMP/eve.json" <<'PY'
import json, sys
flows = 0; stats = []
for n, line in enumerate(open(sys.argv[1]), 1):
    e = json.loads(line)  # every line must be valid JSON
    if e["event_type"] == "flow": flows += 1
    elif e["event_type"] == "stats": stats.append(e["stats"])
final = stats[-1]
created, dropped = final["flow"]["created"], final["events_dropped"]
print(f"{n} lines; {flows} flow events; created {created}; events_dropped {dropped}; "
      f"{len(stats)} stats events; packets {final['decoder']['pkts']}")
if len(stats) < 2: sys.exit("FAIL: expected periodic stats events and a final one")
if final["flow"]["active"] != 0: sys.exit("FAIL: flows still active after shutdown")
if flows + dropped != created: sys.exit(f"FAIL: {created - flows - dropped} flows neither written nor counted as dropped")
if final["decoder"]["pkts"] < 100000: sys.exit("FAIL: the load was too light to mean anything")
PY
echo "stop_under_load: ok"
