#!/usr/bin/python3
"""Real kazoo clients in three network namespaces, playing a Mesos master, a
Mesos agent and a rogue host against one ZooKeeper server, for
policy_zk_inline.sh. Run with Debian's /usr/bin/python3 (python3-kazoo).

  policy_zk_clients.py scenario --mode inline|reset|tap --server IP:PORT \
      --master NS --agent NS --rogue NS --report OUT.json --logs DIR
  policy_zk_clients.py actor NAME IP:PORT      (started by `scenario` inside NS)

`scenario` starts one `actor` per namespace (`ip netns exec NS ...`) and
drives it over a pipe: one JSON command per line in, one JSON reply per
line out, every command bounded in time (kazoo's async calls with a
timeout), so a request segward drops costs a bounded wait, never a hang.

The scenario, in order (the policy is policy_zk_inline.sh's: masters may
write under /mesos, agents and the rogue may only read):
  1. master: connect, ensure /mesos, create an EPHEMERAL_SEQUENTIAL
     /mesos/json.info_ node holding MasterInfo JSON, setData on it
  2. agent:  connect, getChildren /mesos (child watch), getData the node,
     exists on it (data watch)
  3. rogue:  connect, getChildren /mesos and getData the node (reads: allowed)
  4. rogue:  create /mesos/json.info_ (EPHEMERAL_SEQUENTIAL): inline (drop or
     reset), the call must fail or time out; tap, it must succeed
  5. master: a second create and a setData on the first node
  6. agent:  both watches fire (NodeChildrenChanged /mesos, NodeDataChanged),
     getChildren and getData of every node: the master's nodes are there with
     the master's data, the rogue's only in tap mode
Every check that fails ends the run with "FAIL: ..." and exit 1; the report
names the clients' TCP ports (each connection's source port, as kazoo's
socket had it) and the paths created, for the EVE checks that follow.
"""
import argparse
import json
import queue
import subprocess
import sys
import threading
import time

ROGUE_MARK = b"rogue-was-here"


# ---------------------------------------------------------------- actor side
def actor(name, hosts):
    import logging
    from kazoo.client import KazooClient
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format=f"%(asctime)s [{name}] %(levelname)s %(name)s: %(message)s")
    zk = None
    events = []
    ports = []

    def watch(ev):
        events.append({"type": ev.type, "path": ev.path, "state": ev.state, "time": time.time()})

    def note_port():
        try:
            port = zk._connection._socket.getsockname()[1]
        except Exception:
            return
        if port not in ports:
            ports.append(port)

    def reply(obj):
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    for line in sys.stdin:
        cmd = json.loads(line)
        op, t = cmd["op"], cmd.get("timeout", 10.0)
        try:
            if op == "connect":
                zk = KazooClient(hosts=hosts, timeout=10.0, connection_retry={"max_tries": 2},
                                 command_retry={"max_tries": 1})
                zk.start(timeout=t)
                note_port()
                result = {"session": f"0x{zk.client_id[0]:x}"}
            elif op == "ensure":
                result = zk.ensure_path(cmd["path"])
            elif op == "create":
                result = zk.create_async(cmd["path"], cmd["data"].encode(), ephemeral=cmd.get("ephemeral", False),
                                         sequence=cmd.get("sequence", False)).get(timeout=t)
            elif op == "set":
                result = zk.set_async(cmd["path"], cmd["data"].encode()).get(timeout=t).version
            elif op == "children":
                w = watch if cmd.get("watch") else None
                result = sorted(zk.get_children_async(cmd["path"], watch=w).get(timeout=t))
            elif op == "get":
                data, stat = zk.get_async(cmd["path"]).get(timeout=t)
                result = {"data": data.decode(errors="replace"), "version": stat.version}
            elif op == "exists":
                w = watch if cmd.get("watch") else None
                stat = zk.exists_async(cmd["path"], watch=w).get(timeout=t)
                result = None if stat is None else {"version": stat.version}
            elif op == "events":
                result = list(events)
            elif op == "close":
                # stop() waits for the connection thread; bound it.
                done = threading.Event()

                def stop():
                    try:
                        zk.stop()
                        zk.close()
                    finally:
                        done.set()
                threading.Thread(target=stop, daemon=True).start()
                result = done.wait(t)
            else:
                raise ValueError(f"unknown op {op}")
            note_port()
            reply({"ok": True, "result": result, "ports": ports})
        except Exception as e:  # the scenario decides whether a failure is expected
            note_port()
            reply({"ok": False, "error": f"{type(e).__name__}: {e}", "ports": ports})
        if op == "close":
            break


