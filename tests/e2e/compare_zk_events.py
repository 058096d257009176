#!/usr/bin/python3
"""Check segward's EVE `zookeeper` events against what the clients logged.

  compare_zk_events.py [--core] SENT_JSONL EVE_JSON
  compare_zk_events.py --self-test SENT_JSONL

SENT_JSONL comes from tests/data/make-zk-capture.sh (zk_clients.py's kazoo
and cli_mt records, make-zk-capture.sh's nc records); EVE_JSON from
`segward replay` of the same capture. Other event types are ignored.

Connections. A logged connection is a client with its session: kazoo and nc
records name their local port (client_port), cli_mt records only their
session. An EVE event belongs to the connection of its client endpoint: the
source for request / connect / four_letter_word events, the destination for
notifications (the server sends those). A connection's session is the
session_id of any of its events (its connect event gives it).

What must match, per logged connection:
  connect           a "connect" event whose session_id is the logged session
  request           one "request" event, found by xid (records without one,
                    such as cli_mt's closeSession: the next unmatched event of
                    that op), in the logged order; same op, opcode, path,
                    replied true and err (when the client saw the reply),
                    created_path (creates), and for multi the sub_ops in
                    order: op, path, err.
                    Unless --core, also: zxid, session_id, mode, data_len,
                    acl (create*, setACL), version (setData, delete, check,
                    setACL), watch (exists, getData, getChildren*),
                    auth_scheme / auth_user / credentials_sent (auth),
                    sub_ops' opcode and mode.
  notification      a "notification" event with the same path, in order (and
                    watch_event equal to the logged event type, when the
                    event has that field)
  four_letter_word  a "four_letter_word" event with the same word and
                    response_bytes
Any request event on a logged connection that no record accounts for is a
mismatch too, and no logged password ("secret") may appear anywhere in the
EVE file. Prints one line per mismatch and a summary; exits 1 on any
mismatch or when nothing matched.

--self-test builds a synthetic EVE from the log itself and checks that the
comparator passes it, and fails it with one event dropped, with one err
changed and with two events swapped.
"""
import argparse
import json
import sys

CREATES = {"create", "create2", "createContainer", "createTTL"}
VERSIONED = {"setData", "delete", "check", "setACL"}
WATCHABLE = {"exists", "getData", "getChildren", "getChildren2"}


def load_jsonl(path):
    out = []
    with open(path) as f:
        for n, line in enumerate(f, start=1):
            line = line.strip()
            if not line:
                continue
            try:
                out.append(json.loads(line))
            except ValueError as e:
                sys.exit(f"{path}:{n}: not JSON ({e})")
    return out


def session_int(s):
    if s is None:
        return None
    try:
        return int(str(s), 16) if isinstance(s, str) else int(s)
    except ValueError:
        return s


class Flow:
    def __init__(self, key):
        self.key = key  # (client ip, client port)
        self.events = []  # (file index, event)
        self.sessions = set()


def eve_flows(events):
    flows = {}
    for idx, e in events:
        z = e["zookeeper"]
        if z.get("kind") == "notification":
            key = (e.get("dest_ip"), e.get("dest_port"))
        else:
            key = (e.get("src_ip"), e.get("src_port"))
        flow = flows.setdefault(key, Flow(key))
        flow.events.append((idx, e))
        if z.get("session_id") is not None:
            flow.sessions.add(session_int(z["session_id"]))
    return flows


