"""The privacy family in a real headless Chromium against the lab's sites (tests/lab/privacy_sites.py).

One scan of every lab site (privacy + web families, through the real pipeline) serves the whole module:
each check has passing and failing scenarios below, hostile pages must not derail the run, and every
connection — the proxy's upstream ones and the sockets Chromium itself opened (its net log) — stays in
127.0.0.0/8.
"""

from __future__ import annotations

import ipaddress
import json

import pytest

from .fixtures_tls import *  # noqa: F403  (pytest fixtures: test_ca, ca_bundle)
from .privacy_lab import PrivacyLab
from .util import require_binary

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def lab(tmp_path_factory, test_ca, ca_bundle):
    require_binary("chromium", package="chromium")
    lab = PrivacyLab(tmp_path_factory.mktemp("privacy"), test_ca, ca_bundle).start()
    yield lab
    lab.stop()


@pytest.fixture(scope="module")
def scan(lab, tmp_path_factory):
    from cyberaudit.probes import Target, pipeline

    log: list[dict] = []
    netlog = tmp_path_factory.mktemp("netlog") / "net.json"
    net = lab.net(browser_pages=4, browser_connections=log, browser_netlog=str(netlog), browser_max_navigations=3)
    # each domain is also a declared web name: an error there is reported, never skipped as "nothing listens"
    targets = [Target(name=n, kind="domain", scope=frozenset({"dns", "tls"}), web_names=(n,)) for n in lab.names()]
    result = pipeline.scan(targets, ["privacy", "web"], net)
    return {"found": {r.target: {f.id: f for f in r.findings} for r in result.results}, "log": log,
            "netlog": netlog}


def status(scan, site: str, cid: str) -> str:
    return scan["found"][f"{site}.lab"][cid].status.value


# (site, check) -> expected status: each check passes somewhere and fails (or warns) somewhere else.
EXPECTED = {
    ("conforme", "privacy.page.loaded"): "pass",
    ("conforme", "privacy.trackers.before_consent"): "pass",
    ("fuite", "privacy.trackers.before_consent"): "fail",
    ("sans-bandeau", "privacy.trackers.before_consent"): "fail",
    ("piano", "privacy.trackers.before_consent"): "pass",
    ("conforme", "privacy.cookies.before_consent"): "pass",
    ("fuite", "privacy.cookies.before_consent"): "fail",
    ("piano", "privacy.cookies.before_consent"): "pass",
    ("conforme", "privacy.consent.banner"): "pass",
    ("cookiebot", "privacy.consent.banner"): "pass",
    ("onetrust", "privacy.consent.banner"): "pass",
    ("sirdata", "privacy.consent.banner"): "pass",
    ("generique", "privacy.consent.banner"): "pass",
    ("sans-refus", "privacy.consent.banner"): "fail",
    ("sans-bandeau", "privacy.consent.banner"): "fail",
    ("conforme", "privacy.fonts.third_party"): "pass",
    ("fuite", "privacy.fonts.third_party"): "warn",
    ("conforme", "privacy.embeds.before_consent"): "pass",
    ("fuite", "privacy.embeds.before_consent"): "fail",
    ("conforme", "privacy.legal.notice"): "pass",
    ("fuite", "privacy.legal.notice"): "fail",
    ("conforme", "privacy.legal.policy"): "pass",
    ("fuite", "privacy.legal.policy"): "fail",
    ("sans-refus", "privacy.legal.policy"): "warn",
    ("conforme", "privacy.legal.accessibility"): "pass",
    ("sans-bandeau", "privacy.legal.accessibility"): "pass",
    ("fuite", "privacy.legal.accessibility"): "fail",
    ("sans-refus", "privacy.legal.accessibility"): "warn",
    ("conforme", "web.content.mixed"): "pass",
    ("fuite", "web.content.mixed"): "fail",
    ("sans-refus", "web.content.mixed"): "info",
    ("conforme", "web.forms.insecure"): "pass",
    ("fuite", "web.forms.insecure"): "fail",
    ("sans-refus", "web.forms.insecure"): "fail",
    ("redirige", "privacy.page.loaded"): "error",
}


@pytest.mark.parametrize(("site", "cid"), sorted(EXPECTED))
def test_verdicts_in_a_real_browser(scan, site, cid):
    f = scan["found"][f"{site}.lab"][cid]
    assert f.status.value == EXPECTED[(site, cid)], (f.detail, f.evidence)


def test_trackers_evidence_names_entity_category_page_and_trims_the_query(scan):
    ev = scan["found"]["fuite.lab"]["privacy.trackers.before_consent"].evidence
    by_entity = {t["entity"]: t for t in ev["trackers"]}
    assert {"Google Analytics", "Facebook", "Hotjar"} <= set(by_entity)  # Hotjar: injected 2 s after load
    ga = by_entity["Google Analytics"]
    assert ga["category"] == "analytics" and ga["host"] == "www.google-analytics.com"
    assert "?" not in ga["url"] and ga["page"] == "https://fuite.lab/"
    assert ev["dataset"].startswith("third-party-web 0.30")


