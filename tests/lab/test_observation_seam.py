"""Probes observe, judges judge: a real scan saves its observations, and judging them again gives the scan's
findings; a crashed or late probe is saved as such; one or two worker processes save the same file."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re

from cyberaudit.disk import workspace
from cyberaudit.disk.observations import ObservationLog
from cyberaudit.model import DomainAsset, HostAsset, Inventory, Organisation
from cyberaudit.probes import Target
from cyberaudit.probes import dns as dns_probe
from cyberaudit.probes import pipeline as scanning
from cyberaudit.probes.net import Net

from .test_ports_listeners import Listeners
from .util import lab_address

ZONE = """
    @ MX 10 mx
    mx A 192.0.2.1
    @ TXT "v=spf1 mx ~all"
    _dmarc TXT "v=DMARC1; p=quarantine"
    famille CNAME parti.ailleurs.lab.
"""


def _findings(doc: dict) -> list:
    return [(r["target"], f["id"], f["status"], json.dumps(f.get("evidence"), sort_keys=True))
            for r in doc["results"] for f in r["findings"]]


def test_scan_saves_observations_and_rejudge_reproduces_the_findings(knot_lab, run_cli, tmp_path):
    lab = knot_lab()
    lab.add_zone("lab.", "", signed=True)
    lab.add_zone("seam.lab.", ZONE)
    lab.add_zone("absent-pas.lab.", "")
    lab.start()
    anchor = tmp_path / "anchor.txt"
    anchor.write_text(lab.trust_anchor(), encoding="utf-8")
    host = lab_address("ports")
    org = Organisation(name="Commune de Test", siren="213105554", kind="commune", inventory=Inventory(
        domains=[DomainAsset(name="seam.lab", web_names=["famille.seam.lab"]), DomainAsset(name="nulle-part.lab")],
        hosts=[HostAsset(name=host, scope=["ports"], authorized_by="Mme Test", authorized_on=dt.date(2026, 11, 1))]))
    ws = workspace.create(tmp_path / "ws", org)
    with Listeners(host) as ls:
        ls.open(3389)
        code, _, err = run_cli("scan", "--workspace", ws.root, "--checks", "dns,mail,ports", "--nameserver",
                               lab.nameserver, "--trust-anchor", anchor, "--timeout", "1")
    assert code == 0, err
    scanned = json.loads(ws.path(workspace.LATEST_SCAN).read_text(encoding="utf-8"))
    lines = ws.path(workspace.OBSERVATIONS).read_text(encoding="utf-8").splitlines()
    head, records = json.loads(lines[0]), [json.loads(x) for x in lines[1:]]
    assert head["schema"] == "cyberaudit/observations/v1" and head["checks"] == ["dns", "mail", "ports"]
    assert [r["target"] for r in records] == sorted([host, "nulle-part.lab", "seam.lab"])
    by = {r["target"]: r["families"] for r in records}
    assert set(by["seam.lab"]) == {"dns", "mail"} and set(by[host]) == {"ports"}
    assert by["nulle-part.lab"]["dns"]["soa"] == "nxdomain"  # the fact, not a verdict
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", by["seam.lab"]["dns"]["observed_at"])
    assert "status" not in by[host]["ports"] or by[host]["ports"]["status"] not in ("pass", "fail")
    statuses = {(t, i): s for t, i, s, _ in _findings(scanned)}
    assert statuses[("nulle-part.lab", "dns.zone.resolves")] == "fail"
    assert statuses[("seam.lab", "dns.cname.dangling")] == "fail"
    assert statuses[(host, "ports.rdp.exposed")] == "fail"

    code, _, err = run_cli("scan", "--rejudge", "--workspace", ws.root)  # no --nameserver: nothing is sent
    assert code == 0, err
    again = json.loads(ws.path(workspace.LATEST_SCAN).read_text(encoding="utf-8"))
    assert _findings(again) == _findings(scanned)
    assert again["catalogue"] == scanned["catalogue"]


def test_crashed_and_late_probes_are_saved_as_probe_errors(knot_lab, monkeypatch):
    lab = knot_lab()
    lab.add_zone("lab.", "")
    for name in ("boum.lab", "lent.lab", "bon.lab"):
        lab.add_zone(name, '@ MX 10 mx\nmx A 192.0.2.1\n@ TXT "v=spf1 mx -all"\n')
    lab.start()
    real = dns_probe.observe

    async def observe(target, net):
        if target.name == "boum.lab":
            raise RuntimeError("probe bug")
        if target.name == "lent.lab":
            await asyncio.sleep(30)
        return await real(target, net)

    monkeypatch.setattr(dns_probe, "observe", observe)
    net = Net(nameserver=lab.address, timeout=1, deadline=3)
    with ObservationLog() as log:
        result = scanning.scan([Target(n, "domain", frozenset({"dns"})) for n in ("boum.lab", "lent.lab", "bon.lab")],
                               ["dns", "mail"], net, observations=log.add)
        saved = {json.loads(x)["target"]: json.loads(x)["families"]
                 for x in b"".join(log.chunks(result)).decode().splitlines()[1:]}
    assert saved["boum.lab"]["dns"] == {"probe_error": "RuntimeError: probe bug"}
    assert saved["lent.lab"]["dns"] == {"probe_error": "deadline"}
    assert saved["boum.lab"]["mail"]["mx"]["status"] == "ok"  # the other family of the target is kept
    found = {(r.target, f.id): f for r in result.results for f in r.findings}
    assert found[("boum.lab", "dns.probe.error")].evidence["reason"] == "RuntimeError: probe bug"
    assert found[("lent.lab", "dns.probe.error")].evidence["reason"] == "deadline"
    assert found[("bon.lab", "dns.zone.resolves")].status.value == "pass"
    assert found[("boum.lab", "mail.spf.policy")].status.value == "pass"


def test_two_workers_save_the_same_observations_as_one(knot_lab):
    lab = knot_lab()
    lab.add_zone("lab.", "")
    names = [f"o{i:02d}.lab" for i in range(6)]
    for name in names:
        lab.add_zone(name, '@ MX 10 mx\nmx A 192.0.2.1\n@ TXT "v=spf1 mx -all"\n')
    lab.start()
    files = []
    for workers in (1, 2):
        net = Net(nameserver=lab.address, timeout=1, options={"workers": workers})
        with ObservationLog() as log:
            result = scanning.scan([Target(n, "domain", frozenset({"dns"})) for n in reversed(names)], ["dns", "mail"],
                                   net, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), observations=log.add)
            text = b"".join(log.chunks(result)).decode()
        files.append(re.sub(r'"observed_at":"[^"]+"', '"observed_at":"T"', text))
    assert files[0] == files[1]
    assert [json.loads(x)["target"] for x in files[0].splitlines()[1:]] == names
