"""The scan's hot path keeps its meaning: names behind compression pointers, results handed from a worker."""

from __future__ import annotations

import asyncio
import struct

import pytest

from cyberaudit.checks import REGISTRY, load_all
from cyberaudit.model import Finding, Status, TargetResult, Text
from cyberaudit.probes import handover
from cyberaudit.probes.resolver import wire as w


def _rr(name: bytes, rtype: int, rdata: bytes) -> bytes:
    return name + struct.pack("!HHIH", rtype, 1, 300, len(rdata)) + rdata


def _answer(*records: bytes, an: int) -> bytes:
    question = w.name_to_wire("mairie.exemple.fr") + struct.pack("!HH", w.MX, 1)
    return struct.pack("!HHHHHH", 7, 0x8180, 1, an, 0, 0) + question + b"".join(records)


def test_names_behind_pointers_read_the_same_each_time():
    # question name at 12; "mx" + pointer to 12; a second record whose owner and target point into the
    # first one's rdata (a pointer to a pointer): every name is read once and reused
    first = _rr(b"\xc0\x0c", w.MX, b"\x00\x0a\x02mx\xc0\x0c")
    at = 12 + len(w.name_to_wire("mairie.exemple.fr")) + 4 + 2 + 10 + 2  # where "mx.<pointer>" starts
    second = _rr(b"\xc0\x0c", w.MX, b"\x00\x14\x04mx-2" + struct.pack("!H", 0xC000 | (at + 3)))
    third = _rr(struct.pack("!H", 0xC000 | at), w.A, b"\xc0\x00\x02\x01")
    msg = w.decode(_answer(first, second, third, an=3))
    assert [(r.name, getattr(r.data, "exchange", None)) for r in msg.answer] == [
        ("mairie.exemple.fr", "mx.mairie.exemple.fr"), ("mairie.exemple.fr", "mx-2.mairie.exemple.fr"),
        ("mx.mairie.exemple.fr", None)]


_SECOND_RDATA = 12 + len(w.name_to_wire("mairie.exemple.fr")) + 4 + (2 + 10 + 6) + (2 + 10)  # offset in _answer


@pytest.mark.parametrize("bad", [
    b"\x00\x0a" + struct.pack("!H", 0xC000 | (_SECOND_RDATA + 2)),  # a pointer to itself
    b"\x00\x0a" + b"\x3f" + b"a" * 63 + b"\x3f" + b"b" * 63 + b"\x3f" + b"c" * 63 + b"\x3c" + b"d" * 60 + b"\xc0\x0c",  # > 255 bytes
])
def test_bad_names_behind_pointers_are_still_refused(bad):
    first = _rr(b"\xc0\x0c", w.MX, b"\x00\x0a\x02mx\xc0\x0c")  # 6 bytes of rdata: the question name is read
    with pytest.raises(w.WireError):
        w.decode(_answer(first, _rr(b"\xc0\x0c", w.MX, bad), an=2))


def test_worker_results_come_back_equal_and_share_the_check_texts():
    load_all()
    info = REGISTRY["dns.axfr.refused"]
    one = info.finding("pass", target="a.lab", evidence={"servers": {"ns1 (192.0.2.1)": "refused"}},
                       detail=Text(fr="transfert refusé", en="transfer refused"))
    two = info.finding("fail", target="a.lab", evidence={"servers": {}, "n": [1, 2.5, None]}, severity="critical")
    odd = one.model_copy(update={"title": Text(fr="autre titre", en="other title")})
    sent = [TargetResult(target="a.lab", findings=[one, two, odd]), TargetResult(target="b.lab", findings=[])]
    got = handover.unpack([handover.pack(tr) for tr in sent])
    assert got == sent
    assert [tr.model_dump(mode="json") for tr in got] == [tr.model_dump(mode="json") for tr in sent]
    a, b, c = got[0].findings
    assert a.title is info.title and a.remediation is info.remediation  # one copy, the registry's
    assert c.title == odd.title and c.title is not info.title
    assert b.severity.value == "critical" and b.status.value == "fail"
    assert a.__pydantic_fields_set__ == set(Finding.model_fields)
    assert b.model_copy(update={"status": Status.WARN}).status is Status.WARN and b.status is Status.FAIL


def test_a_batch_is_sent_when_full_and_when_flushed():
    sent: list = []
    batch = handover.Batch(sent.append)
    load_all()
    async def go():
        for i in range(handover.BATCH + 3):
            batch.add(TargetResult(target=f"t{i}.lab", findings=[]))
        assert [len(rows) for rows in sent] == [handover.BATCH]
        batch.flush()

    asyncio.run(go())
    assert [len(rows) for rows in sent] == [handover.BATCH, 3]
    assert [tr.target for rows in sent for tr in handover.unpack(rows)] == [f"t{i}.lab" for i in range(handover.BATCH + 3)]
