# Sourced by bench.sh and stage-costs.sh: the part of segward's benchmark
# config both write, so that their rates come from the same set-up.
#
# segward_config_head PCAP MBUFS prints the `eal:` args (from the caller's
# EAL array, the same testpmd gets) and the `dataplane:` section: inline, one
# worker, PCAP looped by net_pcap (infinite_rx) into net_null (no-rx=1). The
# caller appends `outputs:` and anything else.
BENCH_NULLDEV="net_null0,no-rx=1"

segward_config_head() {  # pcap mbufs
    local pcap=$1 mbufs=$2 first=1 a
    printf 'eal: {args: ['
    for a in "${EAL[@]}"; do
        [[ $first -eq 1 ]] || printf ', '
        printf '"%s"' "$a"; first=0
    done
    printf ']}\n'
    cat <<YAML
dataplane:
  mode: inline
  workers: 1
  mbufs: $mbufs
  ports:
    - {name: a, device: "net_pcap0,rx_pcap=$pcap,infinite_rx=1"}
    - {name: b, device: "$BENCH_NULLDEV"}
YAML
}
