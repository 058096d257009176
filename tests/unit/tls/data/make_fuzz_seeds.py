#!/usr/bin/env python3
"""Writes the fuzz_tls seed corpus (tests/fuzz/corpus/tls) from the real
captures here and a few hand-made inputs. Input format (see
decoders/tls/fuzz_tls.cc): a control byte, then segments, each a header
byte (bit 7: server; bits 0-6: length, 0x7f: a 2-byte length follows) and
its bytes.

usage: make_fuzz_seeds.py   (run from anywhere)
"""
import os
import struct

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "..", "..", "fuzz", "corpus", "tls")
os.makedirs(out, exist_ok=True)


def segments(path):
    segs = []
    for line in open(os.path.join(here, path)):
        side, hexbytes = line.split()
        segs.append((side == "S", bytes.fromhex(hexbytes)))
    return segs


def encode(control, segs):
    b = bytes([control])
    for server, data in segs:
        while data:
            part, data = data[:0xFFFF], data[0xFFFF:]
            if len(part) < 0x7F:
                b += bytes([(0x80 if server else 0) | len(part)])
            else:
                b += bytes([(0x80 if server else 0) | 0x7F]) + struct.pack(">H", len(part))
            b += part
    return b


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def handshake_messages(stream):
    hs = b""
    at = 0
    while at + 5 <= len(stream):
        ctype, length = stream[at], struct.unpack(">H", stream[at + 3:at + 5])[0]
        if ctype == 22:
            hs += stream[at + 5:at + 5 + length]
        elif ctype == 20:
            break
        at += 5 + length
    msgs = []
    while len(hs) >= 4:
        n = int.from_bytes(hs[1:4], "big")
        msgs.append((hs[0], hs[4:4 + n]))
        hs = hs[4 + n:]
    return msgs


for name in ("tls12", "tls13", "hello_retry", "no_shared_cipher", "resumed", "gnutls_tls12", "gnutls_tls13"):
    segs = segments(name + ".segments")
    write(name + ".conn", encode(0x00, segs))
    write(name + ".conn-hashes", encode(0xE0, segs))
    client = b"".join(d for s, d in segs if not s)
    server = b"".join(d for s, d in segs if s)
    for t, body in handshake_messages(client):
        if t == 1:
            write(name + ".client_hello", bytes([0x11]) + body)
    for t, body in handshake_messages(server):
        if t == 2:
            write(name + ".server_hello", bytes([0x13]) + body)
        if t == 11:
            write(name + ".certificate", bytes([0x15]) + body)

# A Certificate message larger than the handshake buffer (the leaf, then a
# 9000-byte blob), across two records, between a real ClientHello and ServerHelloDone.
def record(ctype, body):
    return bytes([ctype, 3, 3]) + struct.pack(">H", len(body)) + body


def handshake(t, body):
    return bytes([t]) + len(body).to_bytes(3, "big") + body


def vec3(b):
    return len(b).to_bytes(3, "big") + b


leaf = open(os.path.join(here, "leaf.der"), "rb").read()
tls12 = segments("tls12.segments")
client_hello = [m for m in handshake_messages(tls12[0][1])][0]
server_hello = [m for m in handshake_messages(tls12[1][1])][0]
flight = (handshake(2, server_hello[1]) + handshake(11, vec3(vec3(leaf) + vec3(bytes(9000)))) + handshake(14, b""))
records = b"".join(record(22, flight[i:i + 6000]) for i in range(0, len(flight), 6000))
write("big_certificate.conn", encode(0x00, [(False, record(22, handshake(1, client_hello[1]))), (True, records)]))

write("leaf.der", bytes([0x15]) + open(os.path.join(here, "leaf.der"), "rb").read())
write("time.utc", bytes([0x17, 0x17]) + b"240101000000Z")
write("time.generalized", bytes([0x17, 0x18]) + b"20240229120000.5+0130")
sslv2 = bytes([0x80, 0x2E, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10]) + bytes(0x2E - 9)
write("sslv2.conn", encode(0x00, [(False, sslv2)]))
write("garbage.conn", encode(0x00, [(False, b"GET / HTTP/1.1\r\n\r\n"), (True, b"HTTP/1.1 200 OK\r\n\r\n")]))
print("seeds written to", os.path.normpath(out))
