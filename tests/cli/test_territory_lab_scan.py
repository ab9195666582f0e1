"""`cyberaudit scan --territory` with the real probes against a real knot on loopback."""

from __future__ import annotations

import json

import pytest

from cyberaudit.disk.workspace import Workspace, save_organisation
from cyberaudit.model import DomainAsset
from cyberaudit.territory import synthetic
from cyberaudit.territory.create import create_territory

pytestmark = pytest.mark.lab
MEMBERS = 12


def free_address() -> str:
    from tests.lab.conftest import free_dns_address

    return free_dns_address("territory")


@pytest.fixture
def knot(tmp_path):
    from tests.lab.knot import KnotLab, add_member_zones

    lab = add_member_zones(KnotLab(tmp_path / "knot", free_address()), MEMBERS,
                           lambda i: "reject" if i % 2 else "none")
    lab.start()
    yield lab
    lab.stop()


def test_scan_territory_against_knot(tmp_path, knot, run_cli):
    ms = [{"siren": synthetic.siren(700 + i), "name": f"Commune {i}", "kind": "commune"} for i in range(MEMBERS)]
    root = create_territory(tmp_path / "t", "Pays du Lab", ms)
    for i, m in enumerate(ms):
        ws = Workspace(root / "membres" / m["siren"])
        org = ws.load_organisation()
        org.inventory.domains = [DomainAsset(name=f"commune{i}.lab", scope=["dns"])]
        save_organisation(ws, org)
    code, out, err = run_cli("scan", "--territory", root, "--nameserver", knot.nameserver, "--checks", "dns,mail",
                             "--timeout", "2", "--format", "json")
    assert code == 0, err
    summary = json.loads(out)
    assert [m["status"] for m in summary["members"]] == ["ok"] * MEMBERS
    for i, m in enumerate(ms):
        saved = json.loads((root / "membres" / m["siren"] / "scans" / "latest.json").read_text())
        findings = {f["id"]: f for r in saved["results"] for f in r["findings"]}
        assert saved["results"][0]["target"] == f"commune{i}.lab"
        assert findings["dns.zone.resolves"]["status"] == "pass"
        expected = "pass" if i % 2 else "fail"  # p=reject vs p=none
        assert findings["mail.dmarc.policy"]["status"] in ((expected,) if i % 2 else ("fail", "warn"))
        # members finishing early must not cut the DNS queries of the others: nothing timed out
        untested = {f["id"]: f["evidence"].get("reason") for f in findings.values() if f["status"] == "error"}
        assert not [r for r in untested.values() if "timeout" in str(r)], untested
    # the two halves of a 2-job CI matrix together touch each member once
    before = {m["siren"]: (root / "membres" / m["siren"] / "scans" / "latest.json").read_bytes() for m in ms}
    seen = []
    for shard in ("1/2", "2/2"):
        code, out, err = run_cli("scan", "--territory", root, "--nameserver", knot.nameserver,
                                 "--checks", "dns,mail", "--timeout", "2", "--shard", shard, "--format", "json")
        assert code == 0, err
        seen += [m["siren"] for m in json.loads(out)["members"]]
        assert json.loads(out)["shard"]["index"] == int(shard[0])
    assert sorted(seen) == sorted(m["siren"] for m in ms)
    after = {m["siren"]: (root / "membres" / m["siren"] / "scans" / "latest.json").read_bytes() for m in ms}
    assert after == before  # nothing new found, nothing rewritten
    # --only narrows the summary's counts and --fail-on to the checks named; every check is still saved
    args = ("scan", "--territory", root, "--nameserver", knot.nameserver, "--checks", "dns,mail", "--timeout", "2",
            "--format", "json", "--fail-on", "low")
    code, out, _ = run_cli(*args)
    assert code == 1  # the p=none members fail somewhere
    code, out, err = run_cli(*args, "--only", "mail.dmarc.policy")
    narrowed = json.loads(out)["members"]
    assert [sum(m["counts"].values()) for m in narrowed] == [1] * MEMBERS
    assert [m["counts"] for m in narrowed[1::2]] == [{"pass": 1}] * (MEMBERS // 2)  # odd members: p=reject
    code, out, err = run_cli(*args, "--only", "dns.zone.resolves")
    assert code == 0, err
    assert [m["counts"] for m in json.loads(out)["members"]] == [{"pass": 1}] * MEMBERS
    saved = json.loads((root / "membres" / ms[0]["siren"] / "scans" / "latest.json").read_text())
    assert sum(summary["members"][0]["counts"].values()) == sum(len(r["findings"]) for r in saved["results"]) > 5
    code, _, err = run_cli("scan", "--territory", root, "--all")
    assert code == 2 and "--all" in err


def test_scan_territory_with_dnssec_trust_anchor(tmp_path, capsys):
    """The territory scan passes --trust-anchor to the probes: signed lab zones validate."""
    from cyberaudit.cli.territory_scan import run_territory_scan_command
    from tests.lab.knot import KnotLab

    lab = KnotLab(tmp_path / "knot", free_address())
    lab.add_zone("lab.", "", signed=True)
    lab.add_zone("signee.lab.", '@ TXT "v=spf1 -all"', signed=True)
    lab.add_zone("nonsignee.lab.", '@ TXT "v=spf1 -all"')
    lab.start()
    try:
        ms = [{"siren": synthetic.siren(950 + i), "name": f"C{i}", "kind": "commune"} for i in range(2)]
        root = create_territory(tmp_path / "t", "Pays", ms)
        for m, domain in zip(ms, ("signee.lab", "nonsignee.lab"), strict=True):
            ws = Workspace(root / "membres" / m["siren"])
            org = ws.load_organisation()
            org.inventory.domains = [DomainAsset(name=domain, scope=["dns"])]
            save_organisation(ws, org)
        anchor = tmp_path / "anchor.txt"
        anchor.write_text(lab.trust_anchor())
        run_territory_scan_command(territory=root, shard=None, checks="dns", nameserver=lab.nameserver,
                                   ca_bundle=None, timeout=2.0, concurrency=8, fmt="json", output=None,
                                   fail_on=None, trust_anchor=anchor)
        status = {}
        for m in ms:
            saved = json.loads((root / "membres" / m["siren"] / "scans" / "latest.json").read_text())
            status[m["siren"]] = {f["id"]: f["status"] for r in saved["results"] for f in r["findings"]}
        assert status[ms[0]["siren"]]["dns.dnssec.valid"] == "pass"
        assert status[ms[1]["siren"]]["dns.dnssec.valid"] == "fail"
        assert json.loads(capsys.readouterr().out)["totals"]["ok"] == 2
    finally:
        lab.stop()
