#!/usr/bin/python3
"""A small, independent ZooKeeper client-port decoder in Python: reads a
capture's TCP payloads with tshark and writes the `zookeeper` EVE events
segward is specified to write for it, one JSON object per line.

  zk_wire_eve.py CAPTURE.pcap > wire-eve.json

It exists to check the test harness, not the product: make-zk-capture.sh
compares the clients' own logs against it (compare_zk_events.py SENT
wire-eve.json), so a log that disagrees with the wire is caught when the
capture is made; and the integrator can diff segward's events against it.
It decodes what the bundled captures contain (jute frames of ZooKeeper 3.8
clients, four-letter words) and reports what it cannot decode on stderr;
it is not a hardened parser.

Conventions it follows (the EVE contract in tests/data/README.md): one
"request" event per request, written when its reply is read (replied true,
err the reply header's error name) or at the end of the capture (replied
false); src is the client for requests, connect and four-letter words, the
server for notifications; pings are not events.
"""
import json
import os
import struct
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data"))
from zk_clients import CREATE_MODES, EVENT_NAMES, OP_NAMES, err_name, session_hex  # noqa: E402

FOUR_LETTER_WORDS = {"conf", "cons", "crst", "dump", "envi", "ruok", "srst", "srvr", "stat", "wchs", "wchc",
                     "wchp", "mntr", "isro", "gtmk", "stmk", "hash", "dirs"}
ZK_PORTS = {2181}
CREATE_OPS = {1, 15, 19, 21}


class Reader:
    def __init__(self, b, off=0):
        self.b, self.off = b, off

    def int(self):
        v = struct.unpack_from(">i", self.b, self.off)[0]
        self.off += 4
        return v

    def long(self):
        v = struct.unpack_from(">q", self.b, self.off)[0]
        self.off += 8
        return v

    def bool(self):
        v = self.b[self.off] != 0
        self.off += 1
        return v

    def buffer(self):
        n = self.int()
        if n < 0:
            return None
        v = self.b[self.off:self.off + n]
        if len(v) != n:
            raise struct.error("short buffer")
        self.off += n
        return v

    def string(self):
        v = self.buffer()
        return None if v is None else v.decode("utf-8", "replace")

    def acls(self):
        return [{"perms": self.int(), "scheme": self.string(), "id": self.string()} for _ in range(self.int())]

    def stat(self):
        self.off += 8 + 8 + 8 + 8 + 4 + 4 + 4 + 8 + 4 + 4 + 8
        if self.off > len(self.b):
            raise struct.error("short stat")

    def left(self):
        return len(self.b) - self.off


def request_fields(opcode, r):
    """The request body's fields, as the EVE names them."""
    z = {}
    if opcode in CREATE_OPS:
        z["path"] = r.string()
        data = r.buffer()
        z["data_len"] = -1 if data is None else len(data)
        z["acl"] = r.acls()
        flags = r.int()
        z["mode"] = CREATE_MODES.get(flags, str(flags))
    elif opcode in (2, 13):  # delete, check
        z["path"] = r.string()
        z["version"] = r.int()
    elif opcode in (3, 4, 8, 12):  # exists, getData, getChildren, getChildren2
        z["path"] = r.string()
        z["watch"] = r.bool()
    elif opcode == 5:
        z["path"] = r.string()
        data = r.buffer()
        z["data_len"] = -1 if data is None else len(data)
        z["version"] = r.int()
    elif opcode in (6, 9):  # getACL, sync
        z["path"] = r.string()
    elif opcode == 7:
        z["path"] = r.string()
        z["acl"] = r.acls()
        z["version"] = r.int()
    elif opcode == 100:
        r.int()  # type
        z["auth_scheme"] = r.string()
        cred = r.buffer() or b""
        z["credentials_sent"] = len(cred) > 0
        if z["auth_scheme"] == "digest" and b":" in cred:
            z["auth_user"] = cred.split(b":", 1)[0].decode("utf-8", "replace")
    elif opcode == 14:
        subs = []
        while r.left() >= 9:
            t, done, _ = r.int(), r.bool(), r.int()
            if done:
                break
            sub = {"op": OP_NAMES.get(t, str(t)), "opcode": t}
            sub.update(request_fields(t, r))
            for k in ("acl", "data_len", "watch"):
                sub.pop(k, None)
            subs.append(sub)
        z["sub_ops"] = subs
    return z


def reply_fields(req, r):
    z = {}
    op = req["opcode"]
    if op in CREATE_OPS:
        z["created_path"] = r.string()
    elif op == 14:
        subs = req.get("sub_ops", [])
        i = 0
        while r.left() >= 9:
            t, done, _ = r.int(), r.bool(), r.int()
            if done:
                break
            rc = 0
            if t == -1:
                rc = r.int()
            elif t in CREATE_OPS:
                path = r.string()
                if i < len(subs):
                    subs[i]["created_path"] = path
                if t != 1:
                    r.stat()
            elif t == 5:
                r.stat()
            if i < len(subs):
                subs[i]["err"] = err_name(rc)
            i += 1
    return z


