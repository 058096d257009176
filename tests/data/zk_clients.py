#!/usr/bin/python3
"""Drive a real ZooKeeper server the way a small Mesos cluster does, and log
what every client itself sent and got.

Run with Debian's /usr/bin/python3 (python3-kazoo 2.8). Used by
make-zk-capture.sh and make-zk-flood-capture.sh:

  zk_clients.py kazoo HOST:PORT LOG.jsonl   the Mesos-like kazoo clients
  zk_clients.py cli-log CLI_OUTPUT LOG.jsonl turn `cli_mt -d` output into records
  zk_clients.py merge OUT.jsonl LOG.jsonl... one log, ordered by client time
  zk_clients.py flood HOST:PORT [--count N] [--seconds S]
                                            a getData flood (benchmark source)

kazoo clients, each a separate TCP connection (session):

  master-1, master-2  contend for leadership with ephemeral sequential
                      znodes /mesos/json.info_NNNNNNNNNN holding MasterInfo JSON;
                      master-2 watches its predecessor (exists watch)
  agent               lists /mesos with a child watch, reads the leader, is
                      refused a digest-protected znode (NoAuth)
  operator            a multi transaction that commits and one that fails, a
                      ~500 KB setData, digest auth, create with a digest ACL,
                      setACL, getACL, create2, getChildren2, sync, requests
                      that fail (NoNode, NodeExists, BadVersion, NotEmpty),
                      deletes
Then master-1 (the leader) goes away, its ephemeral node disappears, the
watches fire and the agent observes the new leader.

The log is the clients' own account, not a decode of the capture: kazoo logs
every request it sends and every reply header it reads (logger levels DEBUG
and BLATHER = 5, "Sending request(xid=...)" / "Reading for header ..." /
"Received response(xid=...)" / "Received EVENT" / "Received AUTH"); a
logging.Handler on each client's own logger takes the request, header and
response objects from those records. cli_mt (ZooKeeper's C client) logs the
same with -d: "Sending request xid=0x... for path [...]", "Calling
COMPLETION_... for xid=0x... rc=...", its callbacks' "[path]: rc = N" /
"name = ..." lines, "Watcher ..._EVENT ... for path P" and the session id.

One JSON object per line:
  {"kind": "connect", "client", "session", "client_port"}
  {"kind": "request", "client", "session", "client_port" (kazoo), "xid",
   "op", "opcode", "path", "err", "rc", "zxid" (kazoo), "replied",
   per op: "mode", "acl", "data_len", "version", "watch", "created_path",
   "auth_scheme", "auth_user", "secret" (the test password, so a comparator
   can check it never reaches the output), "sub_ops": [{"op", "opcode",
   "path", "mode"/"version", "err", "created_path"}]}
  {"kind": "notification", "client", "session", "client_port", "path",
   "event" (NodeCreated/NodeDeleted/NodeDataChanged/NodeChildrenChanged)}
  {"kind": "four_letter_word", "client": "nc", "client_port",
   "four_letter_word", "response_bytes"}   (written by make-zk-capture.sh)
Every record has "time" (the client's clock, Unix seconds) and "seq".
Pings are not logged.
"""
import argparse
import datetime
import json
import logging
import re
import sys
import threading
import time

# ZooDefs.OpCode (zookeeper 3.8 jar).
OPCODES = {
    "notification": 0, "create": 1, "delete": 2, "exists": 3, "getData": 4, "setData": 5,
    "getACL": 6, "setACL": 7, "getChildren": 8, "sync": 9, "ping": 11, "getChildren2": 12,
    "check": 13, "multi": 14, "create2": 15, "reconfig": 16, "checkWatches": 17,
    "removeWatches": 18, "createContainer": 19, "deleteContainer": 20, "createTTL": 21,
    "multiRead": 22, "auth": 100, "setWatches": 101, "sasl": 102, "getEphemerals": 103,
    "getAllChildrenNumber": 104, "setWatches2": 105, "addWatch": 106, "whoAmI": 107,
    "createSession": -10, "closeSession": -11, "error": -1,
}
OP_NAMES = {v: k for k, v in OPCODES.items()}

