#!/usr/bin/python3
"""Bounded, counted TCP and UDP traffic for policy_reload.sh (plain Python,
no dependencies). Every mode ends by itself (a duration or a timeout), and
every message carries a sequence number so loss, duplication and delay are
counted, not guessed.

  policy_traffic.py server --bind IP --tcp PORT[,PORT...] --udp PORT --seconds S --out OUT.json
      echo server: every TCP line and every UDP datagram is sent back as is;
      counts per port and per client port. Ends on SIGTERM or after S seconds,
      then writes OUT.json.
  policy_traffic.py steady --server IP --tcp PORT --udp PORT --rate R --seconds S --out OUT.json
      one TCP connection and one UDP socket; R numbered messages per second on
      each for S seconds, the echoes counted by reader threads; waits up to
      3 s for the last echoes, closes the connection cleanly, writes OUT.json.
  policy_traffic.py longlived --server IP --port PORT --interval I --seconds S --out OUT.json
      one TCP connection; every I seconds a numbered line, its echo awaited for
      1 s. After the first echo that does not come, keeps sending for 3 s more
      and counts any echo that still arrives ("late": there should be none
      once segward drops the flow). Writes OUT.json.
  policy_traffic.py probe --server IP --port PORT [--timeout T]
      a new connection, one line, its echo: prints "open" and exits 0, or
      "closed: <why>" and exits 1, within T seconds (default 1.5).
"""
import argparse
import json
import signal
import socket
import sys
import threading
import time


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)


# -------------------------------------------------------------------- server
def server(a):
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    lock = threading.Lock()
    tcp = {}  # port -> {"connections": n, "lines": n, "by_client": {client_port: lines}}
    udp = {"datagrams": 0, "by_client": {}}

    def handle(conn, port, peer):
        conn.settimeout(1.0)
        buf = b""
        n = 0
        with lock:
            tcp[port]["connections"] += 1
        while not stop.is_set():
            try:
                b = conn.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                break
            if not b:
                break
            buf += b
            *lines, buf = buf.split(b"\n")
            if lines:
                n += len(lines)
                with lock:
                    tcp[port]["lines"] += len(lines)
                    tcp[port]["by_client"][str(peer[1])] = n
                try:
                    conn.sendall(b"".join(l + b"\n" for l in lines))
                except OSError:
                    break
        conn.close()

    def accept_loop(s, port):
        while not stop.is_set():
            try:
                c, peer = s.accept()
            except socket.timeout:
                continue
            threading.Thread(target=handle, args=(c, port, peer), daemon=True).start()

    for port in a.tcp:
        tcp[port] = {"connections": 0, "lines": 0, "by_client": {}}
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((a.bind, port))
        s.listen(16)
        s.settimeout(0.5)
        threading.Thread(target=accept_loop, args=(s, port), daemon=True).start()

    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((a.bind, a.udp))
    u.settimeout(0.5)

    def udp_loop():
        while not stop.is_set():
            try:
                d, peer = u.recvfrom(2048)
            except socket.timeout:
                continue
            with lock:
                udp["datagrams"] += 1
                k = str(peer[1])
                udp["by_client"][k] = udp["by_client"].get(k, 0) + 1
            u.sendto(d, peer)
    threading.Thread(target=udp_loop, daemon=True).start()

    print(f"server: listening on {a.bind} tcp {a.tcp} udp {a.udp}", flush=True)
    deadline = time.time() + a.seconds
    while not stop.is_set() and time.time() < deadline:
        time.sleep(0.1)
    stop.set()
    time.sleep(0.6)
    with lock:
        write_json(a.out, {"tcp": {str(k): v for k, v in tcp.items()}, "udp": {str(a.udp): udp}})
    return 0


# -------------------------------------------------------------------- steady
def steady(a):
    t = socket.create_connection((a.server, a.tcp), timeout=5)
    t.settimeout(0.5)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.connect((a.server, a.udp))
    u.settimeout(0.5)
    sent_at = {}
    tcp_echo, udp_echo = {}, {}
    done = threading.Event()

    def tcp_reader():
        buf = b""
        while True:
            try:
                b = t.recv(65536)
            except socket.timeout:
                if done.is_set():
                    return
                continue
            except OSError:
                return
            if not b:
                return
            buf += b
            *lines, buf = buf.split(b"\n")
            now = time.time()
            for l in lines:
                n = int(l)
                tcp_echo[n] = tcp_echo.get(n, 0) + 1
                if n in sent_at:
                    sent_at[n] = now - sent_at[n]

    def udp_reader():
        while True:
            try:
                d = u.recv(2048)
            except socket.timeout:
                if done.is_set():
                    return
                continue
            except OSError:
                return
            n = int(d.split()[1])
            udp_echo[n] = udp_echo.get(n, 0) + 1

    readers = [threading.Thread(target=tcp_reader, daemon=True), threading.Thread(target=udp_reader, daemon=True)]
    for r in readers:
        r.start()
    start = time.time()
    period = 1.0 / a.rate
    count = int(a.seconds * a.rate)
    for n in range(count):
        # A fixed schedule: a slow iteration is caught up, never stretched.
        delay = start + n * period - time.time()
        if delay > 0:
            time.sleep(delay)
        sent_at[n] = time.time()
        t.sendall(b"%d\n" % n)
        u.send(b"seq %d" % n)
    end = time.time()
    deadline = end + 3
    while (len(tcp_echo) < count or len(udp_echo) < count) and time.time() < deadline:
        time.sleep(0.05)
    done.set()
    for r in readers:
        r.join(2)
    local_tcp, local_udp = t.getsockname()[1], u.getsockname()[1]
    t.shutdown(socket.SHUT_WR)
    t.close()
    u.close()
    rtts = [v for k, v in sent_at.items() if k in tcp_echo and v < 1000]
    out = {"start": start, "end": end, "rate": a.rate, "tcp_port": local_tcp, "udp_port": local_udp,
           "tcp_sent": count, "tcp_echoed": len(tcp_echo), "tcp_dup_echoes": sum(v - 1 for v in tcp_echo.values()),
           "udp_sent": count, "udp_echoed": len(udp_echo), "udp_dup_echoes": sum(v - 1 for v in udp_echo.values()),
           "tcp_missing": [n for n in range(count) if n not in tcp_echo][:20],
           "udp_missing": [n for n in range(count) if n not in udp_echo][:20],
           "tcp_rtt_max_ms": round(max(rtts) * 1000, 1) if rtts else None}
    write_json(a.out, out)
    print(f"steady: tcp {out['tcp_echoed']}/{count} echoed, udp {out['udp_echoed']}/{count} echoed, "
          f"max tcp rtt {out['tcp_rtt_max_ms']} ms", flush=True)
    return 0


