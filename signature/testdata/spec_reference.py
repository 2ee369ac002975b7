#!/usr/bin/env python3
"""Reference implementation of signature/SPEC.md v3, written from the spec only.

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
METHODS = set(b"GET HEAD POST PUT DELETE CONNECT OPTIONS TRACE PATCH".split())
UNITS = set(b"B kB KB MB GB TB PB KiB MiB GiB TiB PiB byte bytes ns us ms s sec secs second seconds "
            b"min mins minute minutes h hr hrs hour hours day days".split())
QCLOSE = set(b",;:.)]}>")


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
    return (len(labels) >= 3 and len(last) == 2 and all(0x61 <= c <= 0x7A for c in last) and last not in EXT
            and labels[0] not in TLD)


def is_longhex(core):
    return len(core) >= 8 and all(c in HEXL for c in core)


def is_prefixedhex(s):
    k = s.rfind(b"-")
    if k <= 0:
        return False
    return all(c in LETTER or c in b"-_" for c in s[:k]) and is_longhex(s[k + 1:])


def is_hexid(core):
    return is_longhex(core) or is_prefixedhex(core)


def is_hostport(s):
    k = s.find(b":")
    if k <= 0 or not (1 <= len(s) - k - 1 <= 5) or not all_digits(s[k + 1:]):
        return False
    host = s[:k]
    if host == b"localhost":
        return True
    if any(0x41 <= c <= 0x5A for c in host):
        return all(c in LETTER or c in DIGIT or c in b".-" for c in host) and is_host(host)
    if not all(c in LETTER or c in DIGIT or c in b".-" for c in host):
        return False
    return (b"." in host or b"-" in host) and host[0] in LETTER and host[-1] not in b".-"


def is_local_part(s):
    return len(s) > 0 and (s[0] in LETTER or s[0] in DIGIT) and all(
        c in LETTER or c in DIGIT or c in b"._%+-" for c in s)


def host_after_at(s):
    n = 0
    while n < len(s) and s[n] not in DELIM and s[n] != 0x3A:
        n += 1
    core = s[:n].rstrip(b".")
    return len(core) if is_host(core) else 0


def is_func_name(s):
    return (len(s) > 0 and s[0] in LETTER and all(c in LETTER or c in DIGIT or c == 0x5F for c in s)
            and has_digit(s) and s[-1] not in DIGIT)


def is_method_token(tok):
    k = len(tok)
    while k > 0 and tok[k - 1] not in DELIM:
        k -= 1
    return tok[k:] in METHODS


def is_proto_token(tok):
    if tok[:1] in (b'"', b"'"):
        tok = tok[1:]
    core = tok.rstrip(b"\"',;)]}")
    if is_proto(core):
        return True
    k = core.find(b"/")
    if k < 2 or not all(0x41 <= c <= 0x5A for c in core[:k]):
        return False
    v = core[k + 1:]
    return (len(v) == 1 and v[0] in DIGIT) or v == W


def is_status_token(tok):
    core = strip_closers(tok)[0]
    if len(core) > 4 and core[-4] == 0x3D:
        if not is_key(core[:-4]):
            return False
        core = core[-3:]
    return len(core) == 3 and 0x31 <= core[0] <= 0x35 and all_digits(core)


def number_at(tok):
    o = 0
    while o < len(tok) and tok[o] in b"([":
        o += 1
    n = tok[o:]
    if not n or n[0] not in DIGIT or n[-1] not in DIGIT or not all(c in DIGIT or c == 0x2E for c in n):
        return -1
    return o if n.count(b".") <= 1 else -1


def next_token(msg, j):
    while j < len(msg) and msg[j] in SPACE:
        j += 1
    e = j
    while e < len(msg) and msg[e] not in SPACE:
        e += 1
    return j, e


def unit_after(msg, j):
    s, e = next_token(msg, j)
    core, cl = strip_closers(msg[s:e])
    if e > s and core in UNITS:
        return e, cl
    return 0, b""


def quantity(msg, tok, j):
    if number_at(tok) < 0:
        return None
    e, cl = unit_after(msg, j)
    if e == 0 or cl:
        return None
    s, e2 = next_token(msg, e)
    if e2 - s < 2 or msg[s] != 0x28 or number_at(msg[s:e2]) != 1:
        return None
    e3, cl = unit_after(msg, e2)
    if e3 == 0 or not cl or cl[0] != 0x29:
        return None
    return e3, cl[1:]


def closing_quote(msg, i, q):
    while i < len(msg):
        if msg[i] == q and not (i > 0 and msg[i - 1] == 0x5C) and (
                i + 1 == len(msg) or msg[i + 1] in QCLOSE or msg[i + 1] in SPACE):
            return i
        i += 1
    return -1


def is_plain_kv(tok):
    k = tok.find(b"=")
    if k <= 0 or not is_key(tok[:k]):
        return False
    return k + 1 == len(tok) or tok[k + 1] not in b"\"'"


def opens(tok):
    n = 0
    while n < len(tok) and tok[n] in b"[(":
        n += 1
    return n


def is_date_word(s):
    if len(s) in (6, 8):
        return all_digits(s)
    if len(s) == 11:
        # dd/Mon/yyyy (section 3.2)
        return s[2] == 0x2F and s[6] == 0x2F and all_digits(s[:2]) and s[3:6] in MON and all_digits(s[7:])
    if len(s) == 10:
        c = s[4]
        return c in b"-/." and s[7] == c and all_digits(s[:4]) and all_digits(s[5:7]) and all_digits(s[8:])
    return False


def clock_len(s):
    if len(s) < 8 or not is_clock(s[:8]):
        return 0
    n = 8
    if n + 1 < len(s) and s[n] in b".," and s[n + 1] in DIGIT:
        n += 1
        while n < len(s) and s[n] in DIGIT:
            n += 1
    return n


def is_datetime_word(x):
    k = x.rfind(b".")
    k2 = x.rfind(b",")
    if k > 0 and k + 1 < len(x) and all_digits(x[k + 1:]):
        x = x[:k]
    elif k2 > 0 and k2 + 1 < len(x) and all_digits(x[k2 + 1:]):
        x = x[:k2]
    if len(x) < 8 or not is_clock(x[-8:]):
        return False
    p = x[:-8]
    if p == b"":
        return True
    if len(p) == 12:
        return (p[2:3] == b"/" and p[6:7] == b"/" and p[11:12] == b":" and all_digits(p[:2])
                and p[3:6] in MON and all_digits(p[7:11]))
    return len(p) > 1 and p[-1:] == b"T" and is_date_word(p[:-1])


def is_zone_offset(s):
    if len(s) < 5 or s[0] not in b"+-":
        return False
    if len(s) == 5:
        return all_digits(s[1:])
    return len(s) == 6 and s[3:4] == b":" and all_digits(s[1:3]) and all_digits(s[4:])


def stamp_at(msg, tok, j):
    if len(tok) < 6 or not has_digit(tok):
        return 0
    x = tok[opens(tok):]
    date = is_date_word(x)
    if not date and not is_datetime_word(x):
        return 0
    s, e = next_token(msg, j)
    if s == e:
        return 0
    nxt = msg[s:e]
    if date:
        n = clock_len(nxt)
        if n > 0 and n == len(nxt):
            # date, time and a numeric zone (section 3.2)
            s2, e2 = next_token(msg, e)
            if s2 < e2:
                core = strip_closers(msg[s2:e2])[0]
                if is_zone_offset(core):
                    return s2 + len(core)
        if n > 0 and (n == len(nxt) or not (nxt[n] in LETTER or nxt[n] in DIGIT)):
            return s + n
        return 0
    core = strip_closers(nxt)[0]
    if is_zone_offset(core):
        return s + len(core)
    return 0


def route_seg(p, i):
    while i < len(p) and p[i] not in b"/?#;":
        i += 1
    return i


def is_route_word(s):
    return len(s) > 0 and all(c in LETTER or c in b"-_" for c in s)


def route(p):
    k = route_seg(p, 1)
    first = p[1:k]
    if is_route_word(first):
        pass
    elif (len(first) in (2, 3) and first[0] in b"vV" and all_digits(first[1:]) and k < len(p)
          and p[k] == 0x2F and is_route_word(p[k + 1:route_seg(p, k + 1)])):
        k = route_seg(p, k + 1)
    else:
        return wild_path(p)
    if k < len(p) and p[k] == 0x3F and is_route_word(p[k + 1:]):
        return p
    out = p[:k]
    if k < len(p):
        out += p[k:k + 1]
        if k + 1 < len(p):
            n = len(p)
            c = 0
            while n > k + 1 and p[n - 1] == 0x3A:
                n -= 1
                c += 1
            out += W + b":" * c
    return out


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
        if is_host(core) or is_hexid(core):
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
            if len(pre) < i and (is_host(pre) or (not has_digit(pre) and is_hexid(pre))):
                return b"", True, trail
            if j == len(core):
                k = named_instance(core[i:j])
                if k:
                    return core[:i + k], True, trail
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


class Route:
    """The access-log route flag of one token (SPEC.md section 5.2)."""

    def __init__(self, on):
        self.on = on
        self.routed = False
        self.lit_end = False

    def path(self, p):
        if self.on:
            self.on, self.routed = False, True
            if p[:1] == b"/":
                return route(p)
        return wild_path(p)


def segment(S, rt):
    if is_path(S) or is_drive(S) or is_url(S):
        return rt.path(S)
    if is_colonhex(S):
        return W
    if is_hostport(S):
        return W
    if is_message_code(S):
        return S
    if is_image_ref(S):
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


def token(msg, i, j, rt, lead=False):
    """Renders msg[i:j]; returns (rendering, end consumed)."""
    tok = msg[i:j]
    out = b""
    pos = 0
    q = tok[0]
    if q in b"\"'" and not lead and not is_method_token(tok):
        c = closing_quote(msg, i + 1, q)
        if c >= j:
            out += bytes([q]) + W + bytes([q])
            j = _tok_end(msg, c)
            tok = msg[i:j]
            pos = c + 1 - i
    while pos < len(tok):
        if tok[pos] in DELIM:
            out += tok[pos:pos + 1]
            pos += 1
            continue
        if tok[pos] == 0x5C and pos + 1 < len(tok) and tok[pos + 1] in b"\"'":
            q = tok[pos + 1]
            out += tok[pos:pos + 2]
            c = closing_escaped(msg, i + pos + 2, q)
            if c >= 0:
                out += (W if c > i + pos + 2 else b"") + b"\\" + bytes([q])
                if c + 2 > j:
                    j = _tok_end(msg, c + 1)
                    tok = msg[i:j]
                pos = c + 2 - i
                continue
            pos += 2
            continue
        end = pos
        while end < len(tok) and tok[end] not in DELIM:
            end += 1
        if end < len(tok) and end - 1 > pos and tok[end - 1] == 0x5C and tok[end] in b"\"'":
            end -= 1
        S = tok[pos:end]
        if end < len(tok) and (is_path(S) or is_drive(S) or is_url(S)):
            e = end
            while e < len(tok) and tok[e] not in STOP and tok[e] != 0x60 and not (
                    tok[e] == 0x5C and e + 1 < len(tok) and tok[e + 1] in b"\"'"):
                e += 1
            while e > end and tok[e - 1] in DELIM:
                e -= 1
            out += rt.path(tok[pos:e])
            pos = e
            continue
        if end < len(tok) and tok[end] == 0x40 and is_local_part(S):
            n = host_after_at(tok[end + 1:])
            if n > 0:
                out += W
                pos = end + 1 + n
                continue
            if not any(0x41 <= c <= 0x5A for c in S):
                h = end + 1
                while h < len(tok) and tok[h] not in DELIM:
                    h += 1
                H = tok[end + 1:h]
                ok, dots = whole_var(H)
                if not ok and b":" in H:
                    H = H[:H.find(b":")]
                    ok, dots = whole_var(H)
                if ok:
                    out += W + dots
                    pos = end + 1 + len(H)
                    continue
        if end < len(tok) and tok[end] == 0x28 and is_func_name(S):
            out += S
            pos = end
            continue
        if end < len(tok) and tok[end] == 0x3D and is_key(S):
            out += S + b"="
            v = end + 1
            if v < len(tok) and tok[v] in b"\"'" and not (lead and pos == 0):
                q = tok[v]
                c = closing_quote(msg, i + v + 1, q)
                if c >= 0:
                    out += bytes([q]) + (W if c > i + v + 1 else b"") + bytes([q])
                    if c >= j:
                        j = _tok_end(msg, c)
                        tok = msg[i:j]
                    pos = c + 1 - i
                    continue
            if v < len(tok) and tok[v] not in OPEN:
                e = v
                while e < len(tok) and tok[e] not in STOP and not (
                        tok[e] == 0x5C and e + 1 < len(tok) and tok[e + 1] in b"\"'"):
                    e += 1
                if rt.on and tok[v] == 0x2F:
                    out += rt.path(tok[v:e])
                    pos = e
                    continue
                if has_digit(tok[v:e]):
                    out += W
                    pos = e
                    continue
            pos = v
            continue
        out += segment(S, rt)
        if end == len(tok):
            rt.lit_end = True
        pos = end
    return out, j


def _tok_end(msg, c):
    while c < len(msg) and msg[c] not in SPACE:
        c += 1
    return c


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
    http = 0
    lead = True
    while True:
        while i < len(msg) and msg[i] in SPACE:
            i += 1
        if i >= len(msg):
            return out
        j = i
        while j < len(msg) and msg[j] not in SPACE:
            j += 1
        tok = msg[i:j]
        st, http = http, 0
        r = None
        qn = quantity(msg, tok, j)
        if st == 2 and is_proto_token(tok):
            r = tok
        elif st in (2, 3) and is_status_token(tok):
            r = tok
        elif st == 4 and is_bare_status(tok) and byte_count_after(msg, j):
            r = tok
        elif qn:
            r = tok[:number_at(tok)] + W + qn[1]
            j = qn[0]
        elif is_errno(msg, tok, j):
            r = tok
        elif duration_run(msg, tok, j):
            e, cl = duration_run(msg, tok, j)
            r = W + cl
            j = e
        elif tok in WEEK or tok in MON:
            d = date(msg, i)
            if d:
                r = W + d[1]
                j = d[0]
        elif len(tok) == 4 and tok[:1] == b"[" and (tok[1:] in WEEK or tok[1:] in MON) and date(msg, i + 1):
            d = date(msg, i + 1)
            r = b"[" + W + d[1]
            j = d[0]
        elif stamp_at(msg, tok, j):
            k = stamp_at(msg, tok, j)
            r = tok[:opens(tok)] + W
            if k < len(msg) and msg[k] not in SPACE:
                e = _tok_end(msg, k)
                rr, k = token(msg, k, e, Route(False), lead)
                r += rr
            j = k
        elif ip_literal_port(tok):
            p, e = ip_literal_port(tok)
            r = tok[:p] + W + tok[e:]
        lit = False
        if r is None:
            rt = Route(st == 1)
            r, j = token(msg, i, j, rt, lead)
            if st == 1 and (rt.routed or W in msg[i:j] or strip_closers(tok)[0] == b"/"):
                http = 2
            lit = rt.lit_end
        lead = lead and is_plain_kv(tok)
        if lit and is_method_token(tok):
            http = 1
        elif http == 0:
            if st == 2 and is_proto_token(tok):
                http = 3
            elif is_timer_token(tok):
                http = 4
        new = out + b" " + r if out else r
        if len(new) > MAX:
            return out
        out = new
        i = j


def is_message_code(S):
    # section 6.2b
    if len(S) < 6 or S[-1] != 0x3A:
        return False
    i = 0
    letters = 0
    while i < len(S):
        if 0x41 <= S[i] <= 0x5A:
            letters += 1
        elif not (S[i] == 0x2D and i > 0 and i + 1 < len(S) and 0x41 <= S[i + 1] <= 0x5A):
            break
        i += 1
    if letters < 2:
        return False
    if S[i] == 0x2D:
        i += 1
    d = S[i:-1]
    return 3 <= len(d) <= 6 and all_digits(d)


def is_image_ref(S):
    # section 6.2c
    if S.count(b":") != 1:
        return False
    name, t = S.split(b":")
    if not name or not (0x61 <= name[0] <= 0x7A):
        return False
    if not all(0x61 <= c <= 0x7A or c in DIGIT or c in b".-_/" for c in name):
        return False
    if t[:1] == b"v":
        t = t[1:]
    i = 0
    groups = 0
    while True:
        d = i
        while i < len(t) and t[i] in DIGIT:
            i += 1
        if i == d:
            return False
        groups += 1
        if groups == 3 or i == len(t) or t[i] != 0x2E:
            break
        i += 1
    if groups < 2:
        return False
    if i == len(t):
        return True
    rest = t[i + 1:]
    return t[i] in b"-_" and len(rest) > 0 and all(c in LETTER or c in DIGIT or c == 0x2E for c in rest)


def named_instance(p):
    # section 7: the length of word and '-', or 0
    k = len(p)
    while k > 0 and p[k - 1] in DIGIT:
        k -= 1
    if k == len(p) or k < 3 or p[k - 1] != 0x2D:
        return 0
    word = p[:k - 1]
    if not all(c in LETTER or c == 0x5F for c in word) or word[-1] not in LETTER:
        return 0
    if sum(c in LETTER for c in word) < 2:
        return 0
    if not (any(0x41 <= c <= 0x5A for c in word) or b"_" in word):
        return 0
    return k


def is_errno(msg, tok, j):
    # section 5.4
    if len(tok) < 3 or tok[:1] != b"(" or tok[-1:] != b":" or not all_digits(tok[1:-1]) or len(tok) - 2 > 5:
        return False
    s, e = next_token(msg, j)
    word = msg[s:e].rstrip(b"),;.")
    if len(word) < 2 or not (0x41 <= word[0] <= 0x5A and 0x61 <= word[1] <= 0x7A):
        return False
    if not all(c in LETTER for c in word):
        return False
    return not (len(word) >= 8 and all(c in HEXL for c in word)) and word not in WEEK and word not in MON


DUR_RANK = {b"ns": 1, b"us": 2, b"ms": 3, b"s": 4, b"m": 5, b"min": 5, b"h": 6, b"d": 7, b"w": 8}


def glued_duration(t):
    # section 3.3: (rank, integer), rank 0 when t is none
    i = 0
    while i < len(t) and t[i] in DIGIT:
        i += 1
    if i == 0:
        return 0, False
    integer = True
    if i < len(t) and t[i] == 0x2E:
        d = i + 1
        i = d
        while i < len(t) and t[i] in DIGIT:
            i += 1
        if i == d:
            return 0, False
        integer = False
    return DUR_RANK.get(t[i:], 0), integer


def duration_run(msg, tok, j):
    # section 3.3: (end, closers) or None
    rank, integer = glued_duration(tok)
    res = None
    while rank and integer:
        s, e = next_token(msg, j)
        x = msg[s:e]
        n = len(x)
        while n > 0 and x[n - 1] in b".:":
            n -= 1
        core = strip_closers(x[:n])[0]
        r, integ = glued_duration(core)
        if r == 0 or r >= rank:
            break
        res = (e, x[len(core):])
        j = e
        if len(core) < len(x):
            break
        rank, integer = r, integ
    return res


def ip_literal_port(tok):
    # section 3, step 6: (start, end) or None
    p = 0
    while p < len(tok) and tok[p] in b"(\"'":
        p += 1
    if tok[p:p + 1] != b"[":
        return None
    i = p + 1
    while i < len(tok) and (tok[i] in HEXD or tok[i] in b":."):
        i += 1
    if tok[p + 1:i].count(b":") < 2 or tok[i:i + 2] != b"]:":
        return None
    d = i + 2
    while d < len(tok) and tok[d] in DIGIT:
        d += 1
    if not 1 <= d - i - 2 <= 5 or strip_closers(tok[d:])[0] != b"":
        return None
    return p, d


def closing_escaped(msg, p, q):
    # section 5, escaped quote: index of the backslash, or -1
    k = msg.find(b"\\" + bytes([q]), p)
    if k < 0:
        return -1
    if k + 2 == len(msg) or msg[k + 2] in SPACE or msg[k + 2] in b"\"',;.)]}>":
        return k
    return -1


def whole_var(H):
    # section 5, user at a variable host: (ok, dots)
    if not has_digit(H) or not (b"." in H or b"-" in H):
        return False, b""
    if b":" in H and (is_hostport(H) or is_colonhex(H)):
        return True, b""
    parts = H.split(b":")
    for n, P in enumerate(parts):
        pre, m, suf = classify(P)
        if not m or pre != b"":
            return False, b""
        if n == len(parts) - 1:
            if suf.strip(b"."):
                return False, b""
            return True, suf
        if suf:
            return False, b""


def is_timer_token(tok):
    """Section 5.2: five integers joined by '/', each with an optional
    leading '-' or '+', or the template <*>."""
    if tok == W:
        return True
    parts = tok.split(b"/")
    if len(parts) != 5:
        return False
    for p in parts:
        if p[:1] in (b"-", b"+"):
            p = p[1:]
        if not p or not all(c in DIGIT for c in p):
            return False
    return True


def is_bare_status(tok):
    return len(tok) == 3 and 0x31 <= tok[0] <= 0x35 and tok[1] in DIGIT and tok[2] in DIGIT


def byte_count_after(msg, j):
    s = j
    while s < len(msg) and msg[s] in SPACE:
        s += 1
    e = _tok_end(msg, s)
    t = msg[s:e]
    if len(t) > 1 and t[:1] == b"+":
        t = t[1:]
    return t == W or (len(t) > 0 and all(c in DIGIT for c in t))


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