# KeeperException.Code values (zookeeper 3.8 jar), named in CamelCase.
ERR_NAMES = {
    0: "OK", -1: "SystemError", -2: "RuntimeInconsistency", -3: "DataInconsistency",
    -4: "ConnectionLoss", -5: "MarshallingError", -6: "Unimplemented", -7: "OperationTimeout",
    -8: "BadArguments", -12: "UnknownSession", -13: "NewConfigNoQuorum", -14: "ReconfigInProgress",
    -100: "APIError", -101: "NoNode", -102: "NoAuth", -103: "BadVersion",
    -108: "NoChildrenForEphemerals", -110: "NodeExists", -111: "NotEmpty", -112: "SessionExpired",
    -113: "InvalidCallback", -114: "InvalidACL", -115: "AuthFailed", -118: "SessionMoved",
    -119: "NotReadOnly", -120: "EphemeralOnLocalSession", -121: "NoWatcher", -122: "RequestTimeout",
    -123: "ReconfigDisabled", -124: "SessionClosedRequireSaslAuth", -125: "QuotaExceeded",
    -127: "ThrottledOp",
}

# CreateMode flags.
CREATE_MODES = {0: "PERSISTENT", 1: "EPHEMERAL", 2: "PERSISTENT_SEQUENTIAL", 3: "EPHEMERAL_SEQUENTIAL",
                4: "CONTAINER", 5: "PERSISTENT_WITH_TTL", 6: "PERSISTENT_SEQUENTIAL_WITH_TTL"}

# Watcher.Event.EventType.
EVENT_NAMES = {1: "NodeCreated", 2: "NodeDeleted", 3: "NodeDataChanged", 4: "NodeChildrenChanged",
               5: "DataWatchRemoved", 6: "ChildWatchRemoved", 7: "PersistentWatchRemoved"}

BLATHER = 5
PING_XID = -2
AUTH_XID = -4


def err_name(rc):
    return ERR_NAMES.get(rc, f"Unknown({rc})")


def session_hex(sid):
    return f"0x{sid:x}"


class SentLog:
    """Records from every client, in the order the clients made them."""

    def __init__(self):
        self.lock = threading.Lock()
        self.records = []

    def add(self, rec):
        with self.lock:
            rec["seq"] = len(self.records)
            self.records.append(rec)
        return rec

    def write(self, path):
        with self.lock, open(path, "w") as f:
            for rec in self.records:
                f.write(json.dumps(rec, sort_keys=True) + "\n")


# --------------------------------------------------------------------- kazoo
def acl_list(acls):
    return [{"perms": a.perms, "scheme": a.id.scheme, "id": a.id.id} for a in acls]


def describe_request(req):
    """Fields of a kazoo request object, as the EVE event names them."""
    from kazoo.protocol import serialization as s
    rec = {"op": OP_NAMES.get(req.type, str(req.type)), "opcode": req.type}
    if hasattr(req, "path"):
        rec["path"] = req.path
    if isinstance(req, (s.Create, s.Create2)):
        rec["mode"] = CREATE_MODES.get(req.flags, str(req.flags))
        rec["acl"] = acl_list(req.acl)
        rec["data_len"] = -1 if req.data is None else len(req.data)
    elif isinstance(req, s.SetData):
        rec["data_len"] = -1 if req.data is None else len(req.data)
        rec["version"] = req.version
    elif isinstance(req, (s.Delete, s.CheckVersion)):
        rec["version"] = req.version
    elif isinstance(req, s.SetACL):
        rec["acl"] = acl_list(req.acls)
        rec["version"] = req.version
    elif isinstance(req, (s.Exists, s.GetData, s.GetChildren, s.GetChildren2)):
        rec["watch"] = req.watcher is not None
    elif isinstance(req, s.Auth):
        rec["auth_scheme"] = req.scheme
        cred = req.auth.decode() if isinstance(req.auth, bytes) else str(req.auth)
        rec["credentials_sent"] = bool(cred)
        if req.scheme == "digest" and ":" in cred:
            rec["auth_user"], rec["secret"] = cred.split(":", 1)
    elif isinstance(req, s.Transaction):
        rec["sub_ops"] = [describe_request(op) for op in req.operations]
    return rec


