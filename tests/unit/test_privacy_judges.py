"""Privacy and web-content judges (pure): observations in, findings out; each verdict both ways."""

from __future__ import annotations

import datetime as dt

import pytest

from cyberaudit.checks import privacy, privacy_consent, privacy_data, privacy_legal, web_content


def obs(requests=(), cookies_before=(), cookies_after=None, banners=(), links=(), acc=(), **kw) -> dict:
    before = list(cookies_before)
    return {"name": "ville.fr", "domain": "ville.fr", "final_url": "https://ville.fr/", "error": None,
            "requests": [{"phase": "before", "type": "Script", "page": "https://ville.fr/", **r} for r in requests],
            "cookies": {"before": before, "after": before if cookies_after is None else list(cookies_after)},
            "dom": {"banners": list(banners), "links": list(links), "accessibility_text": list(acc)},
            "legal": {}, "consent": {"clicked": None}, **kw}


def req(url: str, **kw) -> dict:
    from urllib.parse import urlsplit

    return {"url": url, "host": urlsplit(url).hostname, **kw}


GA = req("https://www.google-analytics.com/g/collect?cid=123&uid=9")
GTM = req("https://www.googletagmanager.com/gtm.js?id=GTM-X")


def test_dataset_is_third_party_web_with_version_and_licence():
    import json

    data = json.loads((privacy_data.DATA / "third_party_web.json").read_text("utf-8"))
    assert data["licence"] == "MIT" and data["version"] == "0.30.0" and len(data["entities"]) > 2000
    assert "MIT License" in (privacy_data.DATA / "third_party_web.LICENSE").read_text("utf-8")


@pytest.mark.parametrize(("host", "path", "expected"), [
    ("www.google-analytics.com", "/", ("Google Analytics", "analytics")),
    ("region1.google-analytics.com", "/", ("Google Analytics", "analytics")),
    ("fonts.googleapis.com", "/css2", ("Google Fonts", "font")),  # most specific domain wins
    ("static.axept.io", "/sdk.js", ("Axeptio", "consent-provider")),  # supplement: missing from the dataset
    ("www.google.com", "/maps/embed", ("Google Maps", "map")),
    ("stats.ville.fr", "/matomo.php", ("Matomo", "analytics")),  # self-hosted, by its file name
    ("www.ville.fr", "/", None),
])
def test_classify(host, path, expected):
    assert privacy_data.classify(host, path) == expected


def test_first_party():
    assert privacy_data.first_party("static.ville.fr", "www.ville.fr")
    assert privacy_data.first_party("cdn.ville-cdn.fr", "www.ville.fr", "ville-cdn.fr")
    assert privacy_data.first_party("a.mairie.gouv.fr", "www.mairie.gouv.fr")
    assert not privacy_data.first_party("autre.gouv.fr", "mairie.gouv.fr")
    assert not privacy_data.first_party("www.google-analytics.com", "ville.fr")


def test_trackers_before_consent_fail_with_trimmed_url_and_tag_manager_counted():
    f = privacy.judge_trackers(obs([GTM, GA]))
    assert f.status.value == "fail" and f.severity.value == "high"
    ents = {t["entity"]: t for t in f.evidence["trackers"]}
    assert set(ents) == {"Google Analytics", "Google Tag Manager"}
    assert ents["Google Analytics"]["url"] == "https://www.google-analytics.com/g/collect"


def test_tag_manager_alone_or_trackers_after_accept_only_pass():
    f = privacy.judge_trackers(obs([GTM]))
    assert f.status.value == "pass" and f.evidence["tag_managers_alone"][0]["entity"] == "Google Tag Manager"
    after = obs([{**GA, "phase": "after_accept"}])
    f = privacy.judge_trackers(after)
    assert f.status.value == "pass" and f.evidence["released_after_accept"][0]["entity"] == "Google Analytics"


