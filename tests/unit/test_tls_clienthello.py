"""Hand-built ClientHello, ServerHello parsing and suite classes (pure)."""

from __future__ import annotations

import hashlib
import struct

from cyberaudit.probes.tlsscan.classes import (
    SSL3,
    TLS10,
    TLS12,
    TLS13,
    class_version,
    classes_of,
    is_forward_secret,
    suites_of_class,
)
from cyberaudit.probes.tlsscan.clienthello import client_hello, parse_reply
from cyberaudit.probes.tlsscan.handshake import judge_reply


def _exts(hello: bytes) -> dict[int, bytes]:
    body = hello[9:]
    p = 35 + body[34]
    n = struct.unpack(">H", body[p:p + 2])[0]
    p += 2 + n
    p += 1 + body[p]
    if p >= len(body):
        return {}
    end = p + 2 + struct.unpack(">H", body[p:p + 2])[0]
    p += 2
    out = {}
    while p < end:
        kind, ln = struct.unpack(">HH", body[p:p + 4])
        out[kind] = body[p + 4:p + 4 + ln]
        p += 4 + ln
    return out


def test_hello_record_layout_and_lengths():
    h = client_hello(TLS12, [0xC02F, 0x009C], "ville.fr")
    assert h[0] == 0x16 and h[1:3] == b"\x03\x01"
    assert struct.unpack(">H", h[3:5])[0] == len(h) - 5
    assert h[5] == 1 and int.from_bytes(h[6:9], "big") == len(h) - 9
    assert h[9:11] == b"\x03\x03"
    exts = _exts(h)
    assert b"ville.fr" in exts[0] and 13 in exts and 43 not in exts


def test_sslv3_hello_has_no_extensions_and_sslv3_record():
    h = client_hello(SSL3, [0x000A], "ville.fr")
    assert h[1:3] == b"\x03\x00" and h[9:11] == b"\x03\x00"
    assert _exts(h) == {}
    assert b"\x00\x0a\x00\xff" in h  # suite + renegotiation SCSV


def test_tls13_hello_offers_only_tls13_with_key_share():
    exts = _exts(client_hello(TLS13, [0x1301], "ville.fr"))
    assert exts[43] == b"\x02\x03\x04"
    assert exts[51][2:4] == b"\x00\x1d" and len(exts[51]) == 2 + 2 + 2 + 32


def _server_hello(version: int, suite: int, exts: bytes = b"", random: bytes = b"\x11" * 32) -> bytes:
    body = struct.pack(">H", version) + random + b"\x00" + struct.pack(">H", suite) + b"\x00"
    if exts:
        body += struct.pack(">H", len(exts)) + exts
    hs = b"\x02" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x03" + struct.pack(">H", len(hs)) + hs


def test_parse_server_hello_alert_http_garbage_and_fragments():
    r = parse_reply(_server_hello(TLS12, 0xC02F, b"\x00\x16\x00\x00"))
    assert (r.kind, r.version, r.suite, 22 in r.extensions) == ("hello", TLS12, 0xC02F, True)
    assert parse_reply(b"\x15\x03\x03\x00\x02\x02\x46").alert == 70
    assert parse_reply(b"HTTP/1.1 400 Bad Request\r\n").kind == "http"
    assert parse_reply(b"\x00\x01\x02\x03\x04\x05garbage").kind == "garbage"
    full = _server_hello(TLS12, 0x002F)
    assert parse_reply(full[:20]).kind == "incomplete"
    hs = full[5:]
    split = b"\x16\x03\x03\x00\x08" + hs[:8] + b"\x16\x03\x03" + struct.pack(">H", len(hs) - 8) + hs[8:]
    assert parse_reply(split).suite == 0x002F


def test_tls13_selected_through_supported_versions_and_retry():
    sv = b"\x00\x2b\x00\x02\x03\x04"
    r = parse_reply(_server_hello(TLS12, 0x1301, sv))
    assert r.version == TLS13 and not r.retry
    hrr = parse_reply(_server_hello(TLS12, 0x1301, sv, hashlib.sha256(b"HelloRetryRequest").digest()))
    assert hrr.retry and judge_reply(hrr, TLS13).status == "accepted"


def test_lower_version_answer_is_a_refusal_of_the_offered_one():
    r = parse_reply(_server_hello(TLS10, 0x002F))
    assert judge_reply(r, TLS12).status == "rejected"
    assert judge_reply(r, TLS10).status == "accepted"
    assert judge_reply(parse_reply(b"HTTP/1.0 200 OK"), TLS12).plain_http


def test_classes_from_iana_names():
    assert classes_of("TLS_RSA_WITH_AES_128_CBC_SHA") == {"rsa_kex", "cbc"}
    assert classes_of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256") == set()
    assert classes_of("TLS_DH_anon_WITH_AES_128_CBC_SHA") == {"anonymous", "cbc"}
    assert classes_of("TLS_RSA_EXPORT_WITH_RC4_40_MD5") == {"export", "rc4", "rsa_kex"}
    assert classes_of("TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA") == {"des", "cbc"}
    assert classes_of("TLS_RSA_WITH_NULL_SHA") == {"null", "rsa_kex"}
    assert classes_of("TLS_AES_128_GCM_SHA256") == set()
    assert is_forward_secret("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256") and not is_forward_secret("TLS_RSA_WITH_RC4_128_SHA")


def test_class_offers_stay_in_class_and_export_only_up_to_tls10():
    for cls in ("null", "export", "anonymous", "rc4", "des", "rsa_kex", "cbc"):
        suites = suites_of_class(cls)
        assert suites and 0 not in suites and not {0x1301, 0x1302, 0x1303} & set(suites)
    assert 0xC02F not in suites_of_class("cbc")
    assert class_version("export", {TLS12, TLS10}) == TLS10
    assert class_version("export", {TLS12}) is None
    assert class_version("rc4", {TLS12, TLS10}) == TLS12
