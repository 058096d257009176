# shellcheck shell=bash
# Sourced by the policy end-to-end tests (policy_zk_inline.sh,
# policy_reload.sh): a client segment and a server segment joined ONLY
# through segward, plus what those tests share (segward's config, start and
# stop, the namespaces' cleanup).
#
#   ns CLIENT1 [eth0 192.0.2.x] --+
#   ns CLIENT2 [eth0 192.0.2.y] --+-- br0 in ns SWITCH -- uplink <-veth-> $PT_A --segward-- $PT_B <-veth-> [eth0 198.51.100.z] ns SERVER
#   ...                         --+
#
# $PT_A and $PT_B are the root-namespace ends segward drives with
# net_af_packet (port 0 "clients", port 1 "servers"). They carry no address
# (IPv6 off, arp_ignore=8): the host neither answers nor routes what crosses
# them. The two sides are in different /24s on one L2 segment: every host has
# an on-link route to the other /24 and a permanent neighbour entry for each
# peer, so no ARP ever needs to cross segward and a policy's `default: drop`
# cannot starve the hosts of neighbours. Offloads are off at every sending
# end: the frames segward forwards carry real checksums, and tcpdump sees
# wire-sized frames.
#
# Tap mode (pt_tap_on): the kernel joins $PT_A and $PT_B itself (tc mirred
# redirect both ways, u32 match-all) and mirrors every frame once into a
# monitor veth pair ($PT_MON); segward's only port is the pair's far end
# ($PT_MON_PEER), where the copies arrive as received frames, so it sees each
# frame exactly once and cannot touch the traffic.
#
# Usage (after common.sh, which sets TMP):
#   pt_init TAG                 TAG: short, unique per run (e.g. pz$$); names the namespaces TAG-*
#   pt_client NAME IP           a client namespace TAG-NAME on the switch (NAME at most 10 characters)
#   pt_server NAME IP           the server namespace TAG-NAME behind segward (one)
#   pt_finish                   routes and permanent neighbours between every client and the server
#   pt_in NAME CMD...           run CMD in TAG-NAME (a shell function: for a background job whose $! must be
#                               CMD itself, write `ip netns exec "$(pt_ns NAME)" CMD &`)
#   pt_config MODE EVE [POLICY] write $TMP/segward-MODE.yaml (inline: ports A, B; tap: the monitor port)
#   pt_start MODE               start `segward run` on that config (PT_SEG_PID), wait until its ports are open
#   pt_stop MODE                SIGTERM, wait (20 s at most), require exit 0
#   pt_tap_on                   kernel forwarding A <-> B with a mirror to the monitor port (before pt_config tap)
#   pt_cleanup                  kill segward and everything in the namespaces, delete them and the root
#                               links (for the EXIT trap: leaves errexit off)
# Every failure goes through fail(), which the caller defines.

PT_TAG="" PT_A="" PT_B="" PT_MON="" PT_MON_PEER="" PT_SEG_PID=""
PT_CLIENTS=() PT_CLIENT_IPS=() PT_SERVER="" PT_SERVER_IP=""

pt_ns() { echo "$PT_TAG-$1"; }
pt_in() { local ns; ns=$(pt_ns "$1"); shift; ip netns exec "$ns" "$@"; }

pt_quiet_ns() {  # ns: no IPv6 (no router solicitations or MLD reports on the wire), lo up
    ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip netns exec "$1" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
    ip -n "$1" link set lo up
}

pt_root_end() {  # dev: a root-namespace end segward (or tc) owns
    sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1"
    sysctl -qw "net.ipv4.conf.$1.arp_ignore=8"
    ethtool -K "$1" tx off tso off gso off gro off >/dev/null 2>&1 || true
    ip link set "$1" promisc on up
}

pt_init() {
    PT_TAG=$1
    PT_A=${PT_TAG}a PT_B=${PT_TAG}b PT_MON=${PT_TAG}m PT_MON_PEER=${PT_TAG}n
    local sw
    sw=$(pt_ns switch)
    ip netns add "$sw"
    pt_quiet_ns "$sw"
    ip -n "$sw" link add br0 type bridge stp_state 0 mcast_snooping 0
    ip link add "$PT_A" type veth peer name uplink netns "$sw"
    ip -n "$sw" link set uplink master br0
    ip netns exec "$sw" ethtool -K uplink tx off tso off gso off gro off >/dev/null 2>&1 || true
    ip -n "$sw" link set uplink up
    ip -n "$sw" link set br0 up
    pt_root_end "$PT_A"
}

pt_host_ns() {  # ns ip: a host's eth0
    pt_quiet_ns "$1"
    ip netns exec "$1" ethtool -K eth0 tx off tso off gso off gro off >/dev/null 2>&1 || true
    ip -n "$1" addr add "$2/24" dev eth0
    ip -n "$1" link set eth0 up
}

pt_client() {  # name ip
    local ns sw
    ns=$(pt_ns "$1") sw=$(pt_ns switch)
    ip netns add "$ns"
    ip -n "$sw" link add "p-$1" type veth peer name eth0 netns "$ns"
    ip netns exec "$sw" ethtool -K "p-$1" tx off tso off gso off gro off >/dev/null 2>&1 || true
    ip -n "$sw" link set "p-$1" master br0
    ip -n "$sw" link set "p-$1" up
    pt_host_ns "$ns" "$2"
    PT_CLIENTS+=("$1") PT_CLIENT_IPS+=("$2")
}

pt_server() {  # name ip
    local ns
    ns=$(pt_ns "$1")
    ip netns add "$ns"
    ip link add "$PT_B" type veth peer name eth0 netns "$ns"
    pt_root_end "$PT_B"
    pt_host_ns "$ns" "$2"
    PT_SERVER=$1 PT_SERVER_IP=$2
}

