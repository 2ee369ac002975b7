#!/usr/bin/env python3
"""Reference implementation of signature/SPEC.md v1, written from the spec only.

Usage: python3 spec_reference.py golden.input | cmp - golden.golden
(Python 3.8+, standard library only; not run by CI.)
"""
import sys

SPACE = set(b" \t\n\x0b\x0c\r")
DELIM = set(b"()[]{}<>,;=\"'|@#!?*`")
STOP = set(b",;()[]{}<>\"'|")
OPEN = set(b"([{<\"'")
DIGIT = set(b"0123456789")
LETTER = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
HEXL = set(b"ABCDEFabcdef")
HEXD = DIGIT | HEXL
CLOSERS = set(b")]}>,;\"'")
WEEK = {b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"}
MON = {b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"}
TLD = set(b"com net org edu gov mil int info biz local lan internal localdomain arpa io".split())
EXT = set(b"py js rb go cc sh pl md so gz xz ko cs ts rs db pm hh el mk in am ac ps ai gs".split())
W = b"<*>"
MAX = 16384


def has_digit(s):
    return any(c in DIGIT for c in s)


def all_digits(s):
    return len(s) > 0 and all(c in DIGIT for c in s)


def strip_closers(t):
    n = len(t)
    while n > 0 and t[n - 1] in CLOSERS:
        n -= 1
    return t[:n], t[n:]


def is_clock(s):
    if len(s) < 8 or s[2:3] != b":" or s[5:6] != b":":
        return False
    if not (all_digits(s[0:2]) and all_digits(s[3:5]) and all_digits(s[6:8])):
        return False
    if len(s) == 8:
        return True
    return s[8:9] in (b".", b",") and all_digits(s[9:])


def is_zone(s):
    return 2 <= len(s) <= 5 and all(0x41 <= c <= 0x5A for c in s)


def date(msg, i):
    """Returns (end, closers) or None; i is the start of the current token."""
    p = i

    def tok():
        nonlocal p
        while p < len(msg) and msg[p] in SPACE:
            p += 1
        q = p
        while q < len(msg) and msg[q] not in SPACE:
            q += 1
        t = msg[p:q]
        p = q
        return t

    t = tok()
    if t in WEEK:
        t = tok()
    if t not in MON:
        return None
    d = tok()
    if not (1 <= len(d) <= 2 and all_digits(d)):
        return None
    clock, cl = strip_closers(tok())
    if not is_clock(clock):
        return None
    end = p
    if cl:
        return end, cl
    t = tok()
    if is_zone(t):
        end = p
        t = tok()
    y, yc = strip_closers(t)
    if len(y) == 4 and all_digits(y):
        return p, yc
    return end, b""


def is_path(s):
    if len(s) >= 2 and s[0:1] in (b"/", b"\\"):
        pass
    elif len(s) >= 3 and s[:2] in (b"./", b"~/"):
        pass
    elif len(s) >= 4 and s[:3] == b"../":
        pass
    else:
        return False
    return any(c in LETTER or c in DIGIT for c in s)


def is_drive(s):
    return len(s) >= 4 and s[0] in LETTER and s[1:2] == b":" and s[2:3] in (b"\\", b"/")


def is_url(s):
    i = 0
    while i < len(s) and (s[i] in LETTER or (i > 0 and (s[i] in DIGIT or s[i] in b"+.-"))):
        i += 1
    return i >= 2 and s[i:i + 3] == b"://" and len(s) > i + 3


def is_proto(core):
    n = len(core)
    return (n >= 6 and core[n - 4] == 0x2F and core[n - 3] in DIGIT and core[n - 2] == 0x2E
            and core[n - 1] in DIGIT and all(0x41 <= c <= 0x5A for c in core[:n - 4]))


def is_colonhex(s):
    if not all(c == 0x3A or c in HEXD for c in s):
        return False
    if any(len(r) > 4 for r in s.split(b":")):
        return False
    return s.count(b":") >= 3 and has_digit(s) and any(has_digit(g) and not is_const(g) for g in s.split(b":"))


def is_host(core):
    labels = core.split(b".")
    if len(labels) < 2:
        return False
    for l in labels:
        if not l or not all(c in LETTER or c in DIGIT or c == 0x2D for c in l):
            return False
    last = labels[-1]
    if last in TLD:
        return True
    return len(labels) >= 3 and len(last) == 2 and all(0x61 <= c <= 0x7A for c in last) and last not in EXT


def is_longhex(core):
    return len(core) >= 8 and all(c in HEXL for c in core)


def is_const(p):
    if not has_digit(p):
        return True
    if len(p) == 2 and 0x41 <= p[0] <= 0x5A and p[1] in DIGIT:
        return True
    n = len(p)
    d = n
    while d > 0 and p[d - 1] in DIGIT:
        d -= 1
    if d == n or n - d > 2:
        return False
    q = p[:d]
    return len(q) >= 2 and q[-1] in LETTER and not has_digit(q) and sum(c in LETTER for c in q) >= 2


def classify(P):
    if not P:
        return b"", False, b""
    if is_path(P):
        return b"", True, b""
    n = len(P)
    while n > 0 and P[n - 1] == 0x2E:
        n -= 1
    core, trail = P[:n], P[n:]
    if not core:
        return P, False, b""
    if not has_digit(core):
        if is_host(core) or is_longhex(core):
            return b"", True, trail
        return P, False, b""
    if is_proto(core):
        return P, False, b""
    i = 0
    while True:
        j = i
        while j < len(core) and core[j] not in b"./":
            j += 1
        if not is_const(core[i:j]):
            pre = core[:i].rstrip(b".")
            if len(pre) < i and (is_host(pre) or (not has_digit(pre) and is_longhex(pre))):
                return b"", True, trail
            return core[:i], True, trail
        if j == len(core):
            if is_host(core):
                return b"", True, trail
            return P, False, b""
        i = j + 1


def wild_path(S):
    n = len(S)
    k = 0
    while n > 0 and S[n - 1] == 0x3A:
        n -= 1
        k += 1
    return W + b":" * k


def segment(S):
    if is_path(S) or is_drive(S) or is_url(S):
        return wild_path(S)
    if is_colonhex(S):
        return W
    out = b""
    prev = False
    for i, P in enumerate(S.split(b":")):
        pre, m, suf = classify(P)
        if m and pre == b"" and prev:
            out += suf
        else:
            if i > 0:
                out += b":"
            out += pre + (W if m else b"") + suf
        prev = m and suf == b""
    return out


def is_key(S):
    return (S[0] in LETTER or S[0] == 0x5F) and all(c in LETTER or c in DIGIT or c in b"_.-" for c in S)


def token(tok):
    out = b""
    pos = 0
    while pos < len(tok):
        if tok[pos] in DELIM:
            out += tok[pos:pos + 1]
            pos += 1
            continue
        end = pos
        while end < len(tok) and tok[end] not in DELIM:
            end += 1
        S = tok[pos:end]
        if end < len(tok) and (is_path(S) or is_drive(S) or is_url(S)):
            e = end
            while e < len(tok) and tok[e] not in STOP and tok[e] != 0x60:
                e += 1
            while e > end and tok[e - 1] in DELIM:
                e -= 1
            out += wild_path(tok[pos:e])
            pos = e
            continue
        if end < len(tok) and tok[end] == 0x3D and is_key(S):
            out += S + b"="
            v = end + 1
            if v < len(tok) and tok[v] not in OPEN:
                e = v
                while e < len(tok) and tok[e] not in STOP:
                    e += 1
                if has_digit(tok[v:e]):
                    out += W
                    pos = e
                    continue
            pos = v
            continue
        out += segment(S)
        pos = end
    return out


def normalize(msg):
    if len(msg) > MAX:
        n = MAX
        k = 0
        while k < 3 and n > 0 and msg[n] & 0xC0 == 0x80:
            n -= 1
            k += 1
        msg = msg[:n]
    out = b""
    i = 0
    while True:
        while i < len(msg) and msg[i] in SPACE:
            i += 1
        if i >= len(msg):
            return out
        j = i
        while j < len(msg) and msg[j] not in SPACE:
            j += 1
        r = None
        if msg[i:j] in WEEK or msg[i:j] in MON:
            d = date(msg, i)
            if d:
                r = W + d[1]
                j = d[0]
        if r is None:
            r = token(msg[i:j])
        new = out + b" " + r if out else r
        if len(new) > MAX:
            return out
        out = new
        i = j


def fnv(b):
    h = 0xCBF29CE484222325
    for c in b:
        h = ((h ^ c) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def main():
    data = open(sys.argv[1], "rb").read()
    assert data.endswith(b"\n")
    out = sys.stdout.buffer
    for m in data[:-1].split(b"\n"):
        t = normalize(m)
        out.write(b"%016x\t%s\n" % (fnv(t), t))


if __name__ == "__main__":
    main()
