#!/usr/bin/env python3
# callgrind_functions.py OUT REGEX...  (bench.sh, steady-ir.sh)
#
# Inclusive Ir and calls of functions in one callgrind out file (all threads
# in one file, or one thread's file with --separate-threads=yes), from its cost and call lines, for each REGEX
# (matched against the demangled name): "IR CALLS NAMES" per line, NAMES
# `|`-joined ("-": none). Calls between two matching functions are not
# counted twice, a function's calls to itself are left out; a REGEX must not
# match a function and one it calls through others (that would count twice).
import re, sys
path, pats = sys.argv[1], [re.compile(p) for p in sys.argv[2:]]
names, self_ir, call_ir, calls_in = {}, {}, {}, {}
fn = cfn = None
after_calls, ir_col = False, 1
def name_of(v):
    m = re.match(r"\((\d+)\)(?: (.*))?$", v)
    if not m:
        return v
    if m.group(2) is not None:
        names[m.group(1)] = m.group(2)
    return names[m.group(1)]
for line in open(path, errors="replace"):
    line = line.rstrip("\n")
    if not line:
        continue
    c = line[0]
    if c.isdigit() or c in "+-*":
        parts = line.split()
        ir = int(parts[ir_col]) if len(parts) > ir_col else 0
        if after_calls:
            if cfn != fn:
                call_ir.setdefault(fn, []).append((cfn, ir))
            after_calls = False
        else:
            self_ir[fn] = self_ir.get(fn, 0) + ir
    elif line.startswith("positions:"):
        ir_col = len(line.split()) - 1
    elif line.startswith("fn="):
        fn = name_of(line[3:])
    elif line.startswith("cfn="):
        cfn = name_of(line[4:])
    elif line.startswith("calls="):
        calls_in[cfn] = calls_in.get(cfn, 0) + int(line[6:].split()[0])
        after_calls = True
for p in pats:
    match = sorted({n for n in set(self_ir) | set(calls_in) if n and p.search(n)})
    inc = sum(self_ir.get(n, 0) for n in match)
    inc += sum(ir for n in match for callee, ir in call_ir.get(n, []) if callee not in match)
    print(inc, sum(calls_in.get(n, 0) for n in match), "|".join(match) or "-")