def test_exempt_audience_measurement():
    matomo = [req("https://ville.matomo.cloud/matomo.js"), req("https://ville.matomo.cloud/matomo.php?idsite=1")]
    pk = [{"name": "_pk_id.1.ab", "domain": "ville.fr", "days": 390.0}]
    f = privacy.judge_trackers(obs(matomo, pk))
    assert f.status.value == "pass" and f.evidence["exempt_audience"][0]["entity"] == "Matomo"
    # a user ID in a later hit, or a cookie beyond 13 months: not exempt
    uid = matomo + [req("https://ville.matomo.cloud/matomo.php?idsite=1&uid=agent")]
    assert privacy.judge_trackers(obs(uid, pk)).status.value == "fail"
    long = [{"name": "_pk_id.1.ab", "domain": "ville.fr", "days": 400.0}]
    assert privacy.judge_trackers(obs(matomo, long)).status.value == "fail"
    piano = [req("https://logs.xiti.com/hit.xiti?s=1&visitor_privacy_mode=exempt")]
    assert privacy.judge_trackers(obs(piano)).status.value == "pass"
    assert privacy.judge_trackers(obs([req("https://logs.xiti.com/hit.xiti?s=1")])).status.value == "fail"


def test_cookies():
    necessary = [{"name": "PHPSESSID", "domain": "ville.fr", "days": None},
                 {"name": "tarteaucitron", "domain": "ville.fr", "days": 365.0},
                 {"name": "SERVERID", "domain": "ville.fr", "days": 30.0}]
    assert privacy.judge_cookies(obs(cookies_before=necessary)).status.value == "pass"
    ga = [{"name": "_ga", "domain": ".ville.fr", "days": 400.0}]
    f = privacy.judge_cookies(obs(cookies_before=necessary + ga))
    assert f.status.value == "fail" and f.evidence["tracker"] == [{"name": "_ga", "domain": ".ville.fr", "days": 400.0}]
    third = [{"name": "IDE", "domain": ".doubleclick.net", "days": 390.0}]
    assert privacy.judge_cookies(obs(cookies_before=third)).evidence["third_party"][0]["name"] == "IDE"
    odd = [{"name": "prefs", "domain": "ville.fr", "days": 200.0}]
    f = privacy.judge_cookies(obs(cookies_before=odd))
    assert f.status.value == "warn" and f.evidence["unknown"][0]["name"] == "prefs"


def buttons(*pairs):
    return [{"text": t, "id": i, "idx": n} for n, (t, i) in enumerate(pairs)]


@pytest.mark.parametrize(("text", "role"), [
    ("Tout refuser", "refuse"), ("Continuer sans accepter →", "refuse"), ("Non merci", "refuse"),
    ("Tout accepter", "accept"), ("J'accepte", "accept"), ("OK pour moi", "accept"),
    ("Personnaliser", "settings"), ("Lire la suite de l'article", None),
])
def test_button_roles(text, role):
    assert privacy_consent.button_role({"text": text}) == role


def test_banner_verdicts():
    trackers_after = [{**GA, "phase": "after_accept"}]
    both = [{"cmp": "tarteaucitron.js", "buttons": buttons(("Tout accepter", "a"), ("Tout refuser", "r"))}]
    only_accept = [{"cmp": "Didomi", "buttons": buttons(("Accepter & Fermer", "a"), ("En savoir plus", "m"))}]
    assert privacy_consent.judge_banner(obs(trackers_after, banners=both)).status.value == "pass"
    f = privacy_consent.judge_banner(obs(trackers_after, banners=only_accept))
    assert f.status.value == "fail" and f.evidence["consent_managers"] == ["Didomi"]
    assert privacy_consent.judge_banner(obs([GA])).status.value == "fail"  # trackers, no banner
    assert privacy_consent.judge_banner(obs()).status.value == "pass"  # nothing needs consent
    icon_ids = [{"cmp": None, "buttons": buttons(("", "didomi-notice-agree-button"),
                                                 ("", "didomi-notice-disagree-button"))}]
    assert privacy_consent.judge_banner(obs(trackers_after, banners=icon_ids)).status.value == "pass"
    assert privacy_consent.accept_button(both)["id"] == "a"