# ----------------------------------------------------------------- longlived
def longlived(a):
    s = socket.create_connection((a.server, a.port), timeout=5)
    local = s.getsockname()[1]
    results = []  # [send time, seconds to echo or None]
    first_timeout = None
    late = 0
    buf = b""
    deadline = time.time() + a.seconds
    n = 0
    while time.time() < deadline:
        if first_timeout is not None and time.time() > first_timeout + 3:
            break
        t0 = time.time()
        try:
            s.sendall(b"%d\n" % n)
        except OSError as e:
            results.append([t0, None, f"send: {e}"])
            break
        got = None
        s.settimeout(1.0)
        try:
            while got is None:
                b = s.recv(4096)
                if not b:
                    raise OSError("connection closed by the peer")
                buf += b
                *lines, buf = buf.split(b"\n")
                for l in lines:
                    if int(l) == n:
                        got = time.time() - t0
                    elif first_timeout is not None:
                        late += 1
        except socket.timeout:
            pass
        except OSError as e:
            results.append([t0, None, str(e)])
            break
        results.append([t0, got, None])
        if got is None and first_timeout is None:
            first_timeout = t0
        if got is not None and first_timeout is not None:
            late += 1
        n += 1
        time.sleep(max(0.0, a.interval - (time.time() - t0)))
    s.close()
    ok_before = sum(1 for r in results if r[1] is not None and (first_timeout is None or r[0] < first_timeout))
    out = {"port": local, "first_timeout": first_timeout, "sent": len(results), "ok_before": ok_before,
           "late_echoes": late, "results": results}
    write_json(a.out, out)
    print(f"longlived: port {local}, {ok_before} echoes, first timeout at {first_timeout}, late {late}", flush=True)
    return 0


# --------------------------------------------------------------------- probe
def probe(a):
    t0 = time.time()
    try:
        s = socket.create_connection((a.server, a.port), timeout=a.timeout)
        s.settimeout(max(0.1, a.timeout - (time.time() - t0)))
        line = (a.text.encode() if a.text else b"1") + b"\n"
        s.sendall(line)
        got = b""
        while len(got) < len(line):
            chunk = s.recv(len(line) - len(got))
            if not chunk:
                break
            got += chunk
        if got != line:
            raise OSError("no echo")
        local = s.getsockname()[1]
        s.close()
    except OSError as e:
        print(f"closed: {type(e).__name__}: {e}", flush=True)
        return 1
    print(f"open {local}" if a.show_port else "open", flush=True)
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("server")
    p.add_argument("--bind", required=True)
    p.add_argument("--tcp", type=lambda v: [int(x) for x in v.split(",")], required=True)
    p.add_argument("--udp", type=int, required=True)
    p.add_argument("--seconds", type=float, default=90)
    p.add_argument("--out", required=True)
    p = sub.add_parser("steady")
    p.add_argument("--server", required=True)
    p.add_argument("--tcp", type=int, required=True)
    p.add_argument("--udp", type=int, required=True)
    p.add_argument("--rate", type=float, default=100)
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--out", required=True)
    p = sub.add_parser("longlived")
    p.add_argument("--server", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--interval", type=float, default=0.1)
    p.add_argument("--seconds", type=float, default=40)
    p.add_argument("--out", required=True)
    p = sub.add_parser("probe")
    p.add_argument("--server", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--timeout", type=float, default=1.5)
    p.add_argument("--text", default="", help="send this line (and expect it back) instead of '1'")
    p.add_argument("--show-port", action="store_true", help="print 'open PORT' (the local port) instead of 'open'")
    a = ap.parse_args()
    return {"server": server, "steady": steady, "longlived": longlived, "probe": probe}[a.mode](a)


if __name__ == "__main__":
    sys.exit(main())
