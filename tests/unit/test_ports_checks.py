"""Pure judge of port-scan observations and the port list data file."""

from __future__ import annotations

import pytest

from cyberaudit.checks import REGISTRY
from cyberaudit.checks import ports as pc
from cyberaudit.errors import InputError
from cyberaudit.model import Severity, Status

ISSUE_SERVICES = {  # every service the issue lists, with its ports
    "rdp": [3389], "smb": [445, 139], "telnet": [23], "ftp": [21], "ssh": [22], "vnc": [5900, 5901],
    "mysql": [3306], "postgresql": [5432], "mssql": [1433], "oracle": [1521], "mongodb": [27017],
    "redis": [6379], "elasticsearch": [9200], "memcached": [11211], "docker": [2375, 2376],
    "kubernetes_api": [6443], "kubelet": [10250], "ldap": [389, 636], "ipmi": [623], "webmin": [10000],
    "nas_admin": [5000, 5001], "printer": [9100, 631], "rtsp": [554], "modbus": [502],
}


def judge_at(target, obs):
    """The ports judge on an observation of `target`."""
    from cyberaudit.checks.ports import judge

    return judge({**obs, "target": target})


def obs(*ports, engine="nmap", **extra):
    return {"engine": engine, "scan_type": "connect", "mode": "curated", "authorization": "Mme Durand, 2026-11-02",
            "addresses": ["192.0.2.10"],
            "hosts": {"192.0.2.10": {"timed_out": False, "ports": [
                {"port": p, "protocol": proto, "state": state, "service": None, **({"banner": b} if b else {})}
                for p, proto, state, b in ports]}}, **extra}


def test_every_issue_service_is_in_the_list_with_its_ports():
    rows = {r.service: r for r in pc.TABLE.services}
    for service, ports in ISSUE_SERVICES.items():
        assert service in rows, service
        assert set(ports) <= set(rows[service].ports), service
        assert f"ports.{service}.exposed" in REGISTRY
        assert rows[service].reason.fr and rows[service].reason.en


def test_critical_services_are_high_or_critical():
    rows = {r.service: r for r in pc.TABLE.services}
    for service in ("rdp", "smb", "telnet", "mysql", "postgresql", "mssql", "mongodb", "redis", "docker", "vnc"):
        assert rows[service].severity in ("critical", "high"), service


def test_plan_curated_and_top100():
    curated = pc.port_plan("curated")
    assert 3389 in curated["tcp"] and 623 in curated["udp"] and 80 not in curated["tcp"]
    top = pc.port_plan("top100")
    assert set(curated["tcp"]) < set(top["tcp"]) and 80 in top["tcp"]
    with pytest.raises(ValueError):
        pc.port_plan("everything")


def test_open_rdp_fails_with_evidence():
    fs = {f.id: f for f in judge_at("192.0.2.10", obs((3389, "tcp", "open", None), (445, "tcp", "closed", None)))}
    rdp = fs["ports.rdp.exposed"]
    assert rdp.status is Status.FAIL and rdp.severity is Severity.CRITICAL
    assert rdp.evidence["port"] == 3389 and rdp.evidence["protocol"] == "tcp" and rdp.evidence["engine"] == "nmap"
    assert "ports.smb.exposed" not in fs
    assert fs["ports.risky.none"].status is Status.INFO
    assert all(f.evidence["authorization"] == "Mme Durand, 2026-11-02" for f in fs.values())


def test_two_ports_of_one_service_give_one_finding():
    fs = judge_at("192.0.2.10", obs((445, "tcp", "open", None), (139, "tcp", "open", None)))
    smb = [f for f in fs if f.id == "ports.smb.exposed"]
    assert len(smb) == 1 and smb[0].evidence["ports"] == [139, 445]


def test_nothing_open_passes_and_counts_folded_ports():
    o = obs((3389, "tcp", "closed", None))
    o["hosts"]["192.0.2.10"]["extra"] = {"closed": 30, "filtered": 2}
    (f,) = judge_at("192.0.2.10", o)
    assert f.id == "ports.risky.none" and f.status is Status.PASS
    assert f.evidence["closed"] == 31 and f.evidence["filtered"] == 2


def test_open_filtered_udp_is_not_an_exposure():
    fs = judge_at("192.0.2.10", obs((623, "udp", "open|filtered", None)))
    assert [f.id for f in fs] == ["ports.risky.none"] and fs[0].status is Status.PASS


def test_timeout_and_error_are_errors_not_failures():
    o = obs()
    o["hosts"]["192.0.2.10"]["timed_out"] = True
    (f,) = judge_at("192.0.2.10", o)
    assert f.status is Status.ERROR and f.evidence["timed_out"] == ["192.0.2.10"]
    (g,) = judge_at("x.example", {"error": "resolution: nxdomain", "authorization": "A, 2026-01-01"})
    assert g.status is Status.ERROR and g.evidence["authorization"] == "A, 2026-01-01"


def test_other_open_ports_are_info():
    fs = {f.id: f for f in judge_at("192.0.2.10", obs((80, "tcp", "open", None)))}
    assert fs["ports.other.open"].status is Status.INFO
    assert fs["ports.risky.none"].status is Status.PASS


def test_banner_is_kept_in_evidence():
    fs = {f.id: f for f in judge_at("192.0.2.10", obs((22, "tcp", "open", "SSH-2.0-OpenSSH_9.2")))}
    assert fs["ports.ssh.exposed"].evidence["banner"] == "SSH-2.0-OpenSSH_9.2"


def test_bad_data_file_names_file_and_line(tmp_path):
    bad = tmp_path / "ports.yaml"
    bad.write_text("schema: cyberaudit/ports/v1\nservices:\n  - service: rdp\n    label: RDP\n    ports: [70000]\n"
                   "    severity: critical\n    reason: {fr: a, en: b}\n")
    with pytest.raises(InputError) as exc:
        pc.load_table(bad)
    assert exc.value.line == 5 or "ports" in str(exc.value.field)
    dup = tmp_path / "dup.yaml"
    dup.write_text("schema: cyberaudit/ports/v1\nservices:\n"
                   "  - {service: a, label: A, ports: [1], severity: low, reason: {fr: a, en: a}}\n"
                   "  - {service: b, label: B, ports: [1], severity: low, reason: {fr: a, en: a}}\n")
    with pytest.raises(InputError):
        pc.load_table(dup)
