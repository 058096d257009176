#!/usr/bin/env bash
# Capture a getData flood against Debian's ZooKeeper server: the benchmark
# source "zk getData flood" of tests/bench/bench.sh.
#
#   make-zk-flood-capture.sh OUT.pcap [COUNT (default 10000)]
#
# The same namespaces, server and tcpdump (full snaplen) as
# make-zk-capture.sh (which it runs with --flood COUNT): one kazoo session
# ensures /flood (29 bytes of data), then keeps 200 asynchronous get()
# calls outstanding until COUNT have been answered (at most 40 s), deletes
# /flood and closes. 10,000 calls make 2.4-2.7 MB (20,000 made 4.9 MB,
# more than the repository should bundle). The capture is checked with
# tests/e2e/zk_wire_eve.py: COUNT getData requests on the wire, each
# answered OK. Needs root.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || ( $# -eq 2 && ! $2 =~ ^[1-9][0-9]*$ ) ]]; then
    echo "usage: $0 OUT.pcap [COUNT]" >&2
    exit 2
fi
exec bash "$(dirname "${BASH_SOURCE[0]}")/make-zk-capture.sh" --flood "${2:-10000}" "$1"
