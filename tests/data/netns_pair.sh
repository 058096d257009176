# Sourced by the capture scripts: two network namespaces joined by a veth
# pair, IPv6 off (no router solicitations in the captures), offloads off (so
# the captured frames are the frames on the wire, with valid checksums).
#
#   netns_pair NS_A IF_A IP_A NS_B IF_B IP_B    (IPs without the /24)
#
# The caller's cleanup deletes the namespaces (which removes the veths).
netns_pair() {
    local ns_a=$1 if_a=$2 ip_a=$3 ns_b=$4 if_b=$5 ip_b=$6 ns
    ip netns add "$ns_a"
    ip netns add "$ns_b"
    ip link add "$if_a" type veth peer name "$if_b"
    ip link set "$if_a" netns "$ns_a"
    ip link set "$if_b" netns "$ns_b"
    for ns in "$ns_a" "$ns_b"; do
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
        ip netns exec "$ns" ip link set lo up
    done
    ip netns exec "$ns_a" ip addr add "$ip_a/24" dev "$if_a"
    ip netns exec "$ns_b" ip addr add "$ip_b/24" dev "$if_b"
    ip netns exec "$ns_a" ip link set "$if_a" up
    ip netns exec "$ns_b" ip link set "$if_b" up
    ip netns exec "$ns_a" ethtool -K "$if_a" tx off tso off gso off gro off >/dev/null 2>&1 || true
    ip netns exec "$ns_b" ethtool -K "$if_b" tx off tso off gso off gro off >/dev/null 2>&1 || true
}