pt_mac() {  # name
    ip -n "$(pt_ns "$1")" -o link show eth0 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2
}

pt_finish() {
    local i srv_ns srv_mac c_ns c_mac
    srv_ns=$(pt_ns "$PT_SERVER") srv_mac=$(pt_mac "$PT_SERVER")
    ip -n "$srv_ns" route add "${PT_CLIENT_IPS[0]%.*}.0/24" dev eth0
    for i in "${!PT_CLIENTS[@]}"; do
        c_ns=$(pt_ns "${PT_CLIENTS[$i]}") c_mac=$(pt_mac "${PT_CLIENTS[$i]}")
        ip -n "$c_ns" route add "${PT_SERVER_IP%.*}.0/24" dev eth0
        ip -n "$c_ns" neigh replace "$PT_SERVER_IP" lladdr "$srv_mac" dev eth0 nud permanent
        ip -n "$srv_ns" neigh replace "${PT_CLIENT_IPS[$i]}" lladdr "$c_mac" dev eth0 nud permanent
    done
}

pt_tap_on() {
    ip link add "$PT_MON" type veth peer name "$PT_MON_PEER"
    pt_root_end "$PT_MON"
    pt_root_end "$PT_MON_PEER"
    local from to
    for from in "$PT_A" "$PT_B"; do
        to=$PT_B; [[ $from == "$PT_B" ]] && to=$PT_A
        tc qdisc add dev "$from" clsact
        # One copy to the monitor, then the frame itself to the other side.
        # u32 "match anything": matchall is not built into every kernel.
        tc filter add dev "$from" ingress protocol all u32 match u32 0 0 \
            action mirred egress mirror dev "$PT_MON" pipe \
            action mirred egress redirect dev "$to" || fail "tc: cannot redirect $from to $to"
    done
}

pt_config() {  # mode eve [policy]
    local policy_line=""
    [[ -n ${3:-} ]] && policy_line="policy: $3"
    if [[ $1 == inline ]]; then
        local ports="    - {name: clients, device: \"net_af_packet0,iface=$PT_A\"}
    - {name: servers, device: \"net_af_packet1,iface=$PT_B\"}"
    else
        local ports="    - {name: mirror, device: \"net_af_packet0,iface=$PT_MON_PEER\"}"
    fi
    cat >"$TMP/segward-$1.yaml" <<YAML
eal:
  args: [--no-huge, --no-shconf, --no-pci, --lcores, "0@0,1@$(( 1 % $(nproc) ))", -m, "640", --no-telemetry, --log-level, "*:error"]
dataplane:
  mode: $1
  workers: 1
  mbufs: 8191
  ports:
$ports
flow:
  timeouts: {new: 30, established: 300, closed: 5}
outputs:
  eve: {path: "$2", stats_interval: 5}
$policy_line
YAML
}

pt_start() {  # mode
    "$BIN" check-config "$TMP/segward-$1.yaml" >"$TMP/check-$1.out" 2>&1 ||
        { cat "$TMP/check-$1.out" >&2; fail "segward check-config refused $TMP/segward-$1.yaml"; }
    "$BIN" run --config "$TMP/segward-$1.yaml" >"$TMP/segward-$1.out" 2>"$TMP/segward-$1.err" &
    PT_SEG_PID=$!
    # Up once a packet socket is bound to each of its ports (/proc/net/packet
    # column 5: the ifindex): from then on the kernel queues every frame for
    # it, even before its first poll.
    local devs=("$PT_A" "$PT_B") dev idx bound _
    [[ $1 == tap ]] && devs=("$PT_MON_PEER")
    for _ in $(seq 1 100); do
        pt_alive "$1"
        bound=0
        for dev in "${devs[@]}"; do
            idx=$(cat "/sys/class/net/$dev/ifindex")
            awk -v i="$idx" 'NR > 1 && $5 == i { found = 1 } END { exit !found }' /proc/net/packet && bound=$((bound + 1))
        done
        [[ $bound -eq ${#devs[@]} ]] && return 0
        sleep 0.2
    done
    fail "segward ($1) did not open its ports within 20 s"
}

pt_alive() {  # mode: fail unless segward still runs
    kill -0 "$PT_SEG_PID" 2>/dev/null && return 0
    cat "$TMP/segward-$1.err" >&2
    PT_SEG_PID=""
    fail "segward ($1) died"
}

pt_stop() {  # mode
    local rc=0
    kill -TERM "$PT_SEG_PID"
    timeout 20 tail --pid="$PT_SEG_PID" -f /dev/null || fail "segward did not stop within 20 s of SIGTERM"
    wait "$PT_SEG_PID" || rc=$?
    PT_SEG_PID=""
    echo "segward ($1) exited $rc; stderr:"
    sed 's/^/    /' "$TMP/segward-$1.err"
    [[ $rc -eq 0 ]] || fail "segward exited $rc after SIGTERM, expected 0"
}

pt_cleanup() {
    set +e
    [[ -n $PT_SEG_PID ]] && kill -KILL "$PT_SEG_PID" 2>/dev/null && wait "$PT_SEG_PID" 2>/dev/null
    local n ns
    for n in "${PT_CLIENTS[@]}" "$PT_SERVER" switch; do
        [[ -n $n ]] || continue
        ns=$(pt_ns "$n")
        ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
    done
    sleep 0.2
    for n in "${PT_CLIENTS[@]}" "$PT_SERVER" switch; do
        [[ -n $n ]] && ip netns del "$(pt_ns "$n")" 2>/dev/null
    done
    [[ -n $PT_TAG ]] && for dev in "$PT_A" "$PT_B" "$PT_MON"; do ip link del "$dev" 2>/dev/null; done
    return 0
}