class KazooWireLog(logging.Handler):
    """One kazoo client's protocol log (its own logger) turned into records."""

    def __init__(self, name, log):
        super().__init__(level=BLATHER)
        self.name = name
        self.log = log
        self.client = None
        self.session = None
        self.port = None
        self.pending = {}  # xid -> record awaiting its reply
        self.connect = None
        self.errors = []

    def base(self, kind):
        rec = {"kind": kind, "client": self.name, "time": round(time.time(), 6)}
        if self.session:
            rec["session"] = self.session
        if self.port:
            rec["client_port"] = self.port
        return rec

    def emit(self, record):
        try:
            self.handle_record(record.msg, record.args or ())
        except Exception as e:  # a logging handler must not kill kazoo's thread
            self.errors.append(f"{record.msg!r} {record.args!r}: {e!r}")

    def handle_record(self, msg, args):
        from kazoo.protocol import serialization as s
        if msg.startswith("Sending request(xid="):
            xid, req = args
            if isinstance(req, s.Ping):
                return
            try:
                self.port = self.client._connection._socket.getsockname()[1]
            except Exception:
                pass
            if isinstance(req, s.Connect):
                self.session = None
                self.connect = self.log.add(dict(self.base("connect"), replied=False))
                return
            rec = self.base("request")
            rec["xid"] = xid
            rec.update(describe_request(req))
            rec["replied"] = False
            self.pending[xid] = self.log.add(rec)
        elif msg.startswith("Read response"):
            (obj,) = args
            if isinstance(obj, s.Connect) and self.connect is not None:
                self.session = session_hex(obj.session_id)
                self.connect["session"] = self.session
                self.connect["client_port"] = self.port
                self.connect["replied"] = True
        elif msg.startswith("Reading for header"):
            (hdr,) = args
            rec = self.pending.get(hdr.xid)
            if rec is None:
                return
            rec["replied"] = True
            rec["rc"] = hdr.err
            rec["err"] = err_name(hdr.err)
            rec["zxid"] = hdr.zxid
            # Replies whose body the log uses stay pending until kazoo logs
            # "Received response" (only logged when err is 0; a multi's
            # results come with err 0 even when the transaction failed).
            if hdr.err != 0 or rec["op"] not in ("create", "create2", "getACL", "multi"):
                del self.pending[hdr.xid]
        elif msg.startswith("Received response(xid="):
            xid, resp = args
            rec = self.pending.pop(xid, None)
            if rec is None:
                return
            if rec["op"] == "create":
                rec["created_path"] = resp
            elif rec["op"] == "create2":
                rec["created_path"] = resp[0]
            elif rec["op"] == "getACL":
                rec["acl"] = acl_list(resp[0])
            elif rec["op"] == "multi":
                self.multi_results(rec, resp)
        elif msg.startswith("Received error(xid="):
            # The reply header had an error (already recorded); a multi only
            # gets here if the header itself failed, and then kazoo has no
            # sub-results to give.
            xid = args[0]
            rec = self.pending.pop(xid, None)
            if rec is not None and rec["op"] == "multi":
                rec["multi_exception"] = type(args[1]).__name__
        elif msg == "Received AUTH":
            rec = self.pending.pop(AUTH_XID, None)
            if rec is not None:
                # kazoo does not log this header; add_auth's outcome sets err
                # (see kazoo_auth below).
                rec["replied"] = True
        elif msg.startswith("Received EVENT"):
            (watch,) = args
            rec = self.base("notification")
            rec["path"] = watch.path
            rec["event"] = EVENT_NAMES.get(watch.type, str(watch.type))
            rec["keeper_state"] = watch.state
            self.log.add(rec)

    @staticmethod
    def multi_results(rec, results):
        from kazoo.exceptions import ZookeeperError
        if len(results) != len(rec["sub_ops"]):
            rec["sub_ops_result_count"] = len(results)
        for sub, res in zip(rec["sub_ops"], results):
            if isinstance(res, ZookeeperError):
                sub["rc"] = res.code
                sub["err"] = err_name(res.code)
            else:
                sub["rc"] = 0
                sub["err"] = "OK"
                if sub["op"] in ("create", "create2") and isinstance(res, str):
                    sub["created_path"] = res


