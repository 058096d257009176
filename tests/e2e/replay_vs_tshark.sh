#!/usr/bin/env bash
# Replay a fresh capture of real ZooKeeper traffic through segward and check
# that its EVE flow events match tshark: one TCP flow event per connection,
# equal packets and frame bytes per direction.
#
#   replay_vs_tshark.sh SEGWARD_BIN
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh" replay "$@"

echo "== capturing fresh ZooKeeper traffic"
timeout 180 bash "$ROOT/tests/data/make-zk-capture.sh" "$TMP/zk.pcap"

replay_to_eve "$TMP/zk.pcap"

echo "== compare with tshark"
/usr/bin/python3 "$HERE/compare_flows_tshark.py" "$TMP/zk.pcap" "$TMP/eve.json"
