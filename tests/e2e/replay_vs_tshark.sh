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

echo "== segward replay"
set +e
(cd "$TMP" && timeout 120 "$BIN" replay --eve "$TMP/eve.json" "$TMP/zk.pcap") \
    >"$TMP/replay.out" 2>"$TMP/replay.err"
rc=$?
set -e
cat "$TMP/replay.out"
if [[ $rc -ne 0 ]]; then
    echo "FAIL: segward replay exited $rc" >&2
    cat "$TMP/replay.err" >&2
    exit 1
fi
if [[ ! -s $TMP/eve.json ]]; then
    echo "FAIL: segward wrote no EVE output" >&2
    exit 1
fi

echo "== compare with tshark"
/usr/bin/python3 "$HERE/compare_flows_tshark.py" "$TMP/zk.pcap" "$TMP/eve.json"