def kazoo_client(name, hosts, log, handlers, timeout=10.0):
    from kazoo.client import KazooClient
    logger = logging.getLogger(f"segward.zk.{name}")
    logger.setLevel(BLATHER)
    logger.propagate = False
    handler = KazooWireLog(name, log)
    logger.addHandler(handler)
    zk = KazooClient(hosts=hosts, timeout=timeout, connection_retry={"max_tries": 3},
                     command_retry={"max_tries": 3}, logger=logger)
    handler.client = zk
    handlers.append(handler)
    zk.start(timeout=timeout)
    print(f"[{name}] connected, session 0x{zk.client_id[0]:x}, port {handler.port}", flush=True)
    return zk, handler


def kazoo_auth(zk, handler, scheme, credential):
    """add_auth, with the auth record's err from its outcome (kazoo does not
    log the AUTH reply header)."""
    from kazoo.exceptions import AuthFailedError
    rc = 0
    try:
        zk.add_auth(scheme, credential)
    except AuthFailedError:
        rc = -115
    for rec in reversed(handler.log.records):
        if rec.get("client") == handler.name and rec.get("op") == "auth":
            rec["rc"] = rc
            rec["err"] = err_name(rc)
            rec["replied"] = True
            break
    return rc == 0


def expect_error(what, fn, exc_type):
    try:
        fn()
    except exc_type as e:
        print(f"{what} -> {type(e).__name__} (as intended)", flush=True)
        return
    raise SystemExit(f"{what}: expected {exc_type.__name__}, got success")


def master_info(n, port):
    return json.dumps({
        "id": f"a3f5c2e1-7b9d-4c1e-9f00-00000000000{n}",
        "pid": f"master@192.0.2.{20 + n}:{port}",
        "port": port,
        "ip": 0,
        "hostname": f"master-{n}.mesos.example",
        "version": "1.11.0",
        "address": {"hostname": f"master-{n}.mesos.example",
                    "ip": f"192.0.2.{20 + n}", "port": port},
        "domain": {"fault_domain": {"region": {"name": "r1"}, "zone": {"name": "z1"}}},
    }, sort_keys=True).encode()


def leader_of(zk):
    kids = sorted(c for c in zk.get_children("/mesos") if c.startswith("json.info_"))
    return kids[0] if kids else None


