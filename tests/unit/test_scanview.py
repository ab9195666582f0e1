"""Where a finding lies, the summary order and the filters of the scan view (scanview/), on hand-made results."""

from __future__ import annotations

import pytest

from cyberaudit.model import Finding, ScanResult, TargetResult, Text
from cyberaudit.scanview.locate import locate
from cyberaudit.scanview.triage import build, parse_only


def f(cid, status, severity="medium", target=None, **evidence) -> Finding:
    return Finding(id=cid, status=status, severity=severity, title=Text(fr=f"Titre {cid}", en=f"Title {cid}"),
                   detail=Text(fr="constat", en="finding"), target=target, evidence=evidence)


def domain(name, *findings) -> TargetResult:
    base = [f("dns.zone.resolves", "pass"), f("mail.mx.present", "pass", mx=[{"host": f"mx.{name}", "pref": 10}]),
            f("dns.ns.redundancy", "pass", ns={f"ns1.{name}": {}, f"ns2.{name}.": {}})]
    return TargetResult(target=name, findings=[*base, *findings])


def where(tr):
    return {(fd.id, fd.target): loc for fd, loc in locate(tr)}


def test_roles_come_from_the_targets_own_mx_and_ns_evidence():
    tr = domain("ville.fr", f("tls.cert.expiry", "fail", target="www.ville.fr", address="192.0.2.1"),
                f("mail.starttls.supported", "error", target="mx.ville.fr", address="192.0.2.9"),
                f("tls.https.available", "pass", target="ns2.ville.fr", address="192.0.2.5", port=443),
                f("tls.https.available", "pass", target="portail.ville.fr", address="192.0.2.7", port=8443))
    loc = where(tr)
    assert loc[("dns.zone.resolves", None)].role == "domain" and loc[("dns.zone.resolves", None)].host == "ville.fr"
    assert loc[("tls.cert.expiry", "www.ville.fr")].role == "www"
    assert loc[("mail.starttls.supported", "mx.ville.fr")].role == "mx"
    assert loc[("tls.https.available", "ns2.ville.fr")].role == "ns"  # trailing dot of the NS name ignored
    assert loc[("tls.https.available", "portail.ville.fr")].role == "web"


def test_a_host_target_without_dns_or_mail_findings_is_a_host():
    tr = TargetResult(target="intranet.ville.fr",
                      findings=[f("tls.https.available", "fail", target="intranet.ville.fr", address="192.0.2.3")])
    assert [loc.role for _, loc in locate(tr)] == ["host"]


def test_port_comes_from_evidence_url_sibling_or_the_familys_service():
    tr = domain("ville.fr",
                f("tls.https.available", "pass", target="www.ville.fr", address="192.0.2.1", port=8443),
                f("tls.cert.expiry", "fail", target="www.ville.fr", address="192.0.2.1"),
                f("web.headers.security", "fail", target="www.ville.fr", url="https://www.ville.fr:8443/"),
                f("mail.starttls.supported", "warn", target="mx.ville.fr", address="2001:db8::25"),
                f("tls.cert.trusted", "fail", target="autre.ville.fr", address="192.0.2.8"))
    loc = where(tr)
    assert loc[("tls.cert.expiry", "www.ville.fr")].endpoint == "192.0.2.1:8443"  # the same host, address, family
    assert loc[("web.headers.security", "www.ville.fr")].endpoint == "192.0.2.1:8443"  # one address known
    assert loc[("mail.starttls.supported", "mx.ville.fr")].endpoint == "[2001:db8::25]:25"
    assert loc[("tls.cert.trusted", "autre.ville.fr")].endpoint == "192.0.2.8:443"
    assert loc[("dns.zone.resolves", None)].endpoint == ""  # a zone-wide finding has no endpoint


def test_an_address_is_not_guessed_for_a_host_served_by_several():
    tr = domain("ville.fr",
                f("tls.cert.expiry", "fail", target="www.ville.fr", address="192.0.2.1"),
                f("tls.protocol.legacy", "fail", target="www.ville.fr", address="192.0.2.2"),
                f("web.headers.security", "fail", target="www.ville.fr", url="https://www.ville.fr/"))
    loc = where(tr)[("web.headers.security", "www.ville.fr")]
    assert loc.address is None and loc.port == 443


def test_targets_rank_worst_first_and_untested_counts_like_failed():
    healthy = domain("sain.fr", f("mail.dmarc.policy", "warn", "high"))
    broken = domain("casse.fr", f("mail.dmarc.policy", "fail", "high"), f("dns.caa.present", "fail", "low"))
    untested = domain("muet.fr", f("tls.cert.expiry", "error", "critical", target="www.muet.fr"))
    minor = domain("mineur.fr", f("dns.caa.present", "fail", "low"))
    result = ScanResult(tool_version="t", results=[healthy, minor, broken, untested])
    view = build(result)
    assert [tv.target for tv in view.targets] == ["muet.fr", "casse.fr", "mineur.fr", "sain.fr"]
    casse = view.targets[1]
    assert casse.counts == {"fail": 2, "pass": 3} and casse.worst.value == "high"
    assert [x.id for x in casse.top] == ["mail.dmarc.policy", "dns.caa.present"]
    assert view.totals["fail"] == 3 and view.totals["error"] == 1 and view.totals["warn"] == 1


def test_details_leave_out_passing_rows_unless_all_and_sort_by_host_then_severity():
    tr = domain("ville.fr", f("dns.caa.present", "warn", "low"), f("mail.dmarc.policy", "fail", "high"),
                f("tls.cert.expiry", "fail", "critical", target="www.ville.fr", address="192.0.2.1"),
                f("mail.starttls.supported", "error", "high", target="mx.ville.fr", address="192.0.2.9"))
    result = ScanResult(tool_version="t", results=[tr])
    ((_, rows),) = list(build(result).details())
    assert [(r.location.role, r.finding.id) for r in rows] == [
        ("domain", "mail.dmarc.policy"), ("domain", "dns.caa.present"), ("www", "tls.cert.expiry"),
        ("mx", "mail.starttls.supported")]
    ((_, every),) = list(build(result, show_all=True).details())
    assert len(every) == len(tr.findings) and any(r.finding.status.value == "pass" for r in every)


def test_only_filters_by_id_prefix_or_family_and_refuses_what_matches_nothing():
    tr = domain("ville.fr", f("mail.dmarc.policy", "fail", "high"), f("mail.spf.policy", "fail", "high"),
                f("tls.cert.expiry", "fail", target="www.ville.fr"))
    result = ScanResult(tool_version="t", results=[tr])
    ids = lambda only: sorted(r.finding.id for tv in build(result, only=only, show_all=True).targets for r in tv.rows)  # noqa: E731
    assert ids(["mail.spf.policy"]) == ["mail.spf.policy"]
    assert ids(["tls"]) == ["tls.cert.expiry"]
    assert ids(["mail"]) == ["mail.dmarc.policy", "mail.mx.present", "mail.spf.policy"]
    assert ids(["mail.spf"]) == ["mail.spf.policy"]  # a prefix of whole parts: "mail.sp" would not match
    known = ["mail.spf.policy", "tls.cert.expiry"]
    assert parse_only("TLS, mail.spf.policy", known) == ["tls", "mail.spf.policy"]
    with pytest.raises(ValueError, match="mail.sp$"):
        parse_only("tls,mail.sp", known)