def test_accept_releases_trackers_recorded_separately(scan):
    for site, entity in (("conforme", "Google Analytics"), ("cookiebot", "Google Analytics"),
                         ("sirdata", "Facebook"), ("generique", "Google Tag Manager"), ("sans-refus", "Facebook")):
        ev = scan["found"][f"{site}.lab"]["privacy.trackers.before_consent"].evidence
        assert ev["trackers"] == [], site
        assert entity in {t["entity"] for t in ev["released_after_accept"]}, site
    banner = scan["found"]["conforme.lab"]["privacy.consent.banner"].evidence
    assert banner["clicked"]["id"] == "tarteaucitronPersonalize2"


def test_consent_managers_recognised(scan):
    for site, name in (("conforme", "tarteaucitron.js"), ("fuite", "Axeptio"), ("sans-refus", "Didomi"),
                       ("cookiebot", "Cookiebot"), ("onetrust", "OneTrust"), ("sirdata", "Sirdata"),
                       ("generique", "générique")):
        assert name in scan["found"][f"{site}.lab"]["privacy.consent.banner"].evidence["consent_managers"], site


def test_exempt_audience_measurement_reported_as_such(scan):
    ok = scan["found"]["conforme.lab"]["privacy.trackers.before_consent"].evidence
    assert [t["entity"] for t in ok["exempt_audience"]] == ["Matomo"]
    piano = scan["found"]["piano.lab"]["privacy.trackers.before_consent"].evidence
    assert piano["exempt_audience"] and piano["trackers"] == []
    uid = scan["found"]["sans-bandeau.lab"]["privacy.trackers.before_consent"].evidence
    assert "Matomo" in {t["entity"] for t in uid["trackers"]}  # sends a user ID: not exempt


def test_cookies_evidence_has_name_domain_lifetime(scan):
    ev = scan["found"]["fuite.lab"]["privacy.cookies.before_consent"].evidence
    ga = next(c for c in ev["tracker"] if c["name"] == "_ga")
    assert ga["domain"] == "fuite.lab" and 399 < ga["days"] <= 400  # set for 730 days: Chromium caps at 400
    ok = scan["found"]["conforme.lab"]["privacy.cookies.before_consent"].evidence
    assert {c["name"] for c in ok["necessary"]} == {"PHPSESSID"} and ok["exempt"][0]["name"].startswith("_pk_id")


def test_legal_evidence_link_title_and_accessibility_level(scan):
    ev = scan["found"]["conforme.lab"]["privacy.legal.notice"].evidence["links"][0]
    assert ev["href"] == "https://conforme.lab/mentions-legales.html" and ev["title"] == "Mentions légales – Mairie"
    levels = {s: scan["found"][f"{s}.lab"]["privacy.legal.accessibility"].evidence["level"]
              for s in ("conforme", "sans-bandeau", "sans-refus", "fuite")}
    assert levels == {"conforme": "partiellement conforme", "sans-bandeau": "totalement conforme",
                      "sans-refus": "non conforme", "fuite": None}


def test_embeds_and_fonts_evidence(scan):
    ev = scan["found"]["fuite.lab"]["privacy.embeds.before_consent"].evidence
    assert {"YouTube", "Google Maps"} <= {e["entity"] for e in ev["embeds"]}
    ok = scan["found"]["conforme.lab"]["privacy.embeds.before_consent"].evidence
    assert ok["embeds"] == [] and ok["privacy_enhanced"][0]["host"] == "www.youtube-nocookie.com"
    assert scan["found"]["fuite.lab"]["privacy.fonts.third_party"].evidence["hosts"] == [
        "fonts.googleapis.com", "fonts.gstatic.com"]


def test_mixed_content_sources_html_and_browser(scan):
    ev = scan["found"]["fuite.lab"]["web.content.mixed"].evidence
    assert ev["active"] == ["http://fuite.lab/ancien.js"] and "http://fuite.lab/logo.png" in ev["passive"]
    assert ev["sources"] == ["html", "browser"]


