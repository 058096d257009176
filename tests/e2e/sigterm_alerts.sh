#!/usr/bin/env bash
# SIGTERM loses no alert (issue 6, acceptance 4). A replay that would
# produce well over 100,000 events (60,000 flows, each alerted by a policy
# whose default is alert, and each ending in a flow event) is stopped by
# SIGTERM while the management thread is still writing; then every alert the
# dataplane counted (stats.policy.alerts of the final stats event) must be an
# `alert` line of the EVE file, none dropped, and every line valid JSON. The
# same for `segward run` on a live port (net_pcap looping the file), where
# the alert ring overflows at once: the alerts it cannot take are folded
# into summary alerts (alert.suppressed: N more like this one), so EVE's
# alerts plus the summaries' counts must still be one per flow, and none lost.
#
#   sigterm_alerts.sh SEGWARD_BIN
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" sigterm "$@"

FLOWS=60000
/usr/bin/python3 "$ROOT/tests/bench/make-synthetic-pcap.py" --flows $FLOWS --packets $((3 * FLOWS)) "$TMP/many.pcap" >/dev/null
cat >"$TMP/alert-all.yaml" <<'YAML'
# No rule: every flow falls to the default, which alerts.
segments: {}
services: {}
rules: []
default: { action: alert, severity: 3 }
YAML

# check EVE FINAL_MUST_BE_PARTIAL: counts and validity.
check() {
  /usr/bin/python3 - "$1" "$2" "$FLOWS" <<'PY'
import json, sys
path, mode, flows = sys.argv[1], sys.argv[2], int(sys.argv[3])
alerts = events = summaries = suppressed = 0; last_stats = None
with open(path) as f:
    for n, line in enumerate(f, 1):
        try:
            e = json.loads(line)
        except ValueError as err:
            sys.exit(f"FAIL: {path}:{n}: not JSON ({err}): {line[:120]!r}")
        events += 1
        if e["event_type"] == "alert":
            if e["alert"].get("suppressed"):
                summaries += 1; suppressed += e["alert"]["suppressed"]
            else:
                alerts += 1
        elif e["event_type"] == "stats":
            last_stats = e["stats"]
if last_stats is None:
    sys.exit("FAIL: no final stats event")
p = last_stats.get("policy", {})
counted, lost = p.get("alerts", 0), p.get("alerts_dropped", 0)
c_summaries, c_suppressed = p.get("alert_summaries", 0), p.get("alerts_suppressed", 0)
pkts = last_stats["decoder"]["pkts"]
print(f"{mode}: {events} events, {alerts} alert lines and {summaries} summaries of {suppressed} more; "
      f"dataplane counted {counted} alerts, {c_summaries} summaries of {c_suppressed}, {lost} lost; {pkts} packets")
if alerts != counted:
    sys.exit(f"FAIL: {counted} alerts counted but {alerts} in the EVE file")
if summaries != c_summaries or suppressed != c_suppressed:
    sys.exit(f"FAIL: summaries in EVE ({summaries} of {suppressed}) differ from the counters ({c_summaries} of {c_suppressed})")
if lost != 0:
    sys.exit(f"FAIL: {lost} alerts lost: one rule's alerts always fit a summary")
# One alert per flow (the default rule alerts once per flow): none missing.
if counted + c_suppressed != p.get("flows_classified", -1):
    sys.exit(f"FAIL: {p.get('flows_classified')} flows alerted but {counted} + {c_suppressed} alerts accounted for")
if mode == "replay":
    if c_suppressed != 0:
        sys.exit("FAIL: a replay waits for the ring, it never folds alerts into summaries")
    if pkts >= 3 * flows:
        sys.exit("FAIL: the replay finished before SIGTERM: the test stopped nothing mid-run")
if alerts < 1000:
    sys.exit("FAIL: too few alerts to mean anything")
PY
}

# wait_lines FILE N PID: until FILE has N lines (or PID exits), at most 60 s.
wait_lines() {
  local deadline=$((SECONDS + 60))
  while (( SECONDS < deadline )); do
    [[ -f $1 ]] && (( $(wc -l <"$1") >= $2 )) && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

stop_and_wait() {
  kill -TERM "$1"
  timeout 60 tail --pid="$1" -f /dev/null || { kill -KILL "$1"; echo "FAIL: no exit within 60 s of SIGTERM" >&2; exit 1; }
  local rc=0
  wait "$1" || rc=$?
  [[ $rc -eq 0 ]] || { echo "FAIL: exit $rc after SIGTERM" >&2; cat "$TMP/err" >&2; exit 1; }
}

# 1. Replay: the workers wait for the management thread, never drop.
cat >"$TMP/replay.yaml" <<YAML
eal: {args: [--no-huge, --no-shconf, --no-pci, -l, "0-1", -m, "512", --no-telemetry, --log-level, "*:error"]}
flow: {capacity: 65536}
outputs: {eve: {path: "$TMP/replay-eve.json", stats_interval: 0}}
policy: $TMP/alert-all.yaml
YAML
"$BIN" replay -q --config "$TMP/replay.yaml" "$TMP/many.pcap" 2>"$TMP/err" &
pid=$!
trap 'kill -KILL $pid 2>/dev/null || true; rm -rf "$TMP"' EXIT
wait_lines "$TMP/replay-eve.json" 20000 "$pid" || { echo "FAIL: replay wrote no 20,000 lines" >&2; cat "$TMP/err" >&2; exit 1; }
stop_and_wait "$pid"
check "$TMP/replay-eve.json" replay

# 2. Live: a smaller file (net_pcap holds all of it in mbufs) looped at full
# speed on a tap port.
/usr/bin/python3 "$ROOT/tests/bench/make-synthetic-pcap.py" --flows 30000 --packets 60000 "$TMP/loop.pcap" >/dev/null
cat >"$TMP/run.yaml" <<YAML
eal: {args: [--no-huge, --no-shconf, --no-pci, -l, "0-1", -m, "1024", --no-telemetry, --log-level, "*:error"]}
dataplane:
  mode: tap
  mbufs: 98303
  ports:
    - {name: loop, device: "net_pcap0,rx_pcap=$TMP/loop.pcap,infinite_rx=1"}
flow: {capacity: 65536}
outputs: {eve: {path: "$TMP/run-eve.json", stats_interval: 1}}
policy: $TMP/alert-all.yaml
YAML
"$BIN" run --config "$TMP/run.yaml" 2>"$TMP/err" &
pid=$!
# 30,000 new flows arrive within milliseconds and each raises an alert: the
# alert ring (l7.event_ring) overflows at once and the excess goes into a
# summary; wait for the first few thousand lines and two stats events.
wait_lines "$TMP/run-eve.json" 3000 "$pid" || { echo "FAIL: run wrote no 3,000 lines" >&2; cat "$TMP/err" >&2; exit 1; }
sleep 2
stop_and_wait "$pid"
check "$TMP/run-eve.json" run
echo "sigterm_alerts: ok"
