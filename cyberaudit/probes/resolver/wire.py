"""Minimal, fast DNS wire codec for the scan's hot path (queries and plain answers).

dnspython builds and parses a message in ~0.5 ms; a scan sends ~50 queries per domain,
so the client encodes queries and decodes answers here (~20 µs) and keeps dnspython for
DNSSEC material and zone transfers. Names are text without the trailing dot, lowercase,
escaped like dnspython (`\\DDD` for bytes outside printable ASCII): hostile bytes stay data.
Every length and pointer is checked; malformed input raises WireError.
"""

from __future__ import annotations

import functools
import socket
import struct
from dataclasses import dataclass

A, NS, CNAME, SOA, PTR, MX, TXT, AAAA, OPT, DS, RRSIG, DNSKEY, TLSA, CAA = 1, 2, 5, 6, 12, 15, 16, 28, 41, 43, 46, 48, 52, 257
AXFR = 252
TYPES = {"A": A, "NS": NS, "CNAME": CNAME, "SOA": SOA, "PTR": PTR, "MX": MX, "TXT": TXT, "AAAA": AAAA,
         "DS": DS, "RRSIG": RRSIG, "DNSKEY": DNSKEY, "TLSA": TLSA, "CAA": CAA}
AA, TC, RD, CD = 0x0400, 0x0200, 0x0100, 0x0010
_SPECIAL = {ord(c) for c in '"().;\\@$'}
_ESC = [("\\" + chr(b)) if b in _SPECIAL else chr(b) if 0x21 <= b <= 0x7E else f"\\{b:03d}" for b in range(256)]
_PLAIN = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_*"
_LOWER = bytes(range(256)).translate(bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz"))


class WireError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Addr:
    address: str


@dataclass(frozen=True, slots=True)
class Host:  # NS, CNAME, PTR
    target: str


@dataclass(frozen=True, slots=True)
class Mx:
    preference: int
    exchange: str  # "" for the root (null MX)


@dataclass(frozen=True, slots=True)
class Txt:
    strings: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class Caa:
    flags: int
    tag: bytes
    value: bytes


@dataclass(frozen=True, slots=True)
class Soa:
    mname: str
    rname: str
    serial: int


@dataclass(frozen=True, slots=True)
class Raw:
    data: bytes


@dataclass(frozen=True, slots=True)
class Rec:
    name: str
    rtype: int
    ttl: int
    data: object


@dataclass(slots=True)
class Msg:
    id: int
    flags: int
    rcode: int
    question: bytes  # lowercased wire question (name + type + class)
    answer: list[Rec]
    authority: list[Rec]
    additional: list[Rec]


@functools.lru_cache(maxsize=4096)
def name_to_wire(text: str) -> bytes:
    """Text name (dnspython escaping allowed) -> uncompressed wire form. Raises WireError.
    Cached: a scan asks each name for several types (A, AAAA, TXT, MX...)."""
    text = text.rstrip(".") if not text.endswith("\\.") else text
    if "\\" not in text:  # no escape (nearly every name): label by label
        out = bytearray()
        if text:
            for label in text.split("."):
                raw = label.encode("utf-8")
                if not raw or len(raw) > 63:
                    raise WireError("empty or oversized label")
                out.append(len(raw))
                out += raw
        out.append(0)
        if len(out) > 255:
            raise WireError("name too long")
        return bytes(out)
    out = bytearray()
    if text and text != ".":
        label = bytearray()
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if c == "\\":
                if i + 3 < n + 1 and text[i + 1:i + 4].isdigit() and len(text[i + 1:i + 4]) == 3:
                    v = int(text[i + 1:i + 4])
                    if v > 255:
                        raise WireError("bad escape")
                    label.append(v)
                    i += 4
                    continue
                if i + 1 >= n:
                    raise WireError("trailing backslash")
                label.extend(text[i + 1].encode("utf-8"))
                i += 2
                continue
            if c == ".":
                _push(out, label)
                label = bytearray()
            else:
                label.extend(c.encode("utf-8"))
            i += 1
        _push(out, label)
    out.append(0)
    if len(out) > 255:
        raise WireError("name too long")
    return bytes(out)


def _push(out: bytearray, label: bytearray) -> None:
    if not label or len(label) > 63:
        raise WireError("empty or oversized label")
    out.append(len(label))
    out.extend(label)


def encode_query(qid: int, name: str, qtype: int, *, rd: bool = True, dnssec: bool = False,
                 payload: int = 1232) -> tuple[bytes, bytes]:
    """(query wire, lowercased question wire).

    CD (checking disabled) is always set: a validating resolver then hands over the data of a
    zone whose signatures are broken instead of SERVFAIL, and the scan judges DNSSEC itself."""
    question = name_to_wire(name) + struct.pack("!HH", qtype, 1)
    header = struct.pack("!HHHHHH", qid, (RD if rd else 0) | CD, 1, 0, 0, 1)
    opt = b"\x00" + struct.pack("!HHIH", OPT, payload, 0x8000 if dnssec else 0, 0)
    return header + question + opt, question.translate(_LOWER)


def encode_axfr(qid: int, zone: str) -> bytes:
    """A zone-transfer question for `zone` (RD set, no EDNS: the bytes dnspython's make_query writes)."""
    return struct.pack("!HHHHHH", qid, RD, 1, 0, 0, 0) + name_to_wire(zone) + struct.pack("!HH", AXFR, 1)


def _name(data: bytes, pos: int, memo: dict | None = None) -> tuple[str, int]:
    """(name, position after it). With `memo` (one per message), a pointer to a place already read
    reuses that name's end instead of reading its labels again (answers point at the question name):
    the same checks, the same result."""
    labels: list[str] = []
    end = -1
    jumps = 0
    total = 0
    n = len(data)
    marks = [(pos, 0, 0, 0)] if memo is not None else None  # (position, labels, length, jumps) read from there
    while True:
        if pos >= n:
            raise WireError("name runs past the message")
        ln = data[pos]
        if ln & 0xC0 == 0xC0:
            if pos + 1 >= n:
                raise WireError("truncated pointer")
            ptr = ((ln & 0x3F) << 8) | data[pos + 1]
            if end < 0:
                end = pos + 2
            jumps += 1
            if ptr >= pos or jumps > 64:
                raise WireError("bad compression pointer")
            if marks is not None:
                known = memo.get(ptr)
                if known is not None:
                    text, size, inner = known
                    total += size
                    jumps += inner
                    if total > 255:
                        raise WireError("name too long")
                    if jumps > 64:
                        raise WireError("bad compression pointer")
                    if text:
                        labels.append(text)
                    break
                marks.append((ptr, len(labels), total, jumps))
            pos = ptr
            continue
        if ln & 0xC0:
            raise WireError("bad label type")
        pos += 1
        if ln == 0:
            break
        if pos + ln > n:
            raise WireError("label runs past the message")
        total += ln + 1
        if total > 255:
            raise WireError("name too long")
        raw = data[pos:pos + ln].translate(_LOWER)
        labels.append(raw.decode("ascii") if not raw.translate(None, _PLAIN) else "".join(_ESC[b] for b in raw))
        pos += ln
    name = ".".join(labels)
    if marks is not None:
        for at, first, before, hops in marks:
            if at not in memo:
                memo[at] = (".".join(labels[first:]) if first else name, total - before, jumps - hops)
    return name, (end if end >= 0 else pos)


def _rdata_name(data: bytes, start: int, end: int, memo: dict | None = None) -> tuple[str, int]:
    """A name inside record data: it must end within the record (a pointer may point elsewhere)."""
    name, pos = _name(data, start, memo)
    if pos > end:
        raise WireError("name runs past its record")
    return name, pos


def _rdata(data: bytes, rtype: int, start: int, rdlen: int, memo: dict | None = None):
    end = start + rdlen
    if rtype == A:
        if rdlen != 4:
            raise WireError("bad A record length")
        return Addr(socket.inet_ntop(socket.AF_INET, data[start:end]))
    if rtype == AAAA:
        if rdlen != 16:
            raise WireError("bad AAAA record length")
        return Addr(socket.inet_ntop(socket.AF_INET6, data[start:end]))
    if rtype in (NS, CNAME, PTR):
        return Host(_rdata_name(data, start, end, memo)[0])
    if rtype == MX:
        if rdlen < 3:
            raise WireError("short MX record")
        return Mx(struct.unpack_from("!H", data, start)[0], _rdata_name(data, start + 2, end, memo)[0])
    if rtype == TXT:
        strings, pos = [], start
        while pos < end:
            ln = data[pos]
            if pos + 1 + ln > end:
                raise WireError("TXT string runs past its record")
            strings.append(bytes(data[pos + 1:pos + 1 + ln]))
            pos += 1 + ln
        return Txt(tuple(strings))
    if rtype == CAA:
        if rdlen < 2:
            raise WireError("short CAA record")
        tl = data[start + 1]
        if 2 + tl > rdlen:
            raise WireError("bad CAA")
        return Caa(data[start], bytes(data[start + 2:start + 2 + tl]), bytes(data[start + 2 + tl:end]))
    if rtype == SOA:
        mname, pos = _rdata_name(data, start, end, memo)
        rname, pos = _rdata_name(data, pos, end, memo)
        if pos + 20 > end:
            raise WireError("short SOA")
        return Soa(mname, rname, struct.unpack_from("!I", data, pos)[0])
    return Raw(bytes(data[start:end]))


def decode(data: bytes) -> Msg:
    """Parse a response. Raises WireError on any inconsistency."""
    if len(data) < 12:
        raise WireError("short message")
    qid, flags, qd, an, ns, ar = struct.unpack_from("!HHHHHH", data, 0)
    pos = 12
    qstart = pos
    memo: dict = {}  # position -> name read there (compression pointers)
    for _ in range(qd):
        _, pos = _name(data, pos, memo)
        pos += 4
    if pos > len(data):
        raise WireError("short question")
    question = bytes(data[qstart:pos]).translate(_LOWER) if qd == 1 else b""
    sections: list[list[Rec]] = [[], [], []]
    rcode = flags & 0xF
    for idx, count in enumerate((an, ns, ar)):
        for _ in range(count):
            name, pos = _name(data, pos, memo)
            if pos + 10 > len(data):
                raise WireError("short record")
            rtype, _cls, ttl, rdlen = struct.unpack_from("!HHIH", data, pos)
            pos += 10
            if pos + rdlen > len(data):
                raise WireError("record runs past the message")
            if rtype == OPT:
                rcode |= (ttl >> 24) << 4
            else:
                sections[idx].append(Rec(name, rtype, ttl, _rdata(data, rtype, pos, rdlen, memo)))
            pos += rdlen
    return Msg(qid, flags, rcode, question, *sections)