# ------------------------------------------------------------- scenario side
class Actor:
    def __init__(self, name, ns, hosts, log_dir):
        self.name = name
        self.err = open(f"{log_dir}/{name}.log", "w")
        self.proc = subprocess.Popen(["ip", "netns", "exec", ns, "/usr/bin/python3", __file__, "actor", name, hosts],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, text=True)
        self.replies = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.ports = []

    def _read(self):
        for line in self.proc.stdout:
            self.replies.put(json.loads(line))
        self.replies.put(None)

    def call(self, op, timeout=10.0, **kw):
        cmd = dict(kw, op=op, timeout=timeout)
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        try:
            r = self.replies.get(timeout=timeout + 15)
        except queue.Empty:
            fail(f"[{self.name}] {op}: the client gave no answer within {timeout + 15:.0f} s")
        if r is None:
            fail(f"[{self.name}] {op}: the client process ended (see its log)")
        self.ports = r.get("ports", self.ports)
        return r

    def ok(self, op, what, **kw):
        r = self.call(op, **kw)
        if not r["ok"]:
            fail(f"[{self.name}] {what}: {r['error']}")
        print(f"[{self.name}] {what} -> {json.dumps(r['result'])[:160]}", flush=True)
        return r["result"]

    def finish(self):
        # Best effort (a client whose connection segward cut may not close
        # cleanly): never a failure of the scenario.
        try:
            self.proc.stdin.write(json.dumps({"op": "close", "timeout": 8.0}) + "\n")
            self.proc.stdin.flush()
            r = self.replies.get(timeout=20)
            if r is not None:
                self.ports = r.get("ports", self.ports)
        except (OSError, queue.Empty):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


ACTORS = []


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr, flush=True)
    for a in ACTORS:
        if a.proc.poll() is None:
            a.proc.kill()
    raise SystemExit(1)


def master_info(ip, n):
    return json.dumps({"id": f"policy-e2e-master-{n}", "pid": f"master@{ip}:5050", "port": 5050,
                       "hostname": "master.mesos.example", "version": "1.11.0",
                       "address": {"hostname": "master.mesos.example", "ip": ip, "port": 5050}}, sort_keys=True)


