#!/usr/bin/python3
"""ZooKeeper clients for the rule-pack test (tests/e2e/rule_pack.sh): each
scenario is one real client (python3-kazoo 2.8, a four-letter-word socket,
curl on the AdminServer) talking to Debian's ZooKeeper 3.8 server, from its
own source address, so that check.py can tell its flows apart.

  zk_scenarios.py ZK_HOST:PORT ADMIN_HOST:PORT SCENARIO_LOG CAPTURE

Run with /usr/bin/python3 in the client namespace of gen_zookeeper.sh,
which holds every address below. SCENARIO_LOG gets one line per scenario
run (CAPTURE, name, source address); expected.tsv names the same.

Scenarios, in order (addresses 192.0.2.100-.130):
  election-master   .100  a master as Mesos runs one: /mesos, an EPHEMERAL_SEQUENTIAL
                          /mesos/json.info_ with MasterInfo JSON, a child watch (no rule)
  election-agent    .101  an agent: getChildren /mesos with a watch, getData of the leader (no rule)
  operator-srvr     .102  the four-letter words ruok and srvr (no rule)
  setdata-election  .103  rewrites the leader's MasterInfo (setData under /mesos)
  create-election-persistent
                    .104  a PERSISTENT /mesos/json.info_-1 that sorts before every real master
  delete-election   .105  deletes the sitting leader's znode
  setacl-world      .106  setACL /mesos world:anyone ALL
  4lw-wchc .107, 4lw-wchp .108, 4lw-dump .109, 4lw-cons .110, 4lw-envi .111,
  4lw-stmk .112 (with its 8-byte trace mask)
  admin-watches     .113  AdminServer GET /commands/watches (wchc's long name)
  admin-snapshot    .114  AdminServer GET /commands/snapshot (3.9's snapshot; 3.8 answers an error)
  admin-set-trace-mask .115 AdminServer GET /commands/set_trace_mask?traceMask=0
  digest-auth       .116  addauth digest user:password
  getacl            .117  getACL /mesos
  reconfig          .118  reconfig joining a server (the standalone server refuses it)
  big-setdata       .119  a 600 KB create of /segward-blob
  frame-too-large   .120  a 2 MB setData: the server drops the connection (jute.maxbuffer)
  4lw-flood         .121  25 ruok, one connection each, within seconds
(addwatch, .122, is zkCli's: gen_zookeeper.sh runs it.)
"""
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "data"))
sys.path.insert(0, os.path.join(HERE, ".."))
import zk_clients  # noqa: E402  (tests/data/zk_clients.py: master_info, leader_of, SentLog)
from learn_zk_roles_clients import bound_handler, four_letter_word  # noqa: E402

TIMEOUT = 10.0
BASE = "192.0.2."


class Run:
    def __init__(self, hosts, admin, log_path, capture):
        self.hosts = hosts
        host, port = hosts.rsplit(":", 1)
        self.server = (host, int(port))
        self.admin = admin
        self.log_path = log_path
        self.capture = capture
        self.wire_log = zk_clients.SentLog()  # four_letter_word() logs there; unused here
        self.clients = []

    def scenario(self, name, last_octet):
        ip = f"{BASE}{last_octet}"
        with open(self.log_path, "a") as f:
            f.write(f"{self.capture}\t{name}\t{ip}\n")
        print(f"[{name}] from {ip}", flush=True)
        return ip

    def kazoo(self, ip, keep=False):
        from kazoo.client import KazooClient
        zk = KazooClient(hosts=self.hosts, timeout=TIMEOUT, connection_retry={"max_tries": 1},
                         command_retry={"max_tries": 1}, handler=bound_handler(ip))
        zk.start(timeout=TIMEOUT)
        got = zk._connection._socket.getsockname()[0]
        if got != ip:
            raise SystemExit(f"kazoo bound to {got}, not {ip}")
        if keep:
            self.clients.append(zk)
        return zk

    @staticmethod
    def close(zk):
        zk.stop()
        zk.close()

    def word(self, word, ip):
        four_letter_word(word, self.server, ip, self.wire_log, TIMEOUT)

    def admin_get(self, path, ip):
        out = subprocess.run(["curl", "-sS", "--max-time", "5", "--interface", ip,
                              f"http://{self.admin}{path}"], capture_output=True, text=True, timeout=10)
        print(f"  GET {path}: {out.stdout[:80]!r} {out.stderr.strip()}", flush=True)
        if out.returncode != 0:
            raise SystemExit(f"AdminServer {path}: curl exit {out.returncode}")


