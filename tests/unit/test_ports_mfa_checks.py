"""Pure judge of the mfa family: signatures, DNS inference, SSH methods, findings."""

from __future__ import annotations

import pytest

from cyberaudit.checks import REGISTRY
from cyberaudit.checks import mfa as mc
from cyberaudit.errors import InputError
from cyberaudit.model import Status

ISSUE_PRODUCTS = ["Fortinet", "GlobalProtect", "Ivanti", "Citrix", "Cisco", "SonicWall", "Stormshield", "OpenVPN",
                  "WatchGuard", "Outlook", "Roundcube", "Zimbra", "SOGo", "BlueMind", "SnappyMail", "RD Web",
                  "Guacamole", "Webmin", "Synology", "phpMyAdmin"]


def portal(pid):
    return next(p for p in mc.PORTALS.portals if p.id == pid)


def test_every_issue_product_has_a_signature_and_every_kind_a_check():
    products = " ".join(p.product for p in mc.PORTALS.portals)
    for name in ISSUE_PRODUCTS:
        assert name in products, name
    for kind in ("vpn", "webmail", "remote_desktop", "admin", "cloud_suite", "ssh_password"):
        assert f"mfa.surface.{kind}" in REGISTRY


def test_references_of_the_issue():
    assert {"anssi-pa-066:R40", "anssi-pa-066:R40-"} <= set(mc.SURFACES["webmail"].refs)
    for kind in ("vpn", "remote_desktop"):
        assert {"anssi-hygiene:13", "anssi-hygiene:32", "recyf:8.3"} <= set(mc.SURFACES[kind].refs)


def test_match_needs_status_and_every_marker():
    owa = portal("outlook_web_app")
    page = '<title>x</title><link href="/owa/auth/s.css">Outlook'
    assert mc.match(owa, 200, {}, page)
    assert mc.match(owa, 404, {}, page) is None
    assert mc.match(owa, 200, {}, "<p>Outlook</p>") is None


def test_match_only_reads_the_bounded_prefix():
    rc = portal("roundcube")
    page = "x" * mc.BODY_LIMIT + '<input id="rcmloginuser"><input type="password">'
    assert mc.match(rc, 200, {}, page) is None


