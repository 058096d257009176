#!/usr/bin/env bash
# Replay a fresh capture of real Mesos traffic (mesos-go scheduler driver and
# messenger, curl on the v1 API and legacy endpoints, spoofed PIDs) through
# segward and check its EVE `mesos` events against what the programs logged
# they sent; then check the flows against tshark as for ZooKeeper.
#
#   mesos_vs_sent.sh SEGWARD_BIN
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh" mesos "$@"

echo "== capturing fresh Mesos traffic"
timeout 240 bash "$ROOT/tests/data/make-mesos-capture.sh" "$TMP/cap" </dev/null >"$TMP/capture.log" 2>&1 || {
    tail -n 30 "$TMP/capture.log" >&2
    echo "FAIL: capture script" >&2
    exit 1
}
tail -n 2 "$TMP/capture.log"

replay_to_eve "$TMP/cap/mesos.pcap"

echo "== compare mesos events with the send log"
/usr/bin/python3 "$HERE/compare_mesos_events.py" "$TMP/cap/sent.jsonl" "$TMP/eve.json"
echo "== compare flows with tshark"
/usr/bin/python3 "$HERE/compare_flows_tshark.py" "$TMP/cap/mesos.pcap" "$TMP/eve.json"
