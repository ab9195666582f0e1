"""Web page content checks (pure): mixed content and forms that expose personal data.

Judged from the HTML the web probe reads (`html_facts`, a bounded stdlib parser) and, when the browser
ran in the same scan (privacy family), from what Chromium loaded: each request's mixed-content type
("blockable" = active: scripts, frames; "optionally-blockable" = passive: images, media) and the forms
of the rendered DOM (forms added by scripts included).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from ..model import Finding, Text
from . import check

MAX_TAGS = 20000
ACTIVE = {("script", "src"), ("iframe", "src"), ("frame", "src"), ("object", "data"), ("embed", "src"),
          ("link", "href")}
PASSIVE = {("img", "src"), ("audio", "src"), ("video", "src"), ("source", "src"), ("video", "poster"),
           ("track", "src")}
PERSONAL = re.compile(r"pass|mdp|mot.?de.?passe|e-?mail|courriel|mail|t[ée]l|phone|\bnom\b|name|pr[ée]nom|adresse|"
                      r"address|naissance|birth|iban|\bnir\b|s[ée]cu|username|login|identifiant", re.I)
PERSONAL_TYPES = {"password", "email", "tel"}

MIXED = check(
    "web.content.mixed", severity="medium",
    title=Text(fr="Aucun contenu chargé en clair sur une page HTTPS", en="No content loaded in clear on an HTTPS page"),
    explanation=Text(
        fr="Un script, un cadre ou une image chargé en « http:// » sur une page HTTPS peut être lu ou modifié en "
           "chemin ; un script modifié prend le contrôle de la page. Les navigateurs bloquent les scripts, la "
           "page apparaît alors cassée.",
        en="A script, frame or image loaded over \"http://\" on an HTTPS page can be read or altered in transit; "
           "an altered script takes over the page. Browsers block such scripts, so the page looks broken."),
    remediation=Text(
        fr="Remplacer « http:// » par « https:// » (ou des adresses relatives) dans les modèles du site ; "
           "en attendant, l'en-tête `Content-Security-Policy: upgrade-insecure-requests`.",
        en="Replace \"http://\" with \"https://\" (or relative addresses) in the site's templates; meanwhile, "
           "the `Content-Security-Policy: upgrade-insecure-requests` header."),
    refs=["anssi-pa-009:tls", "mozilla:web-security"], effort="low",
)
FORMS = check(
    "web.forms.insecure", severity="high",
    title=Text(fr="Formulaires de données personnelles envoyés chiffrés",
               en="Personal-data forms sent encrypted"),
    explanation=Text(
        fr="Un formulaire avec mot de passe, adresse électronique ou téléphone servi en HTTP, ou qui envoie vers "
           "une adresse « http:// », transmet ces données en clair : une faille de sécurité au sens de "
           "l'article 32 du RGPD.",
        en="A form with a password, e-mail or phone field served over HTTP, or posting to an \"http://\" address, "
           "sends that data in clear text: a security failure under GDPR article 32."),
    remediation=Text(fr="Servir le site en HTTPS uniquement et faire pointer l'action des formulaires vers https://.",
                     en="Serve the site over HTTPS only and make form actions point to https://."),
    refs=["gdpr:32", "anssi-pa-009:tls"], effort="low",
)


class _Facts(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base, self.tags = base, 0
        self.active: list[str] = []
        self.passive: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if self.tags > MAX_TAGS:
            return
        a = {k: (v or "") for k, v in attrs}
        if tag == "base" and a.get("href"):
            self.base = urljoin(self.base, a["href"].strip())
        for attr in ("src", "href", "data", "poster"):
            url = a.get(attr, "").strip()
            if not url.lower().startswith("http://"):
                continue
            if (tag, attr) in ACTIVE and (tag != "link" or "stylesheet" in a.get("rel", "").lower()):
                self.active.append(url[:300])
            elif (tag, attr) in PASSIVE:
                self.passive.append(url[:300])
        if tag == "form":
            self._form = {"action": urljoin(self.base, a.get("action", "").strip())[:300],
                          "method": a.get("method", "get").lower()[:10], "fields": []}
            self.forms.append(self._form)
        elif tag in ("input", "textarea", "select") and len(self.forms) < 50:
            field = {"type": a.get("type", tag).lower()[:20], "name": (a.get("name") or a.get("id", ""))[:60],
                     "autocomplete": a.get("autocomplete", "")[:40]}
            if self._form is not None and len(self._form["fields"]) < 50:
                self._form["fields"].append(field)
            elif field["type"] == "password":  # a password field outside any form
                self.forms.append({"action": self.base, "method": "get", "fields": [field]})

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def html_facts(html: str, url: str) -> dict:
    """Mixed-content URLs and forms of a page's HTML (bounded)."""
    p = _Facts(url)
    try:
        p.feed(html[:2_000_000])
        p.close()
    except Exception:  # noqa: BLE001 - malformed markup: keep what was parsed
        pass
    return {"url": url, "active_http": p.active[:50], "passive_http": p.passive[:50], "forms": p.forms[:50]}