def run_kazoo(hosts, log_path, timeout=10.0):
    from kazoo.exceptions import BadVersionError, NoAuthError, NodeExistsError, NoNodeError, NotEmptyError
    from kazoo.security import make_digest_acl, OPEN_ACL_UNSAFE
    log = SentLog()
    handlers = []
    try:
        m1, _ = kazoo_client("master-1", hosts, log, handlers, timeout)
        m2, _ = kazoo_client("master-2", hosts, log, handlers, timeout)
        for zk in (m1, m2):
            zk.ensure_path("/mesos")
        # Contend: both register; the lowest sequence number leads.
        p1 = m1.create("/mesos/json.info_", master_info(1, 5050), ephemeral=True, sequence=True)
        time.sleep(0.2)
        p2 = m2.create("/mesos/json.info_", master_info(2, 5050), ephemeral=True, sequence=True)
        # Mesos masters also keep a log-replica znode group.
        m1.ensure_path("/mesos/log_replicas")
        m1.create("/mesos/log_replicas/", b"replica@192.0.2.21:5050", ephemeral=True, sequence=True)
        print(f"[masters] registered {p1} {p2}", flush=True)

        agent, _ = kazoo_client("agent", hosts, log, handlers, timeout)
        changed = threading.Event()
        predecessor_gone = threading.Event()
        kids = agent.get_children("/mesos", watch=lambda e: changed.set())
        lead = leader_of(agent)
        data, stat = agent.get("/mesos/" + lead)
        info = json.loads(data)
        print(f"[agent] children={sorted(kids)} leader={lead} pid={info['pid']} "
              f"version={stat.version}", flush=True)
        # Master-2 watches its predecessor as Mesos' contender does.
        m2.exists(p1, watch=lambda e: predecessor_gone.set())

        op, op_log = kazoo_client("operator", hosts, log, handlers, timeout)
        op.ensure_path("/segward")
        tx = op.transaction()
        tx.create("/segward/tx-a", b"alpha")
        tx.create("/segward/tx-b", b"beta")
        tx.check("/segward", 0)
        results = tx.commit()
        print(f"[operator] multi -> {results}", flush=True)
        # A multi that fails on its second op: nothing of it is applied.
        tx = op.transaction()
        tx.create("/segward/tx-c", b"gamma")
        tx.delete("/segward/no-such-node")
        tx.set_data("/segward/tx-a", b"alpha-2")
        results = tx.commit()
        print(f"[operator] failing multi -> {[type(r).__name__ for r in results]}", flush=True)
        if not any(isinstance(r, NoNodeError) for r in results) or op.exists("/segward/tx-c"):
            raise SystemExit("the failing multi did not fail as intended")

        blob = bytes((i * 31 + 7) & 0xFF for i in range(500 * 1024))
        op.create("/segward/blob", b"")
        stat = op.set("/segward/blob", blob)
        print(f"[operator] setData {len(blob)} bytes -> version {stat.version}", flush=True)

        kazoo_auth(op, op_log, "digest", "mesos:s3cret-demo")
        acl = make_digest_acl("mesos", "s3cret-demo", all=True)
        op.create("/segward/secured", b"credentials=demo", acl=[acl])
        expect_error("[agent] get /segward/secured without the digest", lambda: agent.get("/segward/secured"),
                     NoAuthError)
        op.set_acls("/segward/secured", [acl, make_digest_acl("agent", "agent-demo", read=True)])
        acls, _ = op.get_acls("/segward/secured")
        print(f"[operator] ACL now {acls}", flush=True)
        op.set_acls("/segward/secured", OPEN_ACL_UNSAFE)

        # Requests that fail, each with a different error code.
        expect_error("[operator] get /segward/missing", lambda: op.get("/segward/missing"), NoNodeError)
        expect_error("[operator] create /segward again", lambda: op.create("/segward", b""), NodeExistsError)
        expect_error("[operator] set /segward/blob at version 99", lambda: op.set("/segward/blob", b"x", version=99),
                     BadVersionError)
        expect_error("[operator] delete /mesos (has children)", lambda: op.delete("/mesos"), NotEmptyError)
        if op.exists("/segward/missing") is not None:
            raise SystemExit("/segward/missing exists")

        path, _ = op.create("/segward/created2", b"c2", include_data=True)
        kids, _ = op.get_children("/segward", include_data=True)
        op.sync("/segward")
        print(f"[operator] create2 {path}, getChildren2 {sorted(kids)}, sync", flush=True)
        for p in ("/segward/tx-a", "/segward/tx-b", "/segward/blob", "/segward/secured", "/segward/created2"):
            op.delete(p)
        print("[operator] deleted", flush=True)

        # The leader leaves: its session closes, its ephemeral znode goes away.
        m1.stop()
        m1.close()
        if not changed.wait(timeout) or not predecessor_gone.wait(timeout):
            print("[agent/master-2] no watch event after the leader left", file=sys.stderr)
            return 1
        lead2 = leader_of(agent)
        data, _ = agent.get("/mesos/" + lead2)
        print(f"[agent] new leader={lead2} pid={json.loads(data)['pid']}", flush=True)
        if lead2 == lead:
            print("[agent] leader did not change", file=sys.stderr)
            return 1

        for zk in (m2, agent, op):
            zk.stop()
            zk.close()
    finally:
        log.write(log_path)
    problems = [e for h in handlers for e in h.errors]
    problems += [f"{r['client']} xid {r['xid']} {r['op']}: no reply logged"
                 for r in log.records if r["kind"] == "request" and not r.get("replied")]
    problems += [f"{r['client']} xid {r['xid']} {r['op']}: no created path logged"
                 for r in log.records if r.get("op") in ("create", "create2") and r.get("err") == "OK"
                 and "created_path" not in r]
    problems += [f"{r['client']} xid {r['xid']} multi: no sub-results logged"
                 for r in log.records if r.get("op") == "multi" and any("err" not in o for o in r["sub_ops"])]
    for p in problems:
        print("log problem:", p, file=sys.stderr)
    kinds = {}
    for r in log.records:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print(f"[kazoo] {len(log.records)} records {kinds} -> {log_path}", flush=True)
    return 1 if problems else 0