def tshark_segments(pcap):
    out = subprocess.run(
        ["tshark", "-r", pcap, "-Y", "tcp", "-T", "fields", "-E", "separator=\t",
         "-e", "frame.time_epoch", "-e", "tcp.stream", "-e", "ip.src", "-e", "tcp.srcport",
         "-e", "ip.dst", "-e", "tcp.dstport", "-e", "tcp.seq", "-e", "tcp.len", "-e", "tcp.payload"],
        check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        f = line.split("\t")
        if len(f) < 9 or not f[7] or int(f[7]) == 0:
            continue
        yield (float(f[0]), int(f[1]), f[2], int(f[3]), f[4], int(f[5]), int(f[6]), bytes.fromhex(f[8]))


def timestamp(t):
    import datetime
    d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.%f+0000")


class Conn:
    def __init__(self, stream, cli, srv):
        self.stream, self.cli, self.srv = stream, cli, srv
        self.buf = {True: bytearray(), False: bytearray()}  # from client?
        self.next_seq = {True: None, False: None}
        self.started = {True: False, False: False}
        self.fourlw = None
        self.fourlw_bytes = 0
        self.session = None
        self.pending = {}
        self.connect = None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    conns = {}
    events = []
    problems = []

    def emit(conn, t, z, from_server=False):
        src, dst = (conn.srv, conn.cli) if from_server else (conn.cli, conn.srv)
        events.append({"timestamp": timestamp(t), "flow_id": conn.stream, "event_type": "zookeeper",
                       "src_ip": src[0], "src_port": src[1], "dest_ip": dst[0], "dest_port": dst[1],
                       "proto": "TCP", "app_proto": "zookeeper", "zookeeper": z})

    def frames(conn, from_client):
        b = conn.buf[from_client]
        while len(b) >= 4:
            n = struct.unpack_from(">i", b)[0]
            if n < 0 or len(b) < 4 + n:
                return
            body = bytes(b[4:4 + n])
            del b[:4 + n]
            yield body

    def on_client(conn, t):
        if not conn.started[True] and conn.fourlw is None:
            head = bytes(conn.buf[True][:4])
            if len(head) == 4 and head.decode("ascii", "replace") in FOUR_LETTER_WORDS:
                conn.fourlw = head.decode()
                conn.fourlw_t = t
                return
        if conn.fourlw is not None:
            return
        for body in frames(conn, True):
            r = Reader(body)
            try:
                if not conn.started[True]:
                    conn.started[True] = True
                    r.int(); r.long(); r.int(); r.long()  # version, lastZxid, timeout, session
                    conn.connect = {"kind": "connect"}
                    conn.connect_t = t
                    continue
                xid, opcode = r.int(), r.int()
                if xid == -2:
                    continue
                z = {"kind": "request", "op": OP_NAMES.get(opcode, str(opcode)), "opcode": opcode, "xid": xid}
                if conn.session:
                    z["session_id"] = conn.session
                z.update(request_fields(opcode, r))
                conn.pending[xid] = (t, z)
            except struct.error as e:
                problems.append(f"stream {conn.stream}: undecodable client frame ({e})")

    def on_server(conn, t):
        if conn.fourlw is not None:
            return
        for body in frames(conn, False):
            r = Reader(body)
            try:
                if not conn.started[False]:
                    conn.started[False] = True
                    r.int(); r.int()
                    sid = r.long()
                    conn.session = session_hex(sid)
                    z = dict(conn.connect or {"kind": "connect"}, replied=True, session_id=conn.session)
                    conn.connect = None
                    emit(conn, t, z)
                    continue
                xid, zxid, err = r.int(), r.long(), r.int()
                if xid == -2:
                    continue
                if xid == -1:
                    etype, _ = r.int(), r.int()
                    z = {"kind": "notification", "xid": -1, "zxid": zxid, "path": r.string(),
                         "watch_event": EVENT_NAMES.get(etype, str(etype))}
                    if conn.session:
                        z["session_id"] = conn.session
                    emit(conn, t, z, from_server=True)
                    continue
                if xid not in conn.pending:
                    problems.append(f"stream {conn.stream}: reply xid {xid} without a request")
                    continue
                _, z = conn.pending.pop(xid)
                z.update(replied=True, zxid=zxid, err=err_name(err))
                if err == 0 or z["opcode"] == 14:
                    z.update(reply_fields(z, r))
                emit(conn, t, z)
            except struct.error as e:
                problems.append(f"stream {conn.stream}: undecodable server frame ({e})")

    for t, stream, sip, sport, dip, dport, seq, payload in tshark_segments(sys.argv[1]):
        if dport in ZK_PORTS:
            from_client, cli, srv = True, (sip, sport), (dip, dport)
        elif sport in ZK_PORTS:
            from_client, cli, srv = False, (dip, dport), (sip, sport)
        else:
            continue
        conn = conns.get(stream)
        if conn is None:
            conn = conns[stream] = Conn(stream, cli, srv)
        # In-order bytes per direction; skip retransmitted bytes.
        nxt = conn.next_seq[from_client]
        if nxt is not None and seq + len(payload) <= nxt:
            continue
        if nxt is not None and seq < nxt:
            payload = payload[nxt - seq:]
            seq = nxt
        if nxt is not None and seq > nxt:
            problems.append(f"stream {stream}: {seq - nxt} bytes missing")
        conn.next_seq[from_client] = seq + len(payload)
        if not from_client and conn.fourlw is not None:
            conn.fourlw_bytes += len(payload)
            continue
        conn.buf[from_client] += payload
        (on_client if from_client else on_server)(conn, t)

    for conn in sorted(conns.values(), key=lambda c: c.stream):
        if conn.fourlw is not None:
            emit(conn, conn.fourlw_t, {"kind": "four_letter_word", "four_letter_word": conn.fourlw,
                                       "response_bytes": conn.fourlw_bytes})
        if conn.connect is not None:  # a ConnectRequest the server never answered
            emit(conn, conn.connect_t, dict(conn.connect, replied=False))
        for xid, (t, z) in sorted(conn.pending.items(), key=lambda kv: kv[1][0]):
            z["replied"] = False
            emit(conn, t, z)
    events.sort(key=lambda e: e["timestamp"])
    for e in events:
        print(json.dumps(e, sort_keys=True))
    for p in problems:
        print("zk_wire_eve:", p, file=sys.stderr)
    print(f"zk_wire_eve: {len(conns)} connections, {len(events)} events", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
