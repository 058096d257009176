#!/usr/bin/env bash
# Issue 7, acceptance 1: every rule of the built-in pack (signatures/rules/)
# fires on a capture made now by real clients and servers, and none fires on
# a healthy cluster's traffic.
#
#   rule_pack.sh SEGWARD_BIN
#
# Makes the captures in network namespaces (TEST-NET addresses only,
# tests/e2e/rule_pack/):
#   zookeeper.pcap  gen_zookeeper.sh: Debian's ZooKeeper 3.8 (+ AdminServer),
#                   kazoo, four-letter-word sockets, curl, zkCli
#   mesos.pcap      gen_mesos.sh: mesos-go messenger (rogue/main.go) against
#                   mesos-go's fake master and agent; curl against
#                   tests/mesos/fake_master_http.py and the mesos-go master
#   tls.pcap        gen_tls.sh: OpenSSL 3 s_server with s_client, or
#                   tls_hello.py's hand-built hellos (RC4, EXPORT, SSLv2)
# and the benign ones: mesos-benign.pcap (gen_mesos.sh: the mesos-go
# scheduler registering with a principal, an operator's Bearer reads),
# zookeeper-benign.pcap (tests/data/make-zk-roles-capture.sh), tls-benign.pcap
# (tests/data/make-tls-capture.sh: TLS 1.2 ECDHE-GCM, TLS 1.3), and the
# bundled tests/data/zk-roles-benign.pcap. Then `SEGWARD rules check` on the
# pack and tests/e2e/rule_pack/check.py, which runs `SEGWARD rules test
# --json` on each capture and holds the alerts to rule_pack/expected.tsv.
#
# Exit 0 pass, 1 fail, 77 skipped (not root, or a tool is missing).
# RULE_PACK_OUT=DIR keeps the captures and the scenario log in DIR.
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 SEGWARD_BIN" >&2; exit 2; }
SEGWARD=$(realpath "$1")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RP=$HERE/rule_pack
ROOT=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3

skip() { echo "SKIP: $*"; exit 77; }
[[ $EUID -eq 0 ]] || skip "needs root (network namespaces)"
for tool in ip tcpdump tshark curl openssl java go nc ethtool "$PY"; do
    command -v "$tool" >/dev/null || skip "missing $tool"
done
"$PY" -c 'import kazoo' 2>/dev/null || skip "missing python3-kazoo"
[[ -f /usr/share/java/zookeeper.jar ]] || skip "missing the zookeeper package"
[[ -f /usr/share/java/jetty9-server.jar ]] || skip "missing libjetty9-java (the AdminServer)"
[[ -d /usr/share/gocode/src/github.com/mesos/mesos-go/api/v0 ]] || skip "missing golang-github-mesos-mesos-go-dev"
[[ -x $SEGWARD ]] || { echo "no segward binary at $SEGWARD" >&2; exit 1; }

RULES=("$ROOT"/signatures/rules/*.yaml)
"$SEGWARD" rules check "${RULES[@]}" || { echo "FAIL: the rule pack does not compile" >&2; exit 1; }

if [[ -n ${RULE_PACK_OUT:-} ]]; then
    OUT=$(realpath -m "$RULE_PACK_OUT")
    mkdir -p "$OUT"
else
    OUT=$(mktemp -d /tmp/segward-rule-pack.XXXXXX)
    trap 'rm -rf "$OUT"' EXIT
fi
SCEN=$OUT/scenarios.tsv
: >"$SCEN"
T0=$SECONDS
step() { # LABEL COMMAND...: one generator, its output indented
    local t=$SECONDS rc=0
    echo "--- $1"
    shift
    "$@" 2>&1 | sed 's/^/  /' || rc=${PIPESTATUS[0]}
    (( rc == 0 )) || { echo "FAIL: capture generation failed ($*: exit $rc)" >&2; exit 1; }
    echo "    ($((SECONDS - t)) s)"
}
step "ZooKeeper scenarios" bash "$RP/gen_zookeeper.sh" "$OUT/zookeeper.pcap" "$SCEN"
step "Mesos scenarios and benign Mesos" bash "$RP/gen_mesos.sh" "$OUT" "$SCEN"
step "TLS scenarios" bash "$RP/gen_tls.sh" "$OUT/tls.pcap" "$SCEN"
step "benign ZooKeeper (make-zk-roles-capture.sh)" bash "$ROOT/tests/data/make-zk-roles-capture.sh" \
    "$OUT/zookeeper-benign.pcap"
step "benign TLS (make-tls-capture.sh)" bash "$ROOT/tests/data/make-tls-capture.sh" "$OUT/tls-benign"
cp "$OUT/tls-benign/tls.pcap" "$OUT/tls-benign.pcap"
echo "captures made in $((SECONDS - T0)) s"

"$PY" "$RP/check.py" --segward "$SEGWARD" --rules "${RULES[@]}" --manifest "$RP/expected.tsv" \
    --scenarios "$SCEN" --attack "$OUT/zookeeper.pcap" "$OUT/mesos.pcap" "$OUT/tls.pcap" \
    --benign "$OUT/mesos-benign.pcap" "$OUT/zookeeper-benign.pcap" "$OUT/tls-benign.pcap" \
    "$ROOT/tests/data/zk-roles-benign.pcap"