# ------------------------------------------------------------------- cli_mt
# zookeeper.c function in "Sending request xid=..." -> opcode sent.
CLI_FUNCS = {
    "zoo_acreate_ttl": None,  # create/createTTL/createContainer: from the mode cli printed
    "zoo_acreate2_ttl": "create2", "zoo_adelete": "delete", "zoo_awexists": "exists",
    "zoo_awget": "getData", "zoo_aset": "setData", "zoo_aget_acl": "getACL", "zoo_aset_acl": "setACL",
    "zoo_awget_children_": "getChildren", "zoo_awget_children2_": "getChildren2", "zoo_async": "sync",
    "zoo_amulti": "multi", "zoo_awgetconfig": "getData",
}
CLI_EVENTS = {"CREATED_EVENT": "NodeCreated", "DELETED_EVENT": "NodeDeleted",
              "CHANGED_EVENT": "NodeDataChanged", "CHILD_EVENT": "NodeChildrenChanged"}
CLI_TS = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}):\d+\(0x[0-9a-f]+\):ZOO_(\w+)@(\w+)@\d+: (.*)$")


# The start of one of the C client's log lines, wherever it is.
CLI_LOG_START = re.compile(r"([^\n])(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}:\d+\(0x[0-9a-f]+\):ZOO_)")


