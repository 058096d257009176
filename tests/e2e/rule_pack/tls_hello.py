#!/usr/bin/python3
"""Hand-built ClientHellos for the TLS rules that OpenSSL 3 cannot exercise:
it can no longer offer RC4 or EXPORT suites, nor open with an
SSLv2-compatible hello. Each hello goes to a real `openssl s_server`
(gen_tls.sh); whatever the server answers (a ServerHello choosing a suite
it still has, or an alert) is read for up to 3 s, then the connection closes.

  tls_hello.py rc4|export|sslv2 SERVER_IP:PORT SOURCE_IP
"""
import os
import socket
import struct
import sys
import time

AES = [0x002F, 0x0035, 0x009C, 0x009D, 0xC02F, 0xC030]  # what s_server can choose
OFFERS = {
    "rc4": [0x0005, 0x0004, 0xC011] + AES,  # RSA_WITH_RC4_128_SHA/_MD5, ECDHE_RSA_WITH_RC4_128_SHA
    "export": [0x0008, 0x0006, 0x0014, 0x0011] + AES,  # RSA/DHE EXPORT DES40, RC2_40
}


def u16(n):
    return struct.pack(">H", n)


def ext(kind, body):
    return u16(kind) + u16(len(body)) + body


def client_hello(suites, sni="master.example.test"):
    name = sni.encode()
    exts = (ext(0, u16(len(name) + 3) + b"\x00" + u16(len(name)) + name)            # server_name
            + ext(10, u16(4) + u16(0x001D) + u16(0x0017))                            # supported_groups
            + ext(11, b"\x01\x00")                                                   # ec_point_formats
            + ext(13, u16(8) + b"".join(u16(a) for a in (0x0401, 0x0804, 0x0501, 0x0201)))  # signature_algorithms
            + ext(0xFF01, b"\x00"))                                                  # renegotiation_info
    body = (u16(0x0303) + os.urandom(32) + b"\x00" + u16(2 * len(suites)) + b"".join(u16(s) for s in suites)
            + b"\x01\x00" + u16(len(exts)) + exts)
    hs = b"\x01" + struct.pack(">I", len(body))[1:] + body
    return b"\x16\x03\x01" + u16(len(hs)) + hs


def sslv2_hello():
    """RFC 5246 appendix E.2: the SSL 2.0 CLIENT-HELLO form, offering TLS 1.2."""
    specs = b"".join(b"\x00" + u16(s) for s in AES[:2] + [0x000A, 0x00FF])
    challenge = os.urandom(32)
    msg = b"\x01" + u16(0x0303) + u16(len(specs)) + u16(0) + u16(len(challenge)) + specs + challenge
    return bytes([0x80 | (len(msg) >> 8), len(msg) & 0xFF]) + msg


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("rc4", "export", "sslv2"):
        raise SystemExit(__doc__)
    kind, server, src = sys.argv[1:]
    host, port = server.rsplit(":", 1)
    hello = sslv2_hello() if kind == "sslv2" else client_hello(OFFERS[kind])
    with socket.create_connection((host, int(port)), 5, source_address=(src, 0)) as s:
        s.sendall(hello)
        got = b""
        deadline = time.monotonic() + 3
        s.settimeout(0.5)
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                if got:
                    break
                continue
            if not chunk:
                break
            got += chunk
    what = {0x16: "handshake (ServerHello)", 0x15: "alert"}.get(got[0], f"type {got[0]:#x}") if got else "nothing"
    suite = ""
    if len(got) > 43 and got[0] == 0x16 and got[5] == 0x02:
        sid_len = got[43]
        suite = f", suite {int.from_bytes(got[44 + sid_len:46 + sid_len], 'big'):#06x}"
    print(f"[tls-{kind}] from {src}: {len(hello)}-byte hello, server answered {what}{suite}", flush=True)
    return 0 if got else 1


if __name__ == "__main__":
    sys.exit(main())