def test_legal_pages():
    links = [{"href": "https://ville.fr/mentions-legales", "text": "Mentions légales"},
             {"href": "https://ville.fr/vie-privee", "text": "Vie privée"}]
    o = obs(links=links, legal={"https://ville.fr/mentions-legales": {"status": 200, "title": "Mentions"},
                                "https://ville.fr/vie-privee": {"status": 404, "title": ""}})
    notice, policy, access = privacy_legal.judge_legal(o)
    assert notice.status.value == "pass" and notice.evidence["links"][0]["title"] == "Mentions"
    assert policy.status.value == "warn"
    assert access.status.value == "fail"
    assert privacy_legal.judge_legal(obs())[0].status.value == "fail"


@pytest.mark.parametrize(("text", "level", "status"), [
    ("Accessibilité : partiellement conforme", "partiellement conforme", "pass"),
    ("Accessibilité: totalement conforme", "totalement conforme", "pass"),
    ("Accessibilité : non conforme", "non conforme", "warn"),
    ("Accessibilité", None, "fail"),
])
def test_accessibility_level(text, level, status):
    f = privacy_legal.judge_accessibility(obs(links=[{"href": "https://ville.fr/accessibilite", "text": text}]))
    assert f.evidence["level"] == level and f.status.value == status


def test_accessibility_mention_without_link_warns():
    f = privacy_legal.judge_accessibility(obs(acc=["Accessibilité : partiellement conforme"]))
    assert f.status.value == "warn" and f.evidence["level"] == "partiellement conforme"


def test_fonts_and_embeds():
    fonts = [req("https://fonts.gstatic.com/s/roboto.woff2", type="Font"), req("https://ville.fr/f.woff2", type="Font")]
    f = privacy.judge_fonts(obs(fonts))
    assert f.status.value == "warn" and f.evidence["hosts"] == ["fonts.gstatic.com"]
    assert privacy.judge_fonts(obs([req("https://ville.fr/f.woff2", type="Font")])).status.value == "pass"
    yt = req("https://www.youtube.com/embed/x", type="Document")
    nocookie = req("https://www.youtube-nocookie.com/embed/x", type="Document")
    assert privacy.judge_embeds(obs([yt])).status.value == "fail"
    f = privacy.judge_embeds(obs([nocookie]))
    assert f.status.value == "pass" and f.evidence["privacy_enhanced"][0]["host"] == "www.youtube-nocookie.com"


def test_page_not_loaded_is_one_error_never_a_pass():
    found = privacy.judge_visit({"name": "ville.fr", "error": "Chromium not found"})
    assert [(f.id, f.status.value) for f in found] == [("privacy.page.loaded", "error")]


HTML = """<html><head><base href="https://ville.fr/sub/"><script src="http://cdn.ville.fr/a.js"></script>
<link rel="stylesheet" href="http://cdn.ville.fr/s.css"><link rel="canonical" href="http://ville.fr/"></head>
<body><img src="http://ville.fr/i.png"><form action="login" method=POST><input type=password name=p></form>
<form action="/recherche"><input name="q"></form><input type="password" name="lost"></body></html>"""


def test_html_facts():
    facts = web_content.html_facts(HTML, "https://ville.fr/")
    assert facts["active_http"] == ["http://cdn.ville.fr/a.js", "http://cdn.ville.fr/s.css"]  # not rel=canonical
    assert facts["passive_http"] == ["http://ville.fr/i.png"]
    assert facts["forms"][0]["action"] == "https://ville.fr/sub/login" and len(facts["forms"]) == 3


