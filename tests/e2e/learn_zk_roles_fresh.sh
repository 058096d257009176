#!/usr/bin/env bash
# learn_zk_roles.sh on captures made now, not the bundled ones: the learn
# mode checked against ZooKeeper traffic it has never seen.
#
#   learn_zk_roles_fresh.sh SEGWARD_BIN
#
# Makes a benign and a rogue capture with tests/data/make-zk-roles-capture.sh
# (root: network namespaces, Debian's ZooKeeper server, kazoo), each checked
# against its clients' own log, then runs every step of learn_zk_roles.sh on
# them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" learn-zk-fresh "$@"
if [[ $(id -u) -ne 0 ]]; then
    echo "SKIP: needs root (network namespaces)"
    exit 77
fi
echo "== fresh captures"
timeout 180 bash "$ROOT/tests/data/make-zk-roles-capture.sh" "$TMP/benign.pcap" || { echo "FAIL: benign capture" >&2; exit 1; }
timeout 180 bash "$ROOT/tests/data/make-zk-roles-capture.sh" --rogue "$TMP/rogue.pcap" || { echo "FAIL: rogue capture" >&2; exit 1; }
LEARN_BENIGN_PCAP=$TMP/benign.pcap LEARN_ROGUE_PCAP=$TMP/rogue.pcap bash "$HERE/learn_zk_roles.sh" "$BIN"