def compare(sent, eve_lines, core=False, out=print):
    events = [(i, e) for i, e in enumerate(eve_lines) if e.get("event_type") == "zookeeper"
              and isinstance(e.get("zookeeper"), dict)]
    flows = eve_flows(events)
    problems = []
    matched = 0

    def bad(rec, what):
        where = f"{rec.get('client')} seq {rec.get('seq')}"
        if rec.get("kind") == "request":
            where += f" {rec.get('op')} xid {rec.get('xid', '?')} {rec.get('path', '')}".rstrip()
        elif rec.get("kind") == "four_letter_word":
            where += f" {rec.get('four_letter_word')}"
        elif rec.get("kind") == "notification":
            where += f" notification {rec.get('path')}"
        problems.append(f"{where}: {what}")

    def check(rec, field, want, got):
        if want != got:
            bad(rec, f"{field}: client {want!r}, EVE {got!r}")

    # Group the log by connection.
    conns = {}
    for rec in sent:
        key = (rec.get("client"), rec.get("client_port"), rec.get("session"), None)
        if rec.get("kind") == "four_letter_word":  # one connection per word
            key = (rec.get("client"), rec.get("client_port"), None, rec.get("seq"))
        conns.setdefault(key, []).append(rec)

    used_flows = set()
    for key, recs in conns.items():
        client, port, session, _ = key
        sess = session_int(session)
        candidates = [f for f in flows.values()
                      if (port is None or f.key[1] == port) and (sess is None or not f.sessions or sess in f.sessions)]
        if port is None and sess is not None:
            candidates = [f for f in candidates if sess in f.sessions]
        if len(candidates) != 1:
            what = "no EVE zookeeper events" if not candidates else f"{len(candidates)} EVE connections match"
            kinds = {}
            for rec in recs:
                kinds[rec.get("kind")] = kinds.get(rec.get("kind"), 0) + 1
            who = ", ".join(x for x in (f"client port {port}" if port else "", f"session {session}" if session else "")
                            if x)
            problems.append(f"{client} ({who}): {what} for this connection; its {len(recs)} records {kinds} unmatched")
            continue
        flow = candidates[0]
        used_flows.add(flow.key)
        evs = flow.events
        taken = set()
        last_pos = -1

        def take(pred, rec):
            for pos, (idx, e) in enumerate(evs):
                if pos in taken or not pred(e["zookeeper"]):
                    continue
                taken.add(pos)
                return pos, e["zookeeper"]
            return None, None

        for rec in recs:
            kind = rec.get("kind")
            if kind == "connect":
                pos, z = take(lambda z: z.get("kind") == "connect", rec)
                if z is None:
                    bad(rec, "no connect event")
                    continue
                matched += 1
                check(rec, "session_id", sess, session_int(z.get("session_id")))
                if "replied" in rec:
                    check(rec, "replied", rec["replied"], bool(z.get("replied")))
            elif kind == "four_letter_word":
                pos, z = take(lambda z: z.get("kind") == "four_letter_word", rec)
                if z is None:
                    bad(rec, "no four_letter_word event")
                    continue
                matched += 1
                check(rec, "four_letter_word", rec["four_letter_word"], z.get("four_letter_word"))
                check(rec, "response_bytes", rec["response_bytes"], z.get("response_bytes"))
            elif kind == "notification":
                pos, z = take(lambda z: z.get("kind") == "notification" and z.get("path") == rec["path"], rec)
                if z is None:
                    bad(rec, "no notification event for this path")
                    continue
                matched += 1
                # The event type's field is not in the EVE contract; checked
                # when the event names it as watch_event.
                if "watch_event" in z and "event" in rec:
                    check(rec, "watch_event", rec["event"], z.get("watch_event"))
            elif kind == "request":
                if "xid" in rec:
                    pos, z = take(lambda z: z.get("kind") == "request" and z.get("xid") == rec["xid"], rec)
                else:
                    pos, z = take(lambda z: z.get("kind") == "request" and z.get("op") == rec["op"], rec)
                if z is None:
                    bad(rec, "no request event" + (" with this xid" if "xid" in rec else " of this op"))
                    continue
                matched += 1
                if pos < last_pos:
                    bad(rec, "request event out of order (after a later request's event)")
                last_pos = max(last_pos, pos)
                check_request(rec, z, check, bad, core, sess)
        for pos, (idx, e) in enumerate(evs):
            z = e["zookeeper"]
            if pos not in taken and z.get("kind") == "request":
                problems.append(f"{client} (client port {flow.key[1]}): EVE line {idx + 1}: request event no client "
                                f"logged: op {z.get('op')!r} xid {z.get('xid')!r} path {z.get('path')!r}")

    secrets = {r["secret"] for r in sent if r.get("secret")}
    text = "\n".join(json.dumps(e) for e in eve_lines)
    for s in sorted(secrets):
        if s in text:
            problems.append(f"a logged password ({len(s)} characters) appears in the EVE output")

    for p in problems:
        out(f"MISMATCH {p}")
    kinds = {}
    for r in sent:
        kinds[r.get("kind")] = kinds.get(r.get("kind"), 0) + 1
    eve_kinds = {}
    for _, e in events:
        k = e["zookeeper"].get("kind")
        eve_kinds[k] = eve_kinds.get(k, 0) + 1
    out(f"{len(sent)} logged {kinds}, {len(events)} zookeeper events {eve_kinds} on {len(flows)} connections "
        f"({len(used_flows)} logged), {matched} matched, {len(problems)} mismatches"
        + (" [core fields only]" if core else ""))
    if matched == 0:
        out("MISMATCH nothing matched")
        return 1
    return 1 if problems else 0


