"""DH group analysis, ServerKeyExchange parsing and the key-exchange judge (pure)."""

from __future__ import annotations

import struct

from cyberaudit.checks.dh_groups import analyse_dh, is_probable_prime, smooth_part
from cyberaudit.checks.tls_kex import judge_kex
from cyberaudit.probes.tlsscan.kex import parse_flight, server_kex

SAFE_64 = 18446744073709550147  # a 64-bit safe prime: (p - 1) / 2 is prime


def test_primality_and_smoothness():
    assert is_probable_prime(SAFE_64) and is_probable_prime((SAFE_64 - 1) // 2)
    assert not is_probable_prime(SAFE_64 * 3) and not is_probable_prime(561)  # 561: a Carmichael number
    assert smooth_part(2 ** 5 * 3 * 65537 * 1000003) == 2 ** 5 * 3


def test_dh_analysis_problems():
    safe = analyse_dh(SAFE_64, 2, 12345)
    assert safe["safe_prime"] is True and safe["problems"] == [] and safe["small_subgroup"] is False
    assert "composite modulus" in analyse_dh(SAFE_64 * 1000003, 2)["problems"][0]
    assert "order <= 2" in " ".join(analyse_dh(SAFE_64, SAFE_64 - 1)["problems"])
    # p = 2 * 3 * 5 * 7 * ... + 1 style prime: p - 1 is smooth, so every generator lies in a small subgroup
    p = 2 * 3 * 5 * 7 * 11 * 13 * 17 * 19 * 23 * 29 * 31 * 37 * 41 * 43 * 47 + 1
    while not is_probable_prime(p):
        p += 2 * 3 * 5 * 7 * 11 * 13 * 17 * 19 * 23 * 29 * 31 * 37 * 41 * 43 * 47
    smooth = analyse_dh(p, 3)
    assert smooth["safe_prime"] is False and smooth["small_subgroup"] is True
    assert "out of range" in " ".join(analyse_dh(SAFE_64, 2, 1)["problems"])


def _record(handshakes: bytes) -> bytes:
    return b"\x16\x03\x03" + struct.pack(">H", len(handshakes)) + handshakes


def _msg(kind: int, body: bytes) -> bytes:
    return bytes([kind]) + len(body).to_bytes(3, "big") + body


def test_flight_and_server_key_exchange_parsing():
    ske = struct.pack(">H", 2) + b"\x00\xfb" + struct.pack(">H", 1) + b"\x02" + struct.pack(">H", 1) + b"\x07"
    data = _record(_msg(2, b"hello") + _msg(11, b"certs")) + _record(_msg(12, ske) + _msg(14, b""))
    flight = parse_flight(data)
    assert flight.complete and flight.messages[12] == ske
    assert not parse_flight(data[:-3]).complete  # a truncated record: read more
    assert server_kex("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", ske) == {"type": "dhe", "p": 251, "g": 2, "ys": 7}
    assert server_kex("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", b"\x03\x00\x1d\x20") == {"type": "ecdhe", "curve": 29}
    assert server_kex("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", b"\x01...")["explicit"] is True
    assert server_kex("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", b"\x00\x05ab")["type"] == "error"
    assert parse_flight(b"\x15\x03\x03\x00\x02\x02\x28").alert == 40


def test_judge_kex():
    weak = judge_kex("a.fr", {"kex": {"dhe": {"p": SAFE_64, "g": 2, "ys": 5, "suite": "TLS_DHE_RSA_X"}}})
    assert weak.status.value == "fail" and "64 bits" in weak.detail.en
    curve = judge_kex("a.fr", {"kex": {"ecdhe": {"curve": 21}, "tls13": {"group": 29}}})
    assert curve.status.value == "fail" and "secp224r1" in curve.detail.en
    good = judge_kex("a.fr", {"kex": {"ecdhe": {"curve": 23}, "tls13": {"group": 0x11EC}}})
    assert good.status.value == "pass" and "X25519MLKEM768" in good.detail.en
    assert judge_kex("a.fr", {"kex": {"dhe": {"status": "rejected"}}}) is None
    assert judge_kex("a.fr", {"kex": {"dhe": {"status": "error", "reason": "timeout"}}}).status.value == "error"
