#!/usr/bin/python3
"""Hold the built-in rule pack to its proofs: run `segward rules test --json`
on each capture and check what fired against expected.tsv.

  check.py --segward BIN --rules FILE... --manifest expected.tsv --scenarios LOG
           --attack CAPTURE... --benign CAPTURE...
  check.py --segward BIN --rules FILE... --benign CAPTURE...      (benign captures only)

Fails (exit 1) when a rule of the pack has no manifest row, a manifest row
names a rule the pack lacks or a scenario the generators did not run from
that address (LOG: capture, scenario, src_ip per line), a row's rule did not
fire on a flow of its capture from its src_ip, anything fired on a `none`
row's flows or on a benign capture, or the tool broke its contract (exit
code, one JSON object per alert, a final summary whose counts match the
alerts). Prints a table of every row: rule, threat, capture, scenario,
address, alerts on that address, verdict; then what fired besides.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys


def load_rules(segward, paths):
    """id -> msg, threat, file of every rule. The pack's layout (`  - id: N`
    opening each rule, `msg:` and `threat:` in it) is read line by line, so
    no YAML module is needed; `segward rules check` must count as many."""
    rules = {}
    for path in paths:
        current = None
        with open(path) as f:
            for line in f:
                m = re.match(r"^  - id: *([0-9]+) *$", line)
                if m:
                    current = int(m.group(1))
                    if current in rules:
                        raise SystemExit(f"{path}: rule {current} also in {rules[current]['file']}")
                    rules[current] = {"msg": "?", "threat": "?", "file": os.path.basename(path)}
                    continue
                m = re.match(r"^    (msg|threat): *(.*?) *$", line)
                if m and current is not None:
                    value = m.group(2)
                    if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
                        value = value[1:-1]
                    rules[current][m.group(1)] = value
    p = subprocess.run([segward, "rules", "check", *paths], capture_output=True, text=True, timeout=60)
    m = re.search(r"^([0-9]+) rules?,", p.stdout, re.M)
    if p.returncode != 0 or not m:
        raise SystemExit(f"`segward rules check` refused the pack (exit {p.returncode}):\n{p.stdout}{p.stderr}")
    if int(m.group(1)) != len(rules):
        raise SystemExit(f"`segward rules check` counts {m.group(1)} rules, this script read {len(rules)}")
    return rules


def rules_test(segward, rule_files, capture, problems):
    """Alerts and summary of one capture; contract breaches go to problems."""
    cmd = [segward, "rules", "test"]
    for f in rule_files:
        cmd += ["--rules", f]
    cmd += ["--json", capture]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    name = os.path.basename(capture)
    if p.returncode != 0:
        problems.append(f"{name}: `rules test` exited {p.returncode}: {p.stderr.strip()[-2000:]}")
        return [], []
    alerts, summary = [], None
    for n, line in enumerate(p.stdout.splitlines(), 1):
        try:
            obj = json.loads(line)
        except ValueError:
            problems.append(f"{name}: stdout line {n} is not JSON: {line[:200]}")
            continue
        if summary is not None:
            problems.append(f"{name}: stdout line {n} comes after the summary")
        if "summary" in obj:
            summary = obj["summary"]
            continue
        missing = {"rule", "flow_id", "src_ip", "src_port", "dest_ip", "dest_port", "app_proto"} - obj.keys()
        if missing:
            problems.append(f"{name}: alert line {n} lacks {sorted(missing)}")
            continue
        alerts.append(obj)
    if summary is None:
        problems.append(f"{name}: no summary line")
        return alerts, []
    per_rule = collections.Counter(a["rule"] for a in alerts)
    flows = collections.defaultdict(set)
    for a in alerts:
        flows[a["rule"]].add(a["flow_id"])
    for s in summary:
        if s.get("fired", 0) != per_rule.get(s.get("rule"), 0) or s.get("flows", 0) != len(flows.get(s.get("rule"), ())):
            problems.append(f"{name}: summary {s} disagrees with the alert lines "
                            f"({per_rule.get(s.get('rule'), 0)} alerts on {len(flows.get(s.get('rule'), ()))} flows)")
    listed = {s.get("rule") for s in summary if s.get("fired", 0) > 0}
    for rule in per_rule.keys() - listed:
        problems.append(f"{name}: rule {rule} has alert lines but no summary entry")
    return alerts, summary


def read_tsv(path, width):
    rows = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != width:
                raise SystemExit(f"{path}:{n}: {len(cols)} columns, want {width}: {line!r}")
            rows.append((n, cols))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--segward", required=True)
    ap.add_argument("--rules", nargs="+", required=True)
    ap.add_argument("--manifest")
    ap.add_argument("--scenarios")
    ap.add_argument("--attack", nargs="*", default=[])
    ap.add_argument("--benign", nargs="*", default=[])
    a = ap.parse_args()
    if bool(a.manifest) != bool(a.attack) or bool(a.manifest) != bool(a.scenarios):
        ap.error("--manifest, --scenarios and --attack go together")
    rules = load_rules(a.segward, a.rules)
    problems = []
    passed = failed = 0

    # Benign captures: nothing may fire.
    benign_lines = []
    for cap in a.benign:
        alerts, summary = rules_test(a.segward, a.rules, cap, problems)
        fired = sorted({x["rule"] for x in alerts} | {s["rule"] for s in summary if s.get("fired", 0) > 0})
        ok = not fired
        passed, failed = passed + ok, failed + (not ok)
        benign_lines.append(f"  {'ok  ' if ok else 'FAIL'}  {os.path.basename(cap):28} "
                            f"{'nothing fired (summary empty)' if ok else 'fired: ' + ', '.join(map(str, fired))}")
        for x in alerts:
            problems.append(f"benign {os.path.basename(cap)}: rule {x['rule']} ({rules.get(x['rule'], {}).get('msg')}) "
                            f"fired on {x['src_ip']}:{x['src_port']} -> {x['dest_ip']}:{x['dest_port']}")

    table, extra = [], []
    if a.manifest:
        rows = read_tsv(a.manifest, 4)
        ran = {tuple(c) for _, c in read_tsv(a.scenarios, 3)}
        alerts_of = {}
        for cap in a.attack:
            alerts_of[os.path.basename(cap)] = rules_test(a.segward, a.rules, cap, problems)[0]
        covered, claimed = set(), set()
        for n, (rule, cap, scenario, src) in rows:
            where = f"{os.path.basename(a.manifest)}:{n}"
            if rule != "none":
                try:
                    rule = int(rule)
                except ValueError:
                    raise SystemExit(f"{where}: rule {rule!r} is neither a number nor `none`")
                if rule not in rules:
                    problems.append(f"{where}: rule {rule} is not in the pack")
                covered.add(rule)
            if cap not in alerts_of:
                problems.append(f"{where}: capture {cap} is not among the attack captures")
                continue
            if (cap, scenario, src) not in ran:
                problems.append(f"{where}: no scenario {scenario} from {src} was generated in {cap}")
            on_src = [x for x in alerts_of[cap] if x["src_ip"] == src]
            claimed.update((cap, x["rule"], src) for x in on_src if rule == "none" or x["rule"] == rule)
            if rule == "none":
                hits = sorted({x["rule"] for x in on_src})
                ok = not hits
                seen = "none" if ok else ",".join(map(str, hits))
                label, threat = "none", "-"
            else:
                hits = [x for x in on_src if x["rule"] == rule]
                ok = bool(hits)
                seen = str(len(hits))
                label, threat = str(rule), rules.get(rule, {}).get("threat", "?")
            passed, failed = passed + ok, failed + (not ok)
            table.append((label, threat, cap, scenario, src, seen, "ok" if ok else "FAIL"))
            if not ok:
                problems.append(f"{where}: " + (f"rules {seen} fired on {scenario} ({src}), which must stay quiet"
                                                if rule == "none" else
                                                f"rule {rule} ({rules.get(rule, {}).get('msg')}) did not fire on "
                                                f"{scenario} ({cap}, flows from {src})"))
        for rule in sorted(rules.keys() - covered):
            problems.append(f"rule {rule} ({rules[rule]['file']}: {rules[rule]['msg']}) has no row in {a.manifest}")
            failed += 1
            table.append((str(rule), rules[rule]["threat"], "-", "(no manifest row)", "-", "-", "FAIL"))
        for cap, alerts in alerts_of.items():
            seen = collections.Counter((x["rule"], x["src_ip"]) for x in alerts)
            for (rule, src), count in sorted(seen.items()):
                if (cap, rule, src) not in claimed:
                    extra.append(f"  {rule:<7} {cap:15} {src:15} x{count}  {rules.get(rule, {}).get('msg', '?')}")

    if table:
        head = ("rule", "threat", "capture", "scenario", "src_ip", "fired", "result")
        widths = [max(len(str(r[i])) for r in table + [head]) for i in range(len(head))]
        fmt = "  ".join(f"{{:{w}}}" for w in widths)
        print(fmt.format(*head))
        for r in table:
            print(fmt.format(*r))
    if benign_lines:
        print("benign captures:")
        print("\n".join(benign_lines))
    if extra:
        print("also fired (on a scenario that proves another rule; not a failure):")
        print("\n".join(extra))
    for p in problems:
        print("FAIL:", p, file=sys.stderr)
    if a.manifest:
        print(f"rule pack: {len(rules)} rules, {len({r for r, *_ in table if r != 'none'})} with proofs")
    print(f"rule_pack: {passed} passed, {failed} failed")
    return 1 if problems or failed else 0


if __name__ == "__main__":
    sys.exit(main())
