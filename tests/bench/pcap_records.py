#!/usr/bin/env python3
# pcap_records.py FILE: the number of records in a classic pcap file, either
# byte order (bench.sh, steady-ir.sh: mbufs = records + 16,384).
import struct
import sys

d = open(sys.argv[1], "rb").read()
magic = d[:4]
if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
    e = "<"
elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
    e = ">"
else:
    sys.exit(f"{sys.argv[1]}: not a classic pcap file")
off, n = 24, 0
while off + 16 <= len(d):
    off += 16 + struct.unpack_from(e + "I", d, off + 8)[0]
    n += 1
print(n)