def _https(url: str | None) -> bool:
    return (url or "").lower().startswith("https://")


def judge_mixed(name: str, facts: dict | None, browser: dict | None) -> Finding:
    page = (browser or {}).get("final_url") or (facts or {}).get("url")
    if not facts and not (browser and browser.get("requests")):
        return MIXED.finding("error", target=name, evidence={"reason": "page not read"})
    if not _https(page):
        return MIXED.finding("info", target=name, evidence={"page": page}, detail=Text(
            fr="Page servie en HTTP : tout y circule en clair (voir la redirection HTTPS).",
            en="Page served over HTTP: everything on it travels in clear (see the HTTPS redirect)."))
    active = list((facts or {}).get("active_http", []))
    passive = list((facts or {}).get("passive_http", []))
    for r in (browser or {}).get("requests", []):
        if r.get("phase") != "before" or not r.get("url", "").startswith("http://"):
            continue
        (active if r.get("mixed") == "blockable" else passive).append(r["url"].split("?", 1)[0][:300])
    active, passive = sorted(set(active)), sorted(set(passive))
    ev = {"page": page, "active": active[:20], "passive": passive[:20],
          "sources": ["html"] * bool(facts) + ["browser"] * bool(browser and browser.get("requests"))}
    if active:
        return MIXED.finding("fail", target=name, evidence=ev, detail=Text(
            fr=f"{len(active)} script(s) ou cadre(s) en http:// sur la page HTTPS.",
            en=f"{len(active)} script(s) or frame(s) over http:// on the HTTPS page."))
    if passive:
        return MIXED.finding("warn", target=name, evidence=ev, severity="low", detail=Text(
            fr=f"{len(passive)} image(s) ou média(s) en http:// sur la page HTTPS.",
            en=f"{len(passive)} image(s) or media over http:// on the HTTPS page."))
    return MIXED.finding("pass", target=name, evidence=ev)


def personal_fields(form: dict) -> list[str]:
    out = []
    for f in form.get("fields", []):
        if f.get("type") in ("hidden", "submit", "button", "search", "checkbox", "radio"):
            continue
        if f.get("type") in PERSONAL_TYPES or PERSONAL.search(f"{f.get('name', '')} {f.get('autocomplete', '')}"):
            out.append(f.get("name") or f.get("type", ""))
    return out


def judge_forms(name: str, facts: dict | None, browser: dict | None) -> Finding:
    page = (browser or {}).get("final_url") or (facts or {}).get("url")
    forms = list((facts or {}).get("forms", [])) + list(((browser or {}).get("dom") or {}).get("forms", []))
    if not facts and not (browser or {}).get("dom"):
        return FORMS.finding("error", target=name, evidence={"reason": "page not read"})
    bad, seen = [], 0
    for form in forms:
        fields = personal_fields(form)
        if not fields:
            continue
        seen += 1
        action = form.get("action") or page or ""
        if not _https(page) or urlsplit(action).scheme == "http":
            bad.append({"action": action[:300], "fields": fields[:10], "page": page})
    uniq = list({(b["action"], tuple(b["fields"])): b for b in bad}.values())
    ev = {"page": page, "forms_with_personal_data": seen, "insecure": uniq[:10]}
    if uniq:
        return FORMS.finding("fail", target=name, evidence=ev, detail=Text(
            fr="Formulaire de données personnelles envoyé en clair : " + uniq[0]["action"],
            en="Personal-data form sent in clear: " + uniq[0]["action"]))
    return FORMS.finding("pass", target=name, evidence=ev)
