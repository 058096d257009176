#!/usr/bin/env python3
"""Write a synthetic benchmark capture: minimum-size TCP ACKs over many flows.

  make-synthetic-pcap.py OUT.pcap [--flows 10000] [--packets N]

Standard library only. Frames are Ethernet/IPv4/TCP ACKs with no payload
(14 + 20 + 20 = 54 bytes) zero-padded to 60 bytes: the captured form of a
64-byte wire frame, whose 4-byte FCS a NIC strips and pcap never holds. So
every record has caplen = len = 60 and the capture is the 64-byte-frame
(14.88 Mpps at 10 GbE) worst case.

Flows: clients in 192.0.2.0/24, servers in 198.51.100.0/24, client ports
from 1024 upwards, server ports from a small set of cluster services. Packets
go round-robin over the flows (consecutive packets hit different flows, as on
a busy link), alternating direction per flow (client->server, then
server->client). IPv4 and TCP checksums are valid. Output is deterministic
(fixed timestamps from 2026-01-01, 1 us apart) so instruction counts repeat.
Default --packets is 4 per flow.
"""
import argparse
import struct
import sys

SERVER_PORTS = (2181, 5050, 5051, 8080, 443, 2888, 3888, 8123)
MAC_CLIENT = bytes.fromhex("020000000001")
MAC_SERVER = bytes.fromhex("020000000002")
T0 = 1767225600  # 2026-01-01T00:00:00Z
FRAME_LEN = 60


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def flow_endpoints(i):
    client = bytes([192, 0, 2, 1 + i % 254])
    server = bytes([198, 51, 100, 1 + (i // 254) % 254])
    cport = 1024 + (i * 7919) % 64000
    sport = SERVER_PORTS[i % len(SERVER_PORTS)]
    return client, cport, server, sport


def frame(src, sport, dst, dport, seq, ack, ip_id, to_server):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, 0x10, 64240, 0, 0)
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), ip_id, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    macs = (MAC_SERVER + MAC_CLIENT) if to_server else (MAC_CLIENT + MAC_SERVER)
    eth = macs + b"\x08\x00"
    f = eth + ip + tcp
    return f + b"\0" * (FRAME_LEN - len(f))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--flows", type=int, default=10000)
    ap.add_argument("--packets", type=int, default=None,
                    help="total packets (default 4 per flow)")
    a = ap.parse_args()
    if a.flows < 1 or a.flows > 254 * 254:
        ap.error("--flows must be 1..64516")
    total = a.packets if a.packets is not None else 4 * a.flows
    if total < 1:
        ap.error("--packets must be positive")

    flows = [flow_endpoints(i) for i in range(a.flows)]
    if len(set(flows)) != len(flows):
        sys.exit("internal error: flow tuples collide")
    with open(a.out, "wb") as out:
        # pcap global header: microsecond timestamps, Ethernet, snaplen 65535.
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for n in range(total):
            i = n % a.flows
            round_ = n // a.flows
            client, cport, server, sport = flows[i]
            to_server = round_ % 2 == 0
            cseq = (i * 2654435761 + 1) & 0xFFFFFFFF
            sseq = (i * 40503 + 7) & 0xFFFFFFFF
            if to_server:
                f = frame(client, cport, server, sport, cseq, sseq, n & 0xFFFF, True)
            else:
                f = frame(server, sport, client, cport, sseq, cseq, n & 0xFFFF, False)
            usec = n
            out.write(struct.pack("<IIII", T0 + usec // 1000000, usec % 1000000, len(f), len(f)))
            out.write(f)
    print(f"wrote {a.out}: {total} packets, {a.flows} flows, {FRAME_LEN}-byte frames")


if __name__ == "__main__":
    main()