def check_request(rec, z, check, bad, core, sess):
    check(rec, "op", rec["op"], z.get("op"))
    if rec.get("opcode") is not None:
        check(rec, "opcode", rec["opcode"], z.get("opcode"))
    if "path" in rec:
        check(rec, "path", rec["path"], z.get("path"))
    if rec.get("replied"):
        check(rec, "replied", True, z.get("replied"))
        if "err" in rec:
            check(rec, "err", rec["err"], z.get("err"))
    if "created_path" in rec:
        check(rec, "created_path", rec["created_path"], z.get("created_path"))
    if "sub_ops" in rec:
        got = z.get("sub_ops")
        if not isinstance(got, list) or len(got) != len(rec["sub_ops"]):
            bad(rec, f"sub_ops: client {len(rec['sub_ops'])} ops, EVE "
                     f"{len(got) if isinstance(got, list) else got!r}")
        else:
            for i, (want, have) in enumerate(zip(rec["sub_ops"], got)):
                check(rec, f"sub_ops[{i}].op", want["op"], have.get("op"))
                check(rec, f"sub_ops[{i}].path", want.get("path"), have.get("path"))
                if "err" in want:
                    check(rec, f"sub_ops[{i}].err", want["err"], have.get("err"))
                if not core:
                    check(rec, f"sub_ops[{i}].opcode", want.get("opcode"), have.get("opcode"))
                    if want["op"] in CREATES and "mode" in want:
                        check(rec, f"sub_ops[{i}].mode", want["mode"], have.get("mode"))
    if core:
        return
    if "zxid" in rec and rec.get("replied"):
        check(rec, "zxid", rec["zxid"], z.get("zxid"))
    if sess is not None:
        check(rec, "session_id", sess, session_int(z.get("session_id")))
    op = rec["op"]
    if op in CREATES:
        for f in ("mode", "data_len", "acl"):
            if f in rec:
                check(rec, f, rec[f], z.get(f))
    if op == "setData" and "data_len" in rec:
        check(rec, "data_len", rec["data_len"], z.get("data_len"))
    if op == "setACL" and "acl" in rec:
        check(rec, "acl", rec["acl"], z.get("acl"))
    if op in VERSIONED and "version" in rec:
        check(rec, "version", rec["version"], z.get("version"))
    if op in WATCHABLE and "watch" in rec:
        check(rec, "watch", rec["watch"], z.get("watch"))
    if op == "auth":
        for f in ("auth_scheme", "auth_user", "credentials_sent"):
            if f in rec:
                check(rec, f, rec[f], z.get(f))


