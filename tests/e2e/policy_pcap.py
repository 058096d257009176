"""The frames of a tcpdump capture, for the policy tests' checkers
(policy_reload_check.py, policy_zk_check.py): classic pcap, Ethernet,
IPv4 TCP and UDP only, no dependencies."""
import struct
from typing import Iterator, NamedTuple


class Packet(NamedTuple):
    time: float
    proto: int  # 6 TCP, 17 UDP
    src: str
    sport: int
    dst: str
    dport: int
    flags: int  # TCP flags byte (0 for UDP)
    payload_len: int


def packets(path: str) -> Iterator[Packet]:
    data = open(path, "rb").read()
    magic = struct.unpack_from("<I", data, 0)[0]
    if magic not in (0xa1b2c3d4, 0xa1b23c4d):
        raise ValueError(f"{path}: not a classic little-endian pcap")
    scale = 1e9 if magic == 0xa1b23c4d else 1e6
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _orig = struct.unpack_from("<IIII", data, off)
        f = data[off + 16: off + 16 + incl]
        off += 16 + incl
        if len(f) < 34 or f[12:14] != b"\x08\x00":
            continue
        ihl = (f[14] & 0x0f) * 4
        total = struct.unpack_from(">H", f, 16)[0]
        proto = f[23]
        l4 = 14 + ihl
        if proto not in (6, 17) or len(f) < l4 + 8:
            continue
        src, dst = ".".join(map(str, f[26:30])), ".".join(map(str, f[30:34]))
        sport, dport = struct.unpack_from(">HH", f, l4)
        if proto == 6:
            if len(f) < l4 + 14:
                continue
            flags = f[l4 + 13]
            payload = total - ihl - (f[l4 + 12] >> 4) * 4
        else:
            flags = 0
            payload = total - ihl - 8
        yield Packet(sec + frac / scale, proto, src, sport, dst, dport, flags, payload)


TCP_RST = 0x04