def main():
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    from kazoo.exceptions import KazooException
    from kazoo.security import OPEN_ACL_UNSAFE
    r = Run(*sys.argv[1:])
    t0 = time.monotonic()
    try:
        ip = r.scenario("election-master", 100)
        master = r.kazoo(ip, keep=True)
        master.ensure_path("/mesos")
        mine = master.create("/mesos/json.info_", zk_clients.master_info(1, 5050), ephemeral=True, sequence=True)
        master.get_children("/mesos", watch=lambda e: None)
        print(f"  created {mine}", flush=True)

        ip = r.scenario("election-agent", 101)
        agent = r.kazoo(ip, keep=True)
        agent.get_children("/mesos", watch=lambda e: None)
        agent.get("/mesos/" + zk_clients.leader_of(agent))

        ip = r.scenario("operator-srvr", 102)
        for w in ("ruok", "srvr"):
            r.word(w, ip)

        ip = r.scenario("setdata-election", 103)
        zk = r.kazoo(ip)
        fake = zk_clients.master_info(1, 5050).replace(b"192.0.2.21", ip.encode())
        zk.set(mine, fake)
        r.close(zk)

        ip = r.scenario("create-election-persistent", 104)
        zk = r.kazoo(ip)
        zk.create("/mesos/json.info_-1", fake)
        r.close(zk)

        ip = r.scenario("delete-election", 105)
        zk = r.kazoo(ip)
        zk.delete(mine)
        r.close(zk)

        ip = r.scenario("setacl-world", 106)
        zk = r.kazoo(ip)
        zk.set_acls("/mesos", OPEN_ACL_UNSAFE)
        r.close(zk)

        for n, w in enumerate(("wchc", "wchp", "dump", "cons", "envi")):
            r.word(w, r.scenario(f"4lw-{w}", 107 + n))
        # stmk takes the new mask as an 8-byte long: "00000000" (0x3030303030303030).
        r.word("stmk" + "0" * 8, r.scenario("4lw-stmk", 112))

        r.admin_get("/commands/watches", r.scenario("admin-watches", 113))
        r.admin_get("/commands/snapshot", r.scenario("admin-snapshot", 114))
        r.admin_get("/commands/set_trace_mask?traceMask=0", r.scenario("admin-set-trace-mask", 115))

        ip = r.scenario("digest-auth", 116)
        zk = r.kazoo(ip)
        zk.add_auth("digest", "mesos:zk-secret-demo")
        r.close(zk)

        ip = r.scenario("getacl", 117)
        zk = r.kazoo(ip)
        acl, _ = zk.get_acls("/mesos")
        print(f"  {acl}", flush=True)
        r.close(zk)

        ip = r.scenario("reconfig", 118)
        zk = r.kazoo(ip)
        try:
            zk.reconfig(joining="server.2=192.0.2.12:2888:3888;2181", leaving=None, new_members=None)
            raise SystemExit("reconfig: the standalone server accepted it")
        except KazooException as e:
            print(f"  reconfig -> {type(e).__name__} (as intended)", flush=True)
        r.close(zk)

        ip = r.scenario("big-setdata", 119)
        zk = r.kazoo(ip)
        zk.create("/segward-blob", b"b" * 600_000)
        r.close(zk)

        # jute.maxbuffer (1 MiB by default): the server closes the connection.
        ip = r.scenario("frame-too-large", 120)
        zk = r.kazoo(ip)
        try:
            zk.set("/segward-blob", b"B" * 2_000_000)
            raise SystemExit("2 MB setData: the server accepted it")
        except KazooException as e:
            print(f"  2 MB setData -> {type(e).__name__} (as intended)", flush=True)
        r.close(zk)

        ip = r.scenario("4lw-flood", 121)
        for _ in range(25):
            r.word("ruok", ip)
    finally:
        for zk in r.clients:
            try:
                r.close(zk)
            except Exception:
                pass
    print(f"[zk scenarios] done in {time.monotonic() - t0:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
