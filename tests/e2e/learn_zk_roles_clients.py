#!/usr/bin/python3
"""The ZooKeeper clients of a small Mesos cluster, each from its own source
address, for the learn-mode captures (tests/data/make-zk-roles-capture.sh).

  learn_zk_roles_clients.py HOST:PORT LOG.jsonl [--rogue]

Run with Debian's /usr/bin/python3 (python3-kazoo 2.8) in a namespace that
holds every address below. The roles, one host each:

  master-1 192.0.2.21, master-2 192.0.2.22
      contend for leadership with EPHEMERAL_SEQUENTIAL /mesos/json.info_
      znodes holding MasterInfo JSON; master-2 watches its predecessor
  agent-1 192.0.2.31, agent-2 192.0.2.32
      list /mesos with a child watch, read the leader's znode
  operator 192.0.2.41
      the four-letter words ruok and srvr, one TCP connection each
  rogue 192.0.2.66 (only with --rogue)
      joins the election with its own /mesos/json.info_ znode and rewrites
      the leader's MasterInfo (setData)

Then master-1 (the leader) leaves, the watches fire and the agents read the
new leader. The log is the clients' own account, in zk_clients.py's records
(kazoo through zk_clients.KazooWireLog; four-letter words as
make-zk-capture.sh logs them), every record with the client's `src_ip`.
Every wait is bounded by the kazoo timeout.
"""
import argparse
import json
import logging
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data"))
import zk_clients  # noqa: E402  (tests/data/zk_clients.py: SentLog, KazooWireLog, master_info)

HOSTS = {
    "master-1": "192.0.2.21",
    "master-2": "192.0.2.22",
    "agent-1": "192.0.2.31",
    "agent-2": "192.0.2.32",
    "operator": "192.0.2.41",
    "rogue": "192.0.2.66",
}


class SourceBoundSocket:
    """The socket module, with create_connection bound to one source address
    (kazoo 2.8 has no connection_func; its handler takes a socket module)."""

    def __init__(self, source_ip):
        self.source_ip = source_ip

    def __getattr__(self, name):
        return getattr(socket, name)

    def create_connection(self, address, timeout=None, source_address=None):
        return socket.create_connection(address, timeout, source_address=(self.source_ip, 0))


def bound_handler(source_ip):
    from kazoo.handlers import utils
    from kazoo.handlers.threading import SequentialThreadingHandler

    class Handler(SequentialThreadingHandler):
        def create_connection(self, *args, **kwargs):
            return utils.create_tcp_connection(SourceBoundSocket(source_ip), *args, **kwargs)

    return Handler()


def client(name, hosts, log, handlers, timeout):
    """zk_clients.kazoo_client, from the role's own address."""
    from kazoo.client import KazooClient
    logger = logging.getLogger(f"segward.zk.{name}")
    logger.setLevel(zk_clients.BLATHER)
    logger.propagate = False
    handler = zk_clients.KazooWireLog(name, log)
    logger.addHandler(handler)
    zk = KazooClient(hosts=hosts, timeout=timeout, connection_retry={"max_tries": 3},
                     command_retry={"max_tries": 3}, logger=logger, handler=bound_handler(HOSTS[name]))
    handler.client = zk
    handlers.append(handler)
    zk.start(timeout=timeout)
    sock = zk._connection._socket
    print(f"[{name}] connected from {sock.getsockname()[0]}:{sock.getsockname()[1]}, "
          f"session 0x{zk.client_id[0]:x}", flush=True)
    if sock.getsockname()[0] != HOSTS[name]:
        raise SystemExit(f"{name}: bound to {sock.getsockname()[0]}, not {HOSTS[name]}")
    return zk


def four_letter_word(word, server, source_ip, log, timeout):
    """One connection, one word, the whole answer (the server closes)."""
    t0 = time.time()
    got = b""
    with socket.create_connection(server, timeout, source_address=(source_ip, 0)) as s:
        port = s.getsockname()[1]
        s.sendall(word.encode())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
    log.add({"kind": "four_letter_word", "client": "operator", "client_port": port, "four_letter_word": word,
             "response_bytes": len(got), "time": round(t0, 6)})
    print(f"[operator] {word} from {source_ip}:{port}: {got.splitlines()[0].decode(errors='replace') if got else ''}",
          flush=True)
    if not got:
        raise SystemExit(f"{word}: no answer")