# ---------------------------------------------------------------- self-test
def synthetic_eve(sent):
    """What a perfect segward would write for this log (ZooKeeper at
    192.0.2.10:2181, clients at 192.0.2.20)."""
    port_of = {}
    next_port = 50000
    lines = []
    for rec in sent:
        key = rec.get("client_port") or (rec.get("client"), rec.get("session"))
        if rec.get("client_port") is None and key not in port_of:
            port_of[key] = next_port
            next_port += 1
        port = rec.get("client_port") or port_of[key]
        cli, srv = ("192.0.2.20", port), ("192.0.2.10", 2181)
        z = {"kind": rec["kind"]}
        if rec["kind"] == "four_letter_word":
            z.update(four_letter_word=rec["four_letter_word"], response_bytes=rec["response_bytes"])
        elif rec["kind"] == "connect":
            z.update(replied=rec.get("replied", True))
            if rec.get("session"):
                z["session_id"] = rec["session"]
        elif rec["kind"] == "notification":
            z.update(path=rec["path"], xid=-1, session_id=rec.get("session"), watch_event=rec.get("event"))
            cli, srv = srv, cli
        else:
            for f in ("op", "opcode", "xid", "zxid", "path", "mode", "acl", "data_len", "version", "watch",
                      "replied", "err", "created_path", "auth_scheme", "auth_user", "credentials_sent"):
                if f in rec:
                    z[f] = rec[f]
            if rec.get("session"):
                z["session_id"] = rec["session"]
            if "sub_ops" in rec:
                z["sub_ops"] = [{k: s[k] for k in ("op", "opcode", "path", "mode", "err") if k in s}
                                for s in rec["sub_ops"]]
            if "opcode" not in rec or rec.get("opcode") is None:
                z.pop("opcode", None)
        lines.append({"timestamp": f"{rec.get('time', 0):.6f}", "flow_id": hash(cli) & 0xFFFF,
                      "event_type": "zookeeper", "src_ip": cli[0], "src_port": cli[1], "dest_ip": srv[0],
                      "dest_port": srv[1], "proto": "TCP", "app_proto": "zookeeper", "zookeeper": z})
    return lines


def self_test(sent_path):
    sent = load_jsonl(sent_path)
    eve = synthetic_eve(sent)
    quiet = []
    results = []
    rc = compare(sent, eve, out=quiet.append)
    results.append(("synthetic EVE from the log passes", rc == 0, quiet[-1]))
    req = [i for i, e in enumerate(eve) if e["zookeeper"]["kind"] == "request"]
    if not req:
        print("self-test: the log has no request records")
        return 1
    dropped = eve[:req[len(req) // 2]] + eve[req[len(req) // 2] + 1:]
    quiet = []
    results.append(("one request event dropped fails", compare(sent, dropped, out=quiet.append) == 1,
                    next((l for l in quiet if l.startswith("MISMATCH")), quiet[-1])))
    changed = json.loads(json.dumps(eve))
    i = next((i for i in req if changed[i]["zookeeper"].get("err") == "OK"), req[0])
    changed[i]["zookeeper"]["err"] = "NoNode"
    quiet = []
    results.append(("one err changed fails", compare(sent, changed, out=quiet.append) == 1,
                    next((l for l in quiet if l.startswith("MISMATCH")), quiet[-1])))
    swapped = list(eve)
    same = [i for i in req if eve[i]["src_port"] == eve[req[0]]["src_port"]]
    if len(same) >= 2:
        a, b = same[0], same[1]
        swapped[a], swapped[b] = swapped[b], swapped[a]
        quiet = []
        results.append(("two requests of one connection swapped fails",
                        compare(sent, swapped, out=quiet.append) == 1,
                        next((l for l in quiet if l.startswith("MISMATCH")), quiet[-1])))
    for what, ok, detail in results:
        print(f"self-test {'ok  ' if ok else 'FAIL'} {what}: {detail}")
    return 0 if all(ok for _, ok, _ in results) else 1


def main():
    ap = argparse.ArgumentParser(description="compare segward's zookeeper events with the clients' logs")
    ap.add_argument("--core", action="store_true", help="only op/opcode/path/err/created_path/sub_ops/order")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("sent")
    ap.add_argument("eve", nargs="?")
    a = ap.parse_args()
    if a.self_test:
        return self_test(a.sent)
    if not a.eve:
        ap.error("EVE_JSON is required")
    return compare(load_jsonl(a.sent), load_jsonl(a.eve), core=a.core)


if __name__ == "__main__":
    sys.exit(main())
