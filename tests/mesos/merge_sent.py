#!/usr/bin/python3
"""Merge per-program sent logs (JSON lines with a "ts") into one file in send
order, numbering the records ("seq", from 1).

  merge_sent.py OUT.jsonl IN.jsonl...
"""
import json
import sys


def main():
    if len(sys.argv) < 3:
        print("usage: merge_sent.py OUT.jsonl IN.jsonl...", file=sys.stderr)
        return 2
    recs = []
    for fi, path in enumerate(sys.argv[2:]):
        with open(path) as f:
            for li, line in enumerate(f):
                line = line.strip()
                if not line:
                    continue
                rec = json.loads(line)
                recs.append((float(rec["ts"]), fi, li, rec))
    recs.sort(key=lambda r: r[:3])
    with open(sys.argv[1], "w") as out:
        for seq, (_, _, _, rec) in enumerate(recs, 1):
            out.write(json.dumps({"seq": seq, **rec}) + "\n")
    print(f"merged {len(recs)} records into {sys.argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