def parse_cli(text, client="cli_mt"):
    """Records from `cli_mt -d` output (its C client's debug log on stderr)."""
    # stdout and stderr share one file, written by two threads: a log line
    # can land right after a printed line's text, before its newline
    # ("... for path /cli-mt2026-12-04 21:34:18,912:...ZOO_DEBUG@..."). Put
    # every log line back on a line of its own.
    text = CLI_LOG_START.sub(r"\1\n\2", text)
    records = []
    session = None
    by_xid = {}
    last_mode = None
    last_time = None
    current = None  # record whose callback output is being read
    auth = None
    for line in text.splitlines():
        m = CLI_TS.match(line)
        if m:
            day, ms, _level, func, msg = m.groups()
            last_time = datetime.datetime.strptime(day, "%Y-%m-%d %H:%M:%S").timestamp() + int(ms) / 1000
            s = re.match(r"session establishment complete on server \S+, sessionId=(0x[0-9a-f]+)", msg)
            if s:
                session = session_hex(int(s.group(1), 16))
                records.append({"kind": "connect", "client": client, "session": session, "replied": True,
                                "time": last_time})
                continue
            s = re.match(r"Sending request xid=(0x[0-9a-f]+) for path \[(.*)\]", msg)
            if s:
                xid = int(s.group(1), 16)
                if xid >= 2**31:
                    xid -= 2**32
                op = CLI_FUNCS.get(func, func)
                if op is None:
                    op = {5: "createTTL", 6: "createTTL", 4: "createContainer"}.get(last_mode, "create")
                rec = {"kind": "request", "client": client, "session": session, "xid": xid, "op": op,
                       "opcode": OPCODES.get(op), "path": s.group(2), "replied": False, "time": last_time}
                if op in ("create", "create2", "createTTL", "createContainer") and last_mode is not None:
                    rec["mode"] = CREATE_MODES.get(last_mode, str(last_mode))
                    last_mode = None
                records.append(rec)
                by_xid[xid] = rec
                continue
            s = (re.match(r"Calling COMPLETION_\w+ for xid=(0x[0-9a-f]+) failed=\d+,? rc=(-?\d+)", msg) or
                 re.match(r"Processing sync_completion with type=\d+ xid=(0x[0-9a-f]+) rc=(-?\d+)", msg))
            if s:
                xid = int(s.group(1), 16)
                if xid >= 2**31:
                    xid -= 2**32
                rec = by_xid.get(xid)
                if rec is not None:
                    rc = int(s.group(2))
                    rec.update(replied=True, rc=rc, err=err_name(rc))
                    current = rec
                continue
            if msg.startswith("Sending auth info request"):
                auth = {"kind": "request", "client": client, "session": session, "xid": AUTH_XID, "op": "auth",
                        "opcode": OPCODES["auth"], "replied": False, "time": last_time}
                records.append(auth)
                continue
            s = re.match(r"Authentication scheme (\S+) (succeeded|failed)", msg)
            if s and auth is not None:
                rc = 0 if s.group(2) == "succeeded" else -115
                auth.update(replied=True, rc=rc, err=err_name(rc))
                auth = None
                continue
            if msg.startswith("Closing zookeeper sessionId="):
                # zookeeper_close sends closeSession; the C client logs no xid
                # or reply for it.
                records.append({"kind": "request", "client": client, "session": session, "op": "closeSession",
                                "opcode": OPCODES["closeSession"], "time": last_time})
            continue
        s = re.match(r"Creating \[(.*)\] node(?: \(mode: (\d+)\))?", line)
        if s:
            last_mode = int(s.group(2)) if s.group(2) else 0
            continue
        s = re.match(r"Watcher (\w+) state = \w+ for path (.*)$", line)
        if s and s.group(1) in CLI_EVENTS:
            records.append({"kind": "notification", "client": client, "session": session, "path": s.group(2),
                            "event": CLI_EVENTS[s.group(1)], "time": last_time})
            continue
        s = re.match(r"^\tname = (.*)$", line)
        if s and current is not None and current["op"] in ("create", "create2", "createTTL", "createContainer"):
            current["created_path"] = s.group(1)
            current = None
            continue
    # Requests queued before the handshake completed (the C client logs
    # "Sending request" when it queues) belong to the session that follows.
    first = next((r["session"] for r in records if r["kind"] == "connect"), None)
    for r in records:
        if r.get("session") is None:
            r["session"] = first
    return records


def parse_cli_auth_commands(records, commands):
    """cli_mt's addauth line is the only place its credentials appear: add the
    scheme/user to the auth records, in order."""
    auths = [r for r in records if r.get("op") == "auth"]
    adds = [c.split(None, 2)[1:] for c in commands if c.startswith("addauth ")]
    for rec, (scheme, *cred) in zip(auths, adds):
        rec["auth_scheme"] = scheme
        cred = cred[0] if cred else ""
        rec["credentials_sent"] = bool(cred)
        if scheme == "digest" and ":" in cred:
            rec["auth_user"], rec["secret"] = cred.split(":", 1)


