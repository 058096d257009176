# shellcheck shell=bash
# Sourced by the rule-pack capture generators (gen_zookeeper.sh, gen_mesos.sh,
# gen_tls.sh): two network namespaces joined by a veth pair
# (tests/data/netns_pair.sh), the servers on one side, every scenario's
# client address on the other, tcpdump on the client end, and a cleanup that
# ends what the generator started. Only TEST-NET addresses (192.0.2.0/24).
#
#   rp_init NAME            TMP dir, namespace and interface names, trap
#   rp_net SERVER_IPS CLIENT_IPS
#                           namespaces up; first address of each list is the
#                           veth's own, the others are added to it
#   rp_src IP               clients that cannot bind a source address
#                           (openssl s_client, java, mesos-go's dialer) connect
#                           to the servers (192.0.2.0/27) from IP from now on
#   rp_bg LOG CMD...        start CMD in the server namespace, pid in RP_LAST
#   rp_wait_listen IP:PORT PID LABEL
#   rp_capture_start PCAP / rp_capture_stop
#   rp_scenario CAPTURE NAME SRC_IP
#                           one line in $RP_SCENARIOS: which scenario ran from
#                           which address (check.py holds expected.tsv to it)
#   in_s CMD... / in_c CMD...
RP_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RP_DATA=$(cd "$RP_HERE/../../data" && pwd)
RP_PY=/usr/bin/python3
RP_PIDS=()
RP_DUMP_PID=

rp_init() {
    local tag=$$
    RP_NS_S=segrp-${1}s-$tag
    RP_NS_C=segrp-${1}c-$tag
    RP_IF_S=rp${1:0:1}s$tag
    RP_IF_C=rp${1:0:1}c$tag
    RP_TMP=$(mktemp -d "/tmp/segrp-$1.XXXXXX")
    trap rp_cleanup EXIT
}

rp_cleanup() {
    set +e
    local p ns pid
    [[ -n $RP_DUMP_PID ]] && kill -INT "$RP_DUMP_PID" 2>/dev/null && wait "$RP_DUMP_PID" 2>/dev/null
    for p in "${RP_PIDS[@]}"; do
        kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    for ns in "$RP_NS_S" "$RP_NS_C"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
    done
    ip netns del "$RP_NS_S" 2>/dev/null
    ip netns del "$RP_NS_C" 2>/dev/null
    ip link del "$RP_IF_S" 2>/dev/null
    rm -rf "$RP_TMP"
}

in_s() { ip netns exec "$RP_NS_S" "$@"; }
in_c() { ip netns exec "$RP_NS_C" "$@"; }

rp_net() { # "SERVER_IP..." "CLIENT_IP..."
    local -a srv cli
    local ip
    read -ra srv <<<"$1"
    read -ra cli <<<"$2"
    source "$RP_DATA/netns_pair.sh"
    netns_pair "$RP_NS_S" "$RP_IF_S" "${srv[0]}" "$RP_NS_C" "$RP_IF_C" "${cli[0]}"
    for ip in "${srv[@]:1}"; do in_s ip addr add "$ip/24" dev "$RP_IF_S"; done
    for ip in "${cli[@]:1}"; do in_c ip addr add "$ip/24" dev "$RP_IF_C"; done
}

rp_src() {
    in_c ip route replace 192.0.2.0/27 dev "$RP_IF_C" src "$1"
}

rp_bg() { # LOG CMD...: in the server namespace (ip netns exec execs: the pid is the program's)
    local log=$1
    shift
    ip netns exec "$RP_NS_S" "$@" </dev/null >"$log" 2>&1 &
    RP_LAST=$!
    RP_PIDS+=("$RP_LAST")
}

rp_stop() { # PID
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

rp_wait_listen() { # IP:PORT PID LABEL (10 s)
    local _
    for _ in $(seq 1 100); do
        kill -0 "$2" 2>/dev/null || { echo "$3 exited" >&2; return 1; }
        in_s ss -Hltn src "$1" 2>/dev/null | grep -q LISTEN && return 0
        sleep 0.1
    done
    echo "$3 not listening on $1 after 10 s" >&2
    return 1
}

rp_capture_start() { # PCAP
    local _
    RP_PCAP=$1
    ip netns exec "$RP_NS_C" tcpdump -i "$RP_IF_C" -s 0 -U -n -w "$RP_TMP/cap.pcap" tcp >"$RP_TMP/dump.log" 2>&1 &
    RP_DUMP_PID=$!
    for _ in $(seq 1 50); do
        # "listening on" comes as the socket opens; give the filter a moment
        # more before the first scenario (a run once lost the first flow).
        grep -q "listening on" "$RP_TMP/dump.log" && { sleep 0.5; return 0; }
        sleep 0.1
    done
    echo "tcpdump did not start" >&2
    cat "$RP_TMP/dump.log" >&2
    return 1
}

rp_capture_stop() {
    sleep 1 # the last FIN/ACKs
    kill -INT "$RP_DUMP_PID"
    wait "$RP_DUMP_PID" 2>/dev/null || true
    RP_DUMP_PID=
    mkdir -p "$(dirname "$RP_PCAP")"
    cp "$RP_TMP/cap.pcap" "$RP_PCAP"
    echo "wrote $RP_PCAP ($(stat -c %s "$RP_PCAP") bytes)"
}

rp_scenario() { # CAPTURE NAME SRC_IP
    printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"${RP_SCENARIOS:?}"
}