def scenario(args):
    hosts = args.server
    master = Actor("master", args.master, hosts, args.logs)
    agent = Actor("agent", args.agent, hosts, args.logs)
    rogue = Actor("rogue", args.rogue, hosts, args.logs)
    ACTORS.extend([master, agent, rogue])
    report = {"mode": args.mode}

    # 1. the master registers itself
    master.ok("connect", "connect")
    master.ok("ensure", "ensure /mesos", path="/mesos")
    p1 = master.ok("create", "create /mesos/json.info_ EPHEMERAL_SEQUENTIAL", path="/mesos/json.info_",
                   data=master_info("192.0.2.11", 1), ephemeral=True, sequence=True)
    v = master.ok("set", f"setData {p1}", path=p1, data=master_info("192.0.2.11", 1) + " ")
    if v != 1:
        fail(f"[master] setData {p1}: version {v}, expected 1")

    # 2. the agent finds the leader and watches it
    agent.ok("connect", "connect")
    kids = agent.ok("children", "getChildren /mesos (watch)", path="/mesos", watch=True)
    if p1.rsplit("/", 1)[1] not in kids:
        fail(f"[agent] {p1} not among /mesos's children {kids}")
    got = agent.ok("get", f"getData {p1}", path=p1)
    if json.loads(got["data"])["pid"] != "master@192.0.2.11:5050":
        fail(f"[agent] getData {p1}: unexpected data {got}")
    if agent.ok("exists", f"exists {p1} (watch)", path=p1, watch=True) is None:
        fail(f"[agent] exists {p1}: no such node")

    # 3. the rogue reads, as any agent may
    rogue.ok("connect", "connect")
    if p1.rsplit("/", 1)[1] not in rogue.ok("children", "getChildren /mesos", path="/mesos"):
        fail("[rogue] does not see the master's node")
    rogue.ok("get", f"getData {p1}", path=p1)

    # 4. the rogue tries to join the election
    t0 = time.time()
    r = rogue.call("create", timeout=args.rogue_timeout, path="/mesos/json.info_",
                   data=ROGUE_MARK.decode(), ephemeral=True, sequence=True)
    report["rogue_create"] = {"ok": r["ok"], "result": r.get("result"), "error": r.get("error"),
                              "seconds": round(time.time() - t0, 3), "time": t0}
    if args.mode != "tap":
        if r["ok"]:
            fail(f"[rogue] create /mesos/json.info_ succeeded ({r['result']}): segward should have dropped it")
        print(f"[rogue] create /mesos/json.info_ -> failed after {time.time() - t0:.1f} s as intended "
              f"({r['error']})", flush=True)
    else:
        if not r["ok"]:
            fail(f"[rogue] create /mesos/json.info_ failed in tap mode ({r['error']}): a tap must not drop")
        print(f"[rogue] create /mesos/json.info_ -> {r['result']} (tap: nothing dropped)", flush=True)

    # 5. the master keeps working through segward
    p2 = master.ok("create", "second create /mesos/json.info_", path="/mesos/json.info_",
                   data=master_info("192.0.2.11", 2), ephemeral=True, sequence=True)
    master.ok("set", f"setData {p1} again", path=p1, data=master_info("192.0.2.11", 1) + "  ")

    # 6. and so does the agent: both watches fire, the reads see the master's nodes
    deadline = time.time() + 10
    want = {("CHILD", "/mesos"), ("CHANGED", p1)}  # kazoo's EventType names
    while True:
        seen = {(e["type"], e["path"]) for e in agent.ok("events", "watch events so far")}
        if want <= seen:
            break
        if time.time() > deadline:
            fail(f"[agent] watches did not fire within 10 s: want {sorted(want)}, saw {sorted(seen)}")
        time.sleep(0.5)
    kids = agent.ok("children", "getChildren /mesos", path="/mesos")
    datas = {k: agent.ok("get", f"getData /mesos/{k}", path=f"/mesos/{k}")["data"]
             for k in kids if k.startswith("json.info_")}
    for p in (p1, p2):
        if p.rsplit("/", 1)[1] not in datas:
            fail(f"[agent] the master's {p} is missing from /mesos: {sorted(datas)}")
    rogue_nodes = [k for k, d in datas.items() if d == ROGUE_MARK.decode()]
    if args.mode != "tap" and rogue_nodes:
        fail(f"the rogue's node reached the server: {rogue_nodes}")
    if args.mode == "tap" and len(rogue_nodes) != 1:
        fail(f"tap mode: expected the rogue's node on the server, found {rogue_nodes}")
    print(f"[agent] /mesos holds {sorted(datas)}; rogue's nodes: {rogue_nodes}", flush=True)

    report.update(master_paths=[p1, p2], rogue_nodes=rogue_nodes)
    for a in (master, agent, rogue):
        a.finish()
        report[f"{a.name}_ports"] = a.ports
    with open(args.report, "w") as f:
        json.dump(report, f, indent=1, sort_keys=True)
    print(f"clients: ok ({args.mode}); ports master {report['master_ports']} agent {report['agent_ports']} "
          f"rogue {report['rogue_ports']}", flush=True)
    return 0


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "actor":
        actor(sys.argv[2], sys.argv[3])
        return 0
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["scenario"])
    ap.add_argument("--mode", choices=["inline", "reset", "tap"], required=True)
    ap.add_argument("--server", required=True)
    ap.add_argument("--master", required=True)
    ap.add_argument("--agent", required=True)
    ap.add_argument("--rogue", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--logs", required=True)
    ap.add_argument("--rogue-timeout", type=float, default=8.0)
    return scenario(ap.parse_args())


if __name__ == "__main__":
    sys.exit(main())