def run(hosts, log_path, rogue, timeout=10.0):
    host, port = hosts.rsplit(":", 1)
    log = zk_clients.SentLog()
    handlers = []
    clients = []
    try:
        m1 = client("master-1", hosts, log, handlers, timeout)
        m2 = client("master-2", hosts, log, handlers, timeout)
        clients += [m1, m2]
        for zk in (m1, m2):
            zk.ensure_path("/mesos")
        p1 = m1.create("/mesos/json.info_", zk_clients.master_info(1, 5050), ephemeral=True, sequence=True)
        time.sleep(0.2)
        p2 = m2.create("/mesos/json.info_", zk_clients.master_info(2, 5050), ephemeral=True, sequence=True)
        predecessor_gone = threading.Event()
        m2.exists(p1, watch=lambda e: predecessor_gone.set())
        print(f"[masters] registered {p1} {p2}", flush=True)

        changed = {}
        for name in ("agent-1", "agent-2"):
            agent = client(name, hosts, log, handlers, timeout)
            clients.append(agent)
            changed[name] = threading.Event()
            kids = agent.get_children("/mesos", watch=lambda e, n=name: changed[n].set())
            lead = zk_clients.leader_of(agent)
            data, stat = agent.get("/mesos/" + lead)
            print(f"[{name}] children={sorted(kids)} leader={lead} pid={json.loads(data)['pid']}", flush=True)

        for word in ("ruok", "srvr"):
            four_letter_word(word, (host, int(port)), HOSTS["operator"], log, timeout)

        if rogue:
            r = client("rogue", hosts, log, handlers, timeout)
            clients.append(r)
            kids = r.get_children("/mesos")
            fake = json.loads(zk_clients.master_info(1, 5050))
            fake["pid"] = f"master@{HOSTS['rogue']}:5050"
            fake["address"]["ip"] = HOSTS["rogue"]
            body = json.dumps(fake, sort_keys=True).encode()
            mine = r.create("/mesos/json.info_", body, ephemeral=True, sequence=True)
            stat = r.set("/mesos/" + zk_clients.leader_of(r), body)
            print(f"[rogue] saw {sorted(kids)}, created {mine}, rewrote the leader (version {stat.version})",
                  flush=True)
            r.stop()
            r.close()
            clients.remove(r)

        # The leader leaves: its ephemeral znode goes, the watches fire.
        m1.stop()
        m1.close()
        clients.remove(m1)
        if not predecessor_gone.wait(timeout) or not all(e.wait(timeout) for e in changed.values()):
            print("[agents/master-2] no watch event after the leader left", file=sys.stderr)
            return 1
        for name, agent in zip(("agent-1", "agent-2"), clients[1:3]):
            lead = zk_clients.leader_of(agent)
            data, _ = agent.get("/mesos/" + lead)
            print(f"[{name}] new leader={lead} pid={json.loads(data)['pid']}", flush=True)
        for zk in clients:
            zk.stop()
            zk.close()
        clients = []
    finally:
        for zk in clients:
            try:
                zk.stop()
                zk.close()
            except Exception:
                pass
        for rec in log.records:
            rec["src_ip"] = HOSTS[rec["client"]]
        log.write(log_path)
    problems = [e for h in handlers for e in h.errors]
    problems += [f"{r['client']} xid {r['xid']} {r['op']}: no reply logged"
                 for r in log.records if r["kind"] == "request" and not r.get("replied")]
    for p in problems:
        print("log problem:", p, file=sys.stderr)
    print(f"[clients] {len(log.records)} records -> {log_path}", flush=True)
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("hosts")
    ap.add_argument("log")
    ap.add_argument("--rogue", action="store_true", help="add the rogue writer")
    a = ap.parse_args()
    return run(a.hosts, a.log, a.rogue)


if __name__ == "__main__":
    sys.exit(main())