def test_hostile_pages_do_not_derail_the_run(scan):
    found = scan["found"]
    alert = found["alerte.lab"]["privacy.page.loaded"]
    assert alert.status.value == "pass" and alert.evidence["dialogs"] >= 3
    assert found["alerte.lab"]["privacy.legal.notice"].status.value == "pass"
    away = found["ailleurs.lab"]["privacy.page.loaded"].evidence
    assert away["offsite"][0]["url"] == "https://www.hors-perimetre.example/"
    assert found["ailleurs.lab"]["privacy.legal.notice"].status.value == "pass"  # the page stayed
    redirect = found["redirige.lab"]["privacy.page.loaded"].evidence
    assert "autre-site.example" in redirect["reason"] and redirect["offsite"][0]["kind"] == "redirect"
    loop = found["boucle.lab"]["privacy.page.loaded"]
    assert loop.status.value == "pass" and "script" in loop.evidence["truncated"]
    assert found["boucle.lab"]["privacy.legal.notice"].status.value == "pass"
    flood = found["deluge.lab"]["privacy.page.loaded"].evidence
    assert "requests" in flood["truncated"] and flood["requests"] <= 600
    reload_ = found["recharge.lab"]["privacy.page.loaded"].evidence
    assert reload_["offsite"][-1]["kind"] == "too_many_navigations"


def test_no_connection_left_the_loopback(scan):
    upstream = [e for e in scan["log"] if e.get("address")]
    assert upstream and all(ipaddress.ip_address(e["address"]).is_loopback for e in upstream)
    hosts = {e["host"] for e in scan["log"]}
    assert {"cdn.inconnu-hors-labo.example", "pixel.hors-labo.example"} <= hosts  # asked, never reached
    assert not any(e["address"] for e in scan["log"] if e["host"].endswith(".example"))
    # Chromium's own sockets: only to the proxies on 127.0.0.1 (its background traffic is refused there)
    data = json.loads(scan["netlog"].read_text("utf-8"))
    types = {v: k for k, v in data["constants"]["logEventTypes"].items()}
    peers = {(e.get("params") or {}).get("address") for e in data["events"]
             if types.get(e["type"]) == "TCP_CONNECT_ATTEMPT"} - {None}
    assert peers and all(ipaddress.ip_address(p.rsplit(":", 1)[0].strip("[]")).is_loopback for p in peers)


def test_without_a_browser_the_family_is_error_never_pass(lab):
    from cyberaudit.probes import Target, pipeline

    net = lab.net(browser_path="/nonexistent/chromium")
    result = pipeline.scan([Target(name="conforme.lab", kind="domain", scope=frozenset({"tls"}))], ["privacy"], net)
    findings = result.results[0].findings
    assert [f.id for f in findings] == ["privacy.page.loaded"] and findings[0].status.value == "error"
    assert "Chromium" in findings[0].evidence["reason"]


def test_cli_scan_checks_privacy_on_the_inventory(lab, run_cli, tmp_path):
    ws = tmp_path / "ws"
    code, _, err = run_cli("init", ws, "--name", "Commune de Fuite", "--siren", "123456782", "--kind",
                           "petite-commune", "--domain", "fuite.lab")
    assert code == 0, err
    code, out, err = run_cli("scan", "--workspace", ws, "--checks", "privacy", "--nameserver", lab.knot.nameserver,
                             "--ca-bundle", lab.ca_bundle, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    ids = {f["id"]: f["status"] for r in data["results"] for f in r["findings"]}
    assert ids["privacy.trackers.before_consent"] == "fail" and ids["privacy.legal.notice"] == "fail"
    assert (ws / "scans" / "latest.json").is_file()


def test_a_reused_page_starts_as_a_first_time_visitor(lab):
    """The pool reuses a browser context after a reset (probes/browser/slot.py): the second visit of a site
    in the same context finds none of the cookies, storage and cache the first one left."""
    import asyncio
    from urllib.parse import parse_qs, urlsplit

    from cyberaudit.probes.browser.pool import pool_for
    from cyberaudit.probes.browser.shared import urls_for
    from cyberaudit.probes.browser.visit import visit

    name, net = "revisite.lab", lab.net(browser_pages=1)

    async def twice():
        async with pool_for(net) as pool:
            got = [await visit(pool, name, urls_for(name, net), domain=name) for _ in range(2)]
            return got, pool.reused

    (first, second), reused = asyncio.run(twice())
    assert reused == 1  # the second visit ran in the first one's (reset) context

    def state(obs):
        urls = [r["url"] for r in obs["requests"] if urlsplit(r["url"]).path == "/etat"]
        assert urls, obs["requests"]
        return {k: v[0] for k, v in parse_qs(urlsplit(urls[0]).query, keep_blank_values=True).items()}

    one, two = state(first), state(second)
    assert {"js_vu", "http_vu"} <= {c["name"] for c in first["cookies"]["after"]}  # the first visit left them
    fresh = {"js": "0", "http": "0", "ls": "", "idb_nouvelle": "1"}
    assert {k: one[k] for k in fresh} == fresh
    assert {k: two[k] for k in fresh} == fresh  # no cookie, localStorage or IndexedDB from the first visit
    assert one["gen"] and two["gen"] and one["gen"] != two["gen"]  # generation.js fetched again, not from cache
