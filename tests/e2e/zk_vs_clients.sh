#!/usr/bin/env bash
# Replay a fresh capture of real ZooKeeper traffic (kazoo clients behaving
# like Mesos masters, an agent and an operator; ZooKeeper's C client cli_mt;
# four-letter words over nc) through segward and check its EVE `zookeeper`
# events against what the clients logged they sent and got.
#
#   zk_vs_clients.sh SEGWARD_BIN
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh" zk "$@"

echo "== capturing fresh ZooKeeper traffic"
timeout 180 bash "$ROOT/tests/data/make-zk-capture.sh" "$TMP/zk.pcap" </dev/null >"$TMP/capture.log" 2>&1 || {
    tail -n 30 "$TMP/capture.log" >&2
    echo "FAIL: capture script" >&2
    exit 1
}
tail -n 2 "$TMP/capture.log"

echo "== comparator self-test on the fresh log"
/usr/bin/python3 "$HERE/compare_zk_events.py" --self-test "$TMP/zk.sent.jsonl" >"$TMP/selftest.log" || {
    cat "$TMP/selftest.log" >&2; echo "FAIL: comparator self-test" >&2; exit 1; }

replay_to_eve "$TMP/zk.pcap"

echo "== compare zookeeper events with the clients' logs"
/usr/bin/python3 "$HERE/compare_zk_events.py" "$TMP/zk.sent.jsonl" "$TMP/eve.json"