def run_cli_log(cli_output, log_path, commands_path=None):
    with open(cli_output, errors="replace") as f:
        records = parse_cli(f.read())
    if commands_path:
        with open(commands_path) as f:
            parse_cli_auth_commands(records, [l.strip() for l in f if l.strip()])
    with open(log_path, "w") as f:
        for i, rec in enumerate(records):
            rec["seq"] = i
            f.write(json.dumps(rec, sort_keys=True) + "\n")
    unreplied = [r for r in records if r["kind"] == "request" and r["op"] != "closeSession" and not r.get("replied")]
    kinds = {}
    for r in records:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print(f"[cli_mt] {len(records)} records {kinds} -> {log_path}", flush=True)
    if not any(r["kind"] == "connect" for r in records) or unreplied:
        print(f"[cli_mt] no session, or {len(unreplied)} requests without a logged reply", file=sys.stderr)
        return 1
    return 0


# -------------------------------------------------------------------- merge
def run_merge(out, inputs):
    recs = []
    for i, path in enumerate(inputs):
        with open(path) as f:
            recs += [(r.get("time", 0), i, r.get("seq", 0), r) for r in map(json.loads, f) if r]
    recs.sort(key=lambda t: t[:3])
    with open(out, "w") as f:
        for n, (_, _, _, r) in enumerate(recs):
            r["seq"] = n
            f.write(json.dumps(r, sort_keys=True) + "\n")
    print(f"merged {len(recs)} records into {out}")
    return 0


# -------------------------------------------------------------------- flood
def run_flood(hosts, count, seconds, window):
    """`count` asynchronous getData calls on one small znode, at most `window`
    outstanding, all within `seconds`."""
    from kazoo.client import KazooClient
    zk = KazooClient(hosts=hosts, timeout=10.0, connection_retry={"max_tries": 3})
    zk.start(timeout=10.0)
    zk.ensure_path("/flood")
    zk.set("/flood", b"leader=master@192.0.2.21:5050")
    deadline = time.monotonic() + seconds
    sent = done = 0
    t0 = time.monotonic()
    outstanding = []
    while sent < count and time.monotonic() < deadline:
        while sent < count and len(outstanding) < window:
            outstanding.append(zk.get_async("/flood"))
            sent += 1
        head = outstanding.pop(0)
        head.get(timeout=max(0.1, deadline - time.monotonic()))
        done += 1
    for a in outstanding:
        a.get(timeout=max(0.1, deadline - time.monotonic()))
        done += 1
    elapsed = time.monotonic() - t0
    zk.delete("/flood")
    zk.stop()
    zk.close()
    print(f"[flood] {done}/{count} getData replies in {elapsed:.2f} s ({done / elapsed:.0f}/s)", flush=True)
    return 0 if done == count else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    k = sub.add_parser("kazoo")
    k.add_argument("hosts")
    k.add_argument("log")
    c = sub.add_parser("cli-log")
    c.add_argument("cli_output")
    c.add_argument("log")
    c.add_argument("--commands", help="the commands cli_mt was given (for addauth credentials)")
    m = sub.add_parser("merge")
    m.add_argument("out")
    m.add_argument("inputs", nargs="+")
    f = sub.add_parser("flood")
    f.add_argument("hosts")
    f.add_argument("--count", type=int, default=20000)
    f.add_argument("--seconds", type=float, default=30.0)
    f.add_argument("--window", type=int, default=200)
    a = ap.parse_args()
    if a.cmd == "kazoo":
        return run_kazoo(a.hosts, a.log)
    if a.cmd == "cli-log":
        return run_cli_log(a.cli_output, a.log, a.commands)
    if a.cmd == "merge":
        return run_merge(a.out, a.inputs)
    return run_flood(a.hosts, a.count, a.seconds, a.window)


if __name__ == "__main__":
    sys.exit(main())
