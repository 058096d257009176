#!/usr/bin/python3
"""JA4 (FoxIO's TLS client fingerprint, TLS over TCP) from a ClientHello's
decoded fields: an implementation independent of segward's, for the test
expectations (tests/e2e/tls_expected.py).

  ja4.py --self-test      check it on FoxIO's published examples

Spec: FoxIO-LLC/ja4, technical_details/JA4.md. GREASE values are ignored
everywhere; counts are capped at 99; the version is the highest
supported_versions value if that extension is present, else the
ClientHello's legacy version; the SNI (0x0000) and ALPN (0x0010) extensions
count in the extension count but are left out of the extension hash; the
signature algorithms follow the sorted extensions after "_" in their wire
order (no "_" when there are none); an empty cipher or extension list hashes
to "000000000000".
"""
import hashlib
import sys

VERSIONS = {0x0304: "13", 0x0303: "12", 0x0302: "11", 0x0301: "10", 0x0300: "s3", 0x0002: "s2",
            0xfeff: "d1", 0xfefd: "d2", 0xfefc: "d3"}


def is_grease(v):
    return (v & 0x0F0F) == 0x0A0A and (v >> 8) == (v & 0xFF)


def _alnum(b):
    return 0x30 <= b <= 0x39 or 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A


def alpn_chars(first_alpn):
    """The two ALPN characters of JA4_a from the first ALPN value (bytes)."""
    if not first_alpn:
        return "00"
    if _alnum(first_alpn[0]) and _alnum(first_alpn[-1]):
        return chr(first_alpn[0]) + chr(first_alpn[-1])
    h = first_alpn.hex()
    return h[0] + h[-1]


def _hash12(s):
    return hashlib.sha256(s.encode()).hexdigest()[:12]


def ja4(ciphers, extensions, sig_algs, alpn_first, supported_versions, legacy_version, has_sni,
        proto="t", raw=False, original=False):
    """ciphers, extensions, sig_algs, supported_versions: ints in wire order;
    alpn_first: the first ALPN protocol name (bytes or str) or None."""
    ciphers = [c for c in ciphers if not is_grease(c)]
    exts = [e for e in extensions if not is_grease(e)]
    sigs = [s for s in sig_algs if not is_grease(s)]
    vers = [v for v in supported_versions if not is_grease(v)]
    version = VERSIONS.get(max(vers) if vers else legacy_version, "00")
    if isinstance(alpn_first, str):
        alpn_first = alpn_first.encode()
    a = (f"{proto}{version}{'d' if has_sni else 'i'}{min(len(ciphers), 99):02d}{min(len(exts), 99):02d}"
         f"{alpn_chars(alpn_first)}")
    if original:
        cipher_list = ",".join(f"{c:04x}" for c in ciphers)
        ext_list = ",".join(f"{e:04x}" for e in exts)
    else:
        cipher_list = ",".join(sorted(f"{c:04x}" for c in ciphers))
        ext_list = ",".join(sorted(f"{e:04x}" for e in exts if e not in (0x0000, 0x0010)))
    ext_part = ext_list + ("_" + ",".join(f"{s:04x}" for s in sigs) if sigs else "")
    if raw:
        return f"{a}_{cipher_list}_{ext_part}"
    b = _hash12(cipher_list) if ciphers else "000000000000"
    c = _hash12(ext_part) if ext_list else "000000000000"
    return f"{a}_{b}_{c}"


def _from_ro(ro):
    """Parse a JA4_ro string (original order, GREASE already removed)."""
    a, cs, es, *rest = ro.split("_")
    ciphers = [int(x, 16) for x in cs.split(",") if x]
    exts = [int(x, 16) for x in es.split(",") if x]
    sigs = [int(x, 16) for x in rest[0].split(",")] if rest and rest[0] else []
    return a, ciphers, exts, sigs


def self_test():
    ok = True

    def check(what, got, want):
        nonlocal ok
        good = got == want
        ok &= good
        print(f"ja4 self-test {'ok  ' if good else 'FAIL'} {what}: {got}" + ("" if good else f" (want {want})"))

    # FoxIO JA4.md "Raw Output": JA4_ro of the example ClientHello.
    ro = ("t13d1516h2_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035_001b,0000,0033,"
          "0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015_0403,0804,0401,0503,0805,0501,0806,0601")
    _, ciphers, exts, sigs = _from_ro(ro)
    # A GREASE cipher and extension must change nothing.
    args = ([0x0a0a] + ciphers, [0x1a1a] + exts, sigs, b"h2", [0x2a2a, 0x0304, 0x0303], 0x0303, True)
    check("FoxIO example JA4", ja4(*args), "t13d1516h2_8daaf6152771_e5627efa2ab1")
    check("FoxIO example JA4_r", ja4(*args, raw=True),
          "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,"
          "000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601")
    check("FoxIO example JA4_o", ja4(*args, original=True), "t13d1516h2_acb858a92679_18f69afefd3d")
    check("FoxIO example JA4_ro", ja4(*args, raw=True, original=True), ro)
    check("FoxIO extension hash without signature algorithms", ja4(*args[:2], [], *args[3:]).split("_")[2],
          "6d807ffa2a79")
    # FoxIO JA4.md ALPN examples.
    for raw_alpn, want in ((b"h2", "h2"), (b"http/1.1", "h1"), (b"\xab", "ab"), (b"\xab\xcd", "ad"),
                           (b"\x30\xab", "3b"), (b"\x30\x31\xab\xcd", "3d"), (b"\x30\xab\xcd\x31", "01"),
                           (b"", "00"), (None, "00"), (b"x", "xx")):
        check(f"ALPN {raw_alpn!r}", alpn_chars(raw_alpn), want)
    check("no SNI, TLS 1.2 legacy version, no ALPN", ja4([0x002f], [0x000d], [0x0401], None, [], 0x0303, False)[:10],
          "t12i010100")
    check("no ciphers, no extensions", ja4([], [], [], None, [], 0x0303, False), "t12i000000_000000000000_000000000000")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        sys.exit(self_test())
    sys.exit(__doc__)