def test_mixed_content_and_forms():
    facts = web_content.html_facts(HTML, "https://ville.fr/")
    assert web_content.judge_mixed("ville.fr", facts, None).status.value == "fail"
    passive = web_content.html_facts('<img src="http://x.fr/i.png">', "https://ville.fr/")
    assert web_content.judge_mixed("ville.fr", passive, None).status.value == "warn"
    browser = {"final_url": "https://ville.fr/", "requests": [
        {"phase": "before", "url": "http://x.fr/a.js", "mixed": "blockable"}]}
    clean = web_content.html_facts("<p>ok</p>", "https://ville.fr/")
    assert web_content.judge_mixed("ville.fr", clean, None).status.value == "pass"
    assert web_content.judge_mixed("ville.fr", clean, browser).status.value == "fail"  # added by a script
    assert web_content.judge_mixed("ville.fr", web_content.html_facts("", "http://ville.fr/"), None).status.value == "info"
    assert web_content.judge_forms("ville.fr", facts, None).status.value == "pass"  # HTTPS, relative actions
    to_http = web_content.html_facts('<form action="http://ville.fr/c"><input type=email name=e></form>',
                                     "https://ville.fr/")
    assert web_content.judge_forms("ville.fr", to_http, None).status.value == "fail"
    on_http = web_content.html_facts('<form><input name="nom"></form>', "http://ville.fr/")
    assert web_content.judge_forms("ville.fr", on_http, None).status.value == "fail"
    search = web_content.html_facts('<form><input name="q"></form>', "http://ville.fr/")
    assert web_content.judge_forms("ville.fr", search, None).status.value == "pass"
    assert web_content.judge_forms("ville.fr", None, None).status.value == "error"


def test_register_join_trackers_need_a_declared_activity():
    from cyberaudit.model import Organisation
    from cyberaudit.register import rules
    from cyberaudit.register.model import Activity

    org = Organisation(name="Commune", siren="213501232", kind="commune")
    tracked = privacy.judge_trackers(obs([GA]))
    clean = privacy.judge_trackers(obs())
    today = dt.date(2026, 12, 1)

    def verdicts(acts):
        return {f.target: f.status.value for f in rules.check(acts, org, today=today, probe_findings=[tracked, clean])
                if f.id == "rgpd.website.trackers_declared"}

    other = Activity(id="T-001", name="État civil")
    assert verdicts([other]) == {"ville.fr": "fail"}  # the clean site needs nothing
    audience = Activity(id="T-002", name="Mesure d'audience et traceurs du site internet",
                        template="mesure-audience-cookies")
    assert verdicts([other, audience]) == {"ville.fr": "pass"}
    linked = Activity(id="T-003", name="Téléservices", assets=["ville.fr"])
    assert verdicts([other, linked]) == {"ville.fr": "pass"}
    elsewhere = Activity(id="T-004", name="Mesure d'audience", assets=["autre.fr"])
    assert verdicts([other, elsewhere]) == {"ville.fr": "fail"}


def test_report_section_site_internet_et_vie_privee():
    from cyberaudit.report import render
    from tests.unit.test_report_samples import Content, Profile, assessment

    a = assessment()
    kw = {"profile": Profile(), "content": Content()}
    assert "Site internet et vie privée" not in render(a, "html", "fr", **kw).decode()
    found = privacy.judge_visit(obs([GA], links=[{"href": "https://ville.fr/ml", "text": "Mentions légales"}]))
    b = assessment(findings=list(a.findings) + found)
    html = render(b, "html", "fr", **kw).decode()
    assert "Site internet et vie privée" in html and "Pouvez-vous ajouter un bouton" in html
    assert '<li><a href="#website">Site internet et vie privée</a></li>' in html  # in the table of contents
    md = render(b, "md", "fr", **kw).decode()
    assert "## Site internet et vie privée" in md and "### ville.fr" in md
    assert "Website and privacy" in render(b, "html", "en", **kw).decode()


def test_a_privacy_probe_failure_is_an_error_finding_not_a_lost_target():
    from cyberaudit.probes import Target, pipeline
    from cyberaudit.probes.net import Net

    net = Net(timeout=0.5, options={"browser_pages": "beaucoup"})  # a bug-like failure inside the family
    result = pipeline.scan([Target(name="127.0.0.1", kind="host", scope=frozenset({"tls"}))], ["privacy"], net)
    [f] = result.results[0].findings
    assert f.id == "privacy.probe.error" and f.status.value == "error" and "ValueError" in f.evidence["reason"]
