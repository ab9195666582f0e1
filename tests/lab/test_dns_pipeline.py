"""The scan pipeline on two worker processes gives exactly what one process gives."""

from __future__ import annotations

import datetime as dt

from cyberaudit.disk.fileio import dumps_json
from cyberaudit.disk.scan_json import json_chunks
from cyberaudit.probes import Target
from cyberaudit.probes import pipeline as scanning
from cyberaudit.probes.net import Net


def test_two_workers_are_deterministic_and_complete(knot_lab):
    lab = knot_lab()
    lab.add_zone("lab.", "")
    names = [f"p{i:02d}.lab" for i in range(30)]
    for i, name in enumerate(names):
        spf = "-all" if i % 3 else "~all"
        lab.add_zone(name, f'@ MX 10 mx\nmx A 192.0.2.1\n@ TXT "v=spf1 mx {spf}"\n')
    lab.start()
    targets = [Target(n, "domain", frozenset({"dns"})) for n in reversed(names)]
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    seen = []
    texts = []
    for workers in (1, 2):
        net = Net(nameserver=lab.address, timeout=1, options={"workers": workers})
        result = scanning.scan(targets, ["dns", "mail"], net, now=now,
                               progress=lambda name, done, total, w=workers: seen.append((w, done, total)))
        texts.append(dumps_json(result))
        assert "".join(json_chunks(result)) == texts[-1]  # streamed JSON is the same text
        assert [r.target for r in result.results] == names
    assert texts[0] == texts[1]
    assert [d for w, d, _ in seen if w == 2] == list(range(1, 31))
    assert "mail.spf.policy" in texts[0] and '"status":"warn"' in texts[0]


def test_concurrent_scans_sharing_settings_do_not_close_each_others_client(knot_lab):
    """As the territory scan does: several scan_async at once in one loop with the same Net."""
    import asyncio

    lab = knot_lab()
    lab.add_zone("lab.", "")
    for name in ("a.lab", "b.lab", "c.lab"):
        lab.add_zone(name, '@ MX 10 mx\nmx A 192.0.2.1\n@ TXT "v=spf1 mx -all"\n')
    lab.start()
    net = Net(nameserver=lab.address, timeout=1)

    async def both():
        quick = scanning.scan_async([Target("a.lab", "domain", frozenset({"dns"}))], ["mail"], net)
        slow = scanning.scan_async([Target(n, "domain", frozenset({"dns"})) for n in ("b.lab", "c.lab")],
                                   ["dns", "mail"], net)
        return await asyncio.gather(quick, slow)

    first, second = asyncio.run(both())
    errors = [(f.id, f.evidence) for tr in first + second for f in tr.findings
              if f.status.value == "error" and f.id != "dns.dnssec.valid"]  # no trust anchor: error expected
    assert errors == []
    assert len(second) == 2
