# Sourced by the scripts that need a real ZooKeeper server (Debian's
# zookeeper package): a standalone server with a private data directory,
# started in a network namespace, and a wait until it serves sessions.
#
#   zk_server_start NS DIR IP PORT [EXTRA_ZOO_CFG_LINE...]
#       writes DIR/conf/zoo.cfg (four-letter words: all, unless an extra
#       line sets 4lw.commands.whitelist), starts the server in NS, logs to
#       DIR/zk.log; sets ZK_PID (the caller's cleanup kills it).
#   zk_server_wait IP PORT CMD_PREFIX...
#       polls `srvr` for up to 60 s, running nc under CMD_PREFIX (e.g.
#       `ip netns exec NS`); returns 1 (log on stderr) if the server died
#       or never served.
zk_server_start() {
    local ns=$1 dir=$2 ip=$3 port=$4 line whitelist="4lw.commands.whitelist=*"
    shift 4
    for line in "$@"; do [[ $line == 4lw.commands.whitelist=* ]] && whitelist=$line; done
    mkdir -p "$dir/data" "$dir/conf"
    {
        printf '%s\n' tickTime=2000 initLimit=10 syncLimit=5 "dataDir=$dir/data" "clientPort=$port" \
            "clientPortAddress=$ip" maxClientCnxns=60 "$whitelist" admin.enableServer=false standaloneEnabled=true
        for line in "$@"; do [[ $line == 4lw.commands.whitelist=* ]] || printf '%s\n' "$line"; done
    } >"$dir/conf/zoo.cfg"
    ip netns exec "$ns" java -Xmx256m -Dzookeeper.jmx.log4j.disable=true \
        -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
        -cp "$dir/conf:/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar" \
        org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/conf/zoo.cfg" >"$dir/zk.log" 2>&1 &
    ZK_PID=$!
    ZK_LOG=$dir/zk.log
}

zk_server_wait() {
    local ip=$1 port=$2 _
    shift 2
    for _ in $(seq 1 120); do
        if ! kill -0 "$ZK_PID" 2>/dev/null; then
            echo "ZooKeeper server exited:" >&2; cat "$ZK_LOG" >&2; return 1
        fi
        # ruok answers imok before the server takes sessions; srvr names the
        # version only once it serves (a connect before that is dropped).
        if [[ $("$@" timeout 2 nc -w 1 "$ip" "$port" <<<"srvr" 2>/dev/null) == "Zookeeper version"* ]]; then
            return 0
        fi
        sleep 0.5
    done
    echo "ZooKeeper server not serving after 60 s:" >&2; cat "$ZK_LOG" >&2
    return 1
}
