"""DKIM keys, MTA-STS/TLS-RPT parsing and DNSSEC anchors (pure functions)."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cyberaudit.probes import dnssec
from cyberaudit.probes.mailsec import dkim, mtasts


def test_dkim_rsa_sizes_revoked_and_garbage():
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    spki = base64.b64encode(key.public_bytes(serialization.Encoding.DER,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)).decode()
    pkcs1 = base64.b64encode(key.public_bytes(serialization.Encoding.DER,
                                              serialization.PublicFormat.PKCS1)).decode()
    assert dkim.key_info(f"v=DKIM1; k=rsa; p={spki}")["bits"] == 1024
    assert dkim.key_info(f"v=DKIM1; p={pkcs1[:40]} {pkcs1[40:]}")["bits"] == 1024  # bare PKCS#1, spaces
    assert dkim.key_info("v=DKIM1; k=rsa; p=")["revoked"] is True
    assert dkim.key_info("v=DKIM1; p=!!!")["error"] == "public key is not valid base64"
    assert dkim.key_info("v=DKIM1; p=AAAA")["error"] == "public key not understood"
    assert dkim.key_info("v=DKIM1; k=ed25519; p=" + base64.b64encode(b"x" * 32).decode())["bits"] == 256
    assert not dkim.is_dkim("v=spf1 -all")


def test_mta_sts_policy_and_mx_patterns():
    pol, problems = mtasts.parse_policy("version: STSv1\r\nmode: enforce\r\nmx: *.exemple.fr\r\nmx: mx.autre.fr\r\n"
                                        "max_age: 604800\r\n")
    assert problems == [] and pol["mx"] == ["*.exemple.fr", "mx.autre.fr"] and pol["max_age"] == 604800
    assert mtasts.mx_matches("*.exemple.fr", "mx1.exemple.fr")
    assert not mtasts.mx_matches("*.exemple.fr", "a.b.exemple.fr") and not mtasts.mx_matches("*.exemple.fr",
                                                                                           "exemple.fr")
    assert mtasts.uncovered(pol["mx"], ["mx1.exemple.fr", "mx.autre.fr.", "mx.tiers.fr"]) == ["mx.tiers.fr"]
    _, problems = mtasts.parse_policy("version: STSv2\nmode: strict\nmax_age: 99999999999\n")
    assert len(problems) == 4


def test_tlsrpt_and_sts_txt():
    tags = mtasts.parse_txt("v=TLSRPTv1; rua=mailto:a@b.fr,https://r.b.fr/x,ftp://no", "TLSRPTv1")
    assert mtasts.tlsrpt_uris(tags) == (["mailto:a@b.fr", "https://r.b.fr/x"], ["ftp://no"])
    assert mtasts.parse_txt("v=STSv1; id=abc", "TLSRPTv1") is None
    assert mtasts.sts_id_valid(mtasts.parse_txt("v=STSv1; id=20240101", "STSv1"))


def test_trust_anchor_parsing():
    a = dnssec.parse_anchor(dnssec.ROOT_ANCHOR)
    assert a.zone.to_text() == "." and a.ds[0].key_tag == 20326
    with pytest.raises(ValueError, match="DS or DNSKEY"):
        dnssec.parse_anchor("lab. IN A 192.0.2.1")
    with pytest.raises(ValueError, match="same zone"):
        dnssec.parse_anchor(dnssec.ROOT_ANCHOR + "fr. IN DS 1 8 2 " + "00" * 32 + "\n")
    with pytest.raises(ValueError, match="empty"):
        dnssec.parse_anchor("; nothing\n")


def test_dns_wire_query_and_hostile_answers():
    import struct

    from cyberaudit.probes.resolver import wire as w

    wire, question = w.encode_query(0x1234, "Exemple.FR", w.TXT, dnssec=True)
    assert wire[:2] == b"\x12\x34" and struct.unpack("!H", wire[2:4])[0] == w.RD | w.CD
    assert question == b"\x07exemple\x02fr\x00\x00\x10\x00\x01"
    assert wire.endswith(b"\x00\x00\x29\x04\xd0\x00\x00\x80\x00\x00\x00")  # OPT, 1232, DO bit
    assert w.name_to_wire(r"\027\[x.\<b\>") == b"\x03\x1b[x\x03<b>\x00"
    # answer: one TXT with a control byte, owner compressed; then a pointer loop must be refused
    answer = (b"\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00" + question
              + b"\xc0\x0c\x00\x10\x00\x01\x00\x00\x01\x2c\x00\x05\x04a\x1bb\xff")
    msg = w.decode(answer)
    assert msg.answer[0].name == "exemple.fr" and msg.answer[0].data.strings == (b"a\x1bb\xff",)
    with pytest.raises(w.WireError):
        w.decode(answer[:12] + b"\xc0\x0c\x00\x10\x00\x01")  # pointer to itself
    with pytest.raises(w.WireError):
        w.decode(answer[:-2])  # record runs past the message
    with pytest.raises(w.WireError):
        w.name_to_wire("a" * 64 + ".fr")


def test_dns_wire_names_in_record_data_stay_within_the_record():
    from cyberaudit.probes.resolver import wire as w

    _, question = w.encode_query(0x1234, "exemple.fr", w.MX)
    head = b"\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00" + question

    def mx(rdata: bytes, extra: bytes = b"") -> bytes:
        return head + b"\xc0\x0c\x00\x0f\x00\x01\x00\x00\x01\x2c" + len(rdata).to_bytes(2, "big") + rdata + extra

    ok = w.decode(mx(b"\x00\x0a\x02mx\xc0\x0c"))
    assert (ok.answer[0].data.preference, ok.answer[0].data.exchange) == (10, "mx.exemple.fr")
    with pytest.raises(w.WireError, match="short MX"):
        w.decode(mx(b"\x00\x0a"))  # a 2-byte MX: preference only
    # the exchange name claims 2 bytes of rdata but runs on into the bytes that follow the record
    with pytest.raises(w.WireError, match="past its record"):
        w.decode(mx(b"\x00\x0a\x02", b"mx\x00"))
    with pytest.raises(w.WireError, match="bad A"):
        w.decode(head[:-4] + b"\x00\x01\x00\x01" + b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x01\x2c\x00\x03\x7f\x00\x00")
