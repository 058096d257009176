#!/usr/bin/env bash
# The rule pack's ZooKeeper capture: Debian's ZooKeeper 3.8 server (via
# tests/data/zk_server.sh, AdminServer on) at 192.0.2.10:2181 / :8080, and
# one real client per scenario from its own address
# (tests/e2e/rule_pack/zk_scenarios.py: kazoo, four-letter-word sockets,
# curl; then ZooKeeper's own Java CLI for addWatch, which kazoo 2.8 lacks).
#
#   gen_zookeeper.sh OUT.pcap SCENARIO_LOG
#
# Needs root, java + the zookeeper package, python3-kazoo, curl, tcpdump.
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 OUT.pcap SCENARIO_LOG" >&2; exit 2; }
OUT=$(realpath -m "$1")
RP_SCENARIOS=$(realpath -m "$2")
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
source "$RP_DATA/zk_server.sh"
CAP=$(basename "$OUT")
SRV=192.0.2.10

rp_init zk
rp_net "$SRV" "$(echo 192.0.2.{100..122})"
# zk_server.sh's class path has no Jetty (so no AdminServer): the launcher
# adds Debian's Jetty, servlet API and Jackson jars as automatic modules
# (JDK_JAVA_OPTIONS), which the class path's unnamed module reads.
J=/usr/share/java
JDK_JAVA_OPTIONS="--add-modules ALL-MODULE-PATH --module-path $(printf "$J/%s.jar:" jetty9-server jetty9-servlet \
    jetty9-http jetty9-io jetty9-util jetty9-util-ajax jetty9-security servlet-api jackson-databind jackson-core \
    jackson-annotations)" \
zk_server_start "$RP_NS_S" "$RP_TMP/zk" "$SRV" 2181 admin.enableServer=true "admin.serverAddress=$SRV" \
    admin.serverPort=8080 reconfigEnabled=true
RP_PIDS+=("$ZK_PID")
zk_server_wait "$SRV" 2181 in_c || exit 1
rp_wait_listen "$SRV:8080" "$ZK_PID" "AdminServer" || { cat "$ZK_LOG" >&2; exit 1; }

rp_capture_start "$OUT"
T0=$SECONDS
in_c timeout 90 "$RP_PY" "$RP_HERE/zk_scenarios.py" "$SRV:2181" "$SRV:8080" "$RP_SCENARIOS" "$CAP"

# addWatch PERSISTENT_RECURSIVE on /mesos (CVE-2024-23944's request), by
# ZooKeeper's Java CLI; it cannot bind a source address, so the route does.
rp_src 192.0.2.122
rp_scenario "$CAP" addwatch-recursive 192.0.2.122
in_c timeout 30 java -Xmx128m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp /usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar \
    org.apache.zookeeper.ZooKeeperMain -server "$SRV:2181" addWatch -m PERSISTENT_RECURSIVE /mesos \
    </dev/null >"$RP_TMP/zkcli.log" 2>&1 || { echo "zkCli addWatch failed:" >&2; cat "$RP_TMP/zkcli.log" >&2; exit 1; }
echo "[addwatch-recursive] zkCli: $(grep -v '^$' "$RP_TMP/zkcli.log" | tail -n 1)"
(( SECONDS - T0 <= 90 )) || { echo "ZooKeeper scenarios took more than 90 s" >&2; exit 1; }
rp_capture_stop
