#!/usr/bin/env python3
"""An independent reference for the test expectations: JA3, JA3S (MD5) and
JA4 (SHA-256) of the hellos in a .segments file, with Python's hashlib, from
the Salesforce JA3 and FoxIO JA4 write-ups. Used to cross-check the values
tests/unit/tls hard-codes; not run by ctest.

usage: reference_fingerprints.py tls12.segments
"""
import hashlib
import struct
import sys


def grease(v):
    return (v & 0x0F0F) == 0x0A0A and (v >> 8) == (v & 0xFF)


def messages(stream):
    """Handshake messages of one direction's clear records, in order."""
    hs = b""
    at = 0
    while at + 5 <= len(stream):
        ctype, _, length = stream[at], stream[at + 1:at + 3], struct.unpack(">H", stream[at + 3:at + 5])[0]
        body = stream[at + 5:at + 5 + length]
        at += 5 + length
        if ctype == 22:
            hs += body
        elif ctype == 20:
            break
    out = []
    while len(hs) >= 4:
        t = hs[0]
        n = int.from_bytes(hs[1:4], "big")
        out.append((t, hs[4:4 + n]))
        hs = hs[4 + n:]
    return out


def exts(block):
    out = []
    while len(block) >= 4:
        t, n = struct.unpack(">HH", block[:4])
        out.append((t, block[4:4 + n]))
        block = block[4 + n:]
    return out


def client_hello(body):
    version = struct.unpack(">H", body[:2])[0]
    p = 34
    p += 1 + body[p]
    n = struct.unpack(">H", body[p:p + 2])[0]
    ciphers = [struct.unpack(">H", body[p + 2 + i:p + 4 + i])[0] for i in range(0, n, 2)]
    p += 2 + n
    p += 1 + body[p]
    e = exts(body[p + 2:]) if p < len(body) else []
    return version, ciphers, e


def u16s(b):
    return [struct.unpack(">H", b[i:i + 2])[0] for i in range(0, len(b) - 1, 2)]


def ja3(body):
    version, ciphers, e = client_hello(body)
    d = dict((t, v) for t, v in reversed(e))
    groups = u16s(d[10][2:]) if 10 in d else []
    formats = list(d[11][1:]) if 11 in d else []
    s = "%d,%s,%s,%s,%s" % (
        version,
        "-".join(str(c) for c in ciphers if not grease(c)),
        "-".join(str(t) for t, _ in e if not grease(t)),
        "-".join(str(g) for g in groups if not grease(g)),
        "-".join(str(f) for f in formats))
    return s, hashlib.md5(s.encode()).hexdigest()


def ja4(body):
    version, ciphers, e = client_hello(body)
    d = dict((t, v) for t, v in reversed(e))
    if 43 in d:
        vs = [v for v in u16s(d[43][1:]) if not grease(v)]
        if vs:
            version = max(vs)
    names = {0x0304: "13", 0x0303: "12", 0x0302: "11", 0x0301: "10", 0x0300: "s3", 0x0002: "s2",
             0xFEFF: "d1", 0xFEFD: "d2", 0xFEFC: "d3"}
    cs = [c for c in ciphers if not grease(c)]
    es = [t for t, _ in e if not grease(t)]
    alpn = "00"
    if 16 in d and len(d[16]) > 3 and d[16][2] > 0:
        first = d[16][3:3 + d[16][2]]
        f, l = chr(first[0]), chr(first[-1])
        if f.isascii() and f.isalnum() and l.isascii() and l.isalnum():
            alpn = f + l
        else:
            h = first.hex()
            alpn = h[0] + h[-1]
    a = "t%s%s%02d%02d%s" % (names.get(version, "00"), "d" if 0 in d else "i", min(len(cs), 99), min(len(es), 99), alpn)
    b = hashlib.sha256(",".join("%04x" % c for c in sorted(cs)).encode()).hexdigest()[:12] if cs else "0" * 12
    hashed = sorted(t for t in es if t not in (0, 16))
    c = "0" * 12
    if hashed:
        s = ",".join("%04x" % t for t in hashed)
        if 13 in d:
            sig = [v for v in u16s(d[13][2:]) if not grease(v)]
            if sig:
                s += "_" + ",".join("%04x" % v for v in sig)
        c = hashlib.sha256(s.encode()).hexdigest()[:12]
    return "%s_%s_%s" % (a, b, c)


def ja3s(body):
    version = struct.unpack(">H", body[:2])[0]
    p = 34
    p += 1 + body[p]
    cipher = struct.unpack(">H", body[p:p + 2])[0]
    p += 3
    e = exts(body[p + 2:]) if p < len(body) else []
    s = "%d,%d,%s" % (version, cipher, "-".join(str(t) for t, _ in e if not grease(t)))
    return s, hashlib.md5(s.encode()).hexdigest()


def main(path):
    client, server = b"", b""
    for line in open(path):
        side, hexbytes = line.split()
        if side == "C":
            client += bytes.fromhex(hexbytes)
        else:
            server += bytes.fromhex(hexbytes)
    for t, body in messages(client):
        if t == 1:
            print("ja3 ", *ja3(body))
            print("ja4 ", ja4(body))
    for t, body in messages(server):
        if t == 2:
            print("ja3s", *ja3s(body))
        if t == 11:
            leaf = body[6:6 + int.from_bytes(body[3:6], "big")]
            print("cert sha256", hashlib.sha256(leaf).hexdigest(), "count-bytes", int.from_bytes(body[:3], "big"))


if __name__ == "__main__":
    main(sys.argv[1])