def test_title_and_header_markers(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("schema: cyberaudit/mfa-portals/v1\nportals:\n  - id: x\n    product: X\n    kind: vpn\n"
                   "    paths: [/]\n    title: 'Portail X'\n    headers: {Set-Cookie: 'XSESS='}\n")
    p = mc.load_portals(bad).portals[0]
    assert mc.match(p, 200, {"set-cookie": "XSESS=1"}, "<title>\n Portail X </title>")
    assert mc.match(p, 200, {}, "<title>Portail X</title>") is None


@pytest.mark.parametrize("body", ["    paths: [/]\n", "    paths: [/]\n    body: ['(unclosed']\n",
                                  "    paths: [relative]\n    body: [x]\n", "    paths: [/]\n    body: [x]\n"
                                  "    endpoints: ['ftp:21']\n"])
def test_bad_signature_files_are_input_errors(tmp_path, body):
    bad = tmp_path / "p.yaml"
    bad.write_text("schema: cyberaudit/mfa-portals/v1\nportals:\n  - id: x\n    product: X\n    kind: vpn\n" + body)
    with pytest.raises(InputError) as exc:
        mc.load_portals(bad)
    assert exc.value.file.endswith("p.yaml")


def test_cloud_suites():
    ms = mc.cloud_suites(["ville-fr.mail.protection.outlook.com."], ["autodiscover.outlook.com."], ["MS=ms123"])
    assert ms == [{"product": "Microsoft 365", "signals": ["mx", "autodiscover", "txt"],
                   "url": "https://login.microsoftonline.com/"}]
    g = mc.cloud_suites(["aspmx.l.google.com."], [], ["google-site-verification=x"])
    assert [s["product"] for s in g] == ["Google Workspace"] and g[0]["signals"] == ["mx", "txt"]
    assert mc.cloud_suites(["mx.ovh.net."], [], ["google-site-verification=x"]) == []
    assert [s["product"] for s in mc.cloud_suites([], [], ["MS=ms1"])] == ["Microsoft 365"]
    assert mc.cloud_suites(["evil.google.com.attacker.example."], [], []) == []


def test_ssh_methods_parsing():
    out = "\n  Supported authentication methods: \n    publickey\n    password\n"
    assert mc.ssh_methods(out) == ["password", "publickey"]
    assert mc.ssh_methods(None) is None and mc.ssh_methods("ERROR: Script execution failed") is None
    assert mc.ssh_methods(out + "    \x1b[31mevil\n") == ["password", "publickey"]


def test_judge_surfaces_warn_rdp_fails_and_evidence_is_clean():
    obs = {"authorization": "A, 2026-01-01", "names": ["192.0.2.1"],
           "surfaces": [{"kind": "vpn", "product": "P", "id": "p", "url": "https://192.0.2.1/", "host": "192.0.2.1"}],
           "rdp": [{"host": "192.0.2.1", "address": "192.0.2.1", "port": 3389}], "ssh": [], "cloud": []}
    fs = {f.id: f for f in mc.judge({**obs, "target": "192.0.2.1"})}
    assert fs["mfa.surface.vpn"].status is Status.WARN
    assert {k: fs["mfa.surface.vpn"].evidence[k] for k in ("product", "url", "host")} == {
        "product": "P", "url": "https://192.0.2.1/", "host": "192.0.2.1"}
    assert fs["mfa.surface.remote_desktop"].status is Status.FAIL
    assert fs["mfa.surface.remote_desktop"].evidence["confirmable"] is True
    assert "confirmable" not in fs["mfa.surface.vpn"].evidence
    assert "mfa.surface.none" not in fs
    assert all(f.evidence["authorization"] == "A, 2026-01-01" for f in fs.values())


@pytest.mark.parametrize("methods,status", [(["password", "publickey"], Status.FAIL),
                                            (["keyboard-interactive", "publickey"], Status.WARN),
                                            (["publickey"], Status.PASS), (None, Status.ERROR)])
def test_judge_ssh(methods, status):
    obs = {"ssh": [{"host": "h", "address": "192.0.2.1", "port": 22, "methods": methods, "engine": "nmap"}]}
    fs = {f.id: f for f in mc.judge({**obs, "target": "h"})}
    assert fs["mfa.surface.ssh_password"].status is status
    assert fs["mfa.surface.ssh_password"].evidence.get("confirmable", False) is (status is Status.FAIL)


def test_join_with_interview_turns_warn_and_confirmable_fail_into_pass():
    """The assess side (cyberaudit/joins.py) accepts our evidence as is."""
    joins = pytest.importorskip("cyberaudit.assessment.joins")
    import datetime as dt

    from cyberaudit.model import Answer

    class Q:
        def __init__(self, qid, fid):
            self.id, self.confirms, self.refutes = qid, [fid], []
            from cyberaudit.model import Text
            self.text = Text(fr="MFA ?", en="MFA?")

        def parse_value(self, v):
            return v

        def score_of(self, v, when):
            return 1.0 if v == "yes" else 0.0

        def label_of(self, v):
            from cyberaudit.model import Text
            return Text(fr="oui", en="yes")

    class Content:
        questions = {"q.vpn": Q("q.vpn", "mfa.surface.vpn"), "q.rdp": Q("q.rdp", "mfa.surface.remote_desktop")}

    obs = {"surfaces": [{"kind": "vpn", "product": "P", "id": "p", "url": "https://h/", "host": "h"}],
           "rdp": [{"host": "h", "address": "192.0.2.1", "port": 3389}], "ssh": [], "cloud": []}
    at = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    out = {f.id: f for f in joins.apply(mc.judge({**obs, "target": "h"}), {"q.vpn": Answer(value="yes", at=at),
                                                             "q.rdp": Answer(value="yes", at=at)}, Content())}
    for fid in ("mfa.surface.vpn", "mfa.surface.remote_desktop"):
        assert out[fid].status is Status.PASS
        assert out[fid].evidence["product"] and out[fid].evidence["interview"]["question"]


def test_nothing_found_passes_and_errors_stay_errors():
    (f,) = mc.judge({"target": "h", "surfaces": [], "rdp": [], "ssh": [], "cloud": []})
    assert f.id == "mfa.surface.none" and f.status is Status.PASS
    (g,) = mc.judge({"target": "h", "error": "resolution: nxdomain"})
    assert g.status is Status.ERROR
