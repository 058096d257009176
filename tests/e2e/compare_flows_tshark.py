#!/usr/bin/python3
"""Compare segward's EVE flow events with tshark's view of a capture.

  compare_flows_tshark.py CAP.pcap EVE.json

Per TCP connection (address/port pair, either orientation) checks that
segward wrote exactly one EVE flow event with proto TCP and that its
pkts/bytes per direction equal tshark's. tshark's `-z conv,tcp` rounds large
byte counts ("537 kB"), so exact per-direction frame bytes come from
`tshark -T fields` over the same frames and are cross-checked against the
conversation table's frame counts. Exit 0 on agreement, 1 on any mismatch.
"""
import json
import re
import subprocess
import sys
from collections import defaultdict


def tshark(args):
    return subprocess.run(["tshark", *args], check=True, capture_output=True,
                          text=True).stdout


def norm(a, b):
    """Unordered connection key."""
    return tuple(sorted([a, b]))


def tshark_conversations(cap):
    """{key: {(src, dst): [frames, bytes]}} from conv,tcp frame counts."""
    out = tshark(["-r", cap, "-q", "-z", "conv,tcp"])
    conv = {}
    row = re.compile(r"^(\S+):(\d+)\s+<->\s+(\S+):(\d+)\s+(.*)$")
    for line in out.splitlines():
        m = row.match(line)
        if not m:
            continue
        a = (m.group(1), int(m.group(2)))
        b = (m.group(3), int(m.group(4)))
        # Rest: "<-" frames, bytes, unit, "->" frames, bytes, unit, total...
        t = m.group(5).split()
        conv[norm(a, b)] = {(b, a): int(t[0]), (a, b): int(t[3])}
    return conv


def tshark_exact(cap):
    out = tshark(["-r", cap, "-Y", "tcp && !icmp", "-T", "fields", "-E", "separator=\t",
                  "-e", "ip.src", "-e", "tcp.srcport", "-e", "ip.dst", "-e", "tcp.dstport",
                  "-e", "frame.len", "-e", "ipv6.src", "-e", "ipv6.dst"])
    per = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for line in out.splitlines():
        f = line.split("\t")
        src = f[0] or f[5]
        dst = f[2] or f[6]
        s, d = (src, int(f[1])), (dst, int(f[3]))
        c = per[norm(s, d)][(s, d)]
        c[0] += 1
        c[1] += int(f[4])
    return per


def main():
    cap, eve = sys.argv[1], sys.argv[2]
    conv = tshark_conversations(cap)
    exact = tshark_exact(cap)
    problems = []
    if not conv:
        problems.append("tshark reports no TCP conversations")
    for key, dirs in conv.items():
        for d, frames in dirs.items():
            got = exact.get(key, {}).get(d, [0, 0])[0]
            if got != frames:
                problems.append(f"tshark disagrees with itself on {d}: conv {frames} fields {got}")

    flows = defaultdict(list)
    with open(eve) as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                ev = json.loads(line)
            except json.JSONDecodeError as e:
                problems.append(f"{eve}:{n}: not JSON: {e}")
                continue
            if ev.get("event_type") != "flow" or ev.get("proto") != "TCP":
                continue
            s = (ev["src_ip"], int(ev["src_port"]))
            d = (ev["dest_ip"], int(ev["dest_port"]))
            flows[norm(s, d)].append((n, s, d, ev.get("flow", {})))

    fmt = "{:<44} {:>10} {:>10} {:>12} {:>12}"
    print(fmt.format("connection (client -> server)", "pkts_ts", "pkts_tc", "bytes_ts", "bytes_tc"))
    for key in sorted(set(conv) | set(flows)):
        evs = flows.get(key, [])
        if key not in conv:
            problems.append(f"extra flow not in tshark: {key} ({len(evs)} events)")
            continue
        if len(evs) != 1:
            problems.append(f"{key}: expected exactly 1 EVE flow event, got {len(evs)}"
                            + (f" (lines {[e[0] for e in evs]})" if evs else ""))
            if not evs:
                continue
        n, s, d, fl = evs[0]
        ts = exact[key].get((s, d), [0, 0])
        tc = exact[key].get((d, s), [0, 0])
        want = {"pkts_toserver": ts[0], "pkts_toclient": tc[0],
                "bytes_toserver": ts[1], "bytes_toclient": tc[1]}
        label = f"{s[0]}:{s[1]} -> {d[0]}:{d[1]}"
        print(fmt.format(label, *(fl.get(k) for k in want)))
        print(fmt.format("  tshark", *want.values()))
        for k, v in want.items():
            if fl.get(k) != v:
                problems.append(f"{label} (eve line {n}): flow.{k} = {fl.get(k)}, tshark says {v}")

    if problems:
        print(f"\nMISMATCH ({len(problems)}):")
        for p in problems:
            print("  " + p)
        return 1
    print(f"\nOK: {len(conv)} TCP connections, one flow event each, counts equal tshark's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
