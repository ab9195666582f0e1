"""Web checks (pure): HTTP -> HTTPS redirect, HSTS, security headers, cookie flags.

Judged from the observation of `cyberaudit.probes.web` (status codes, trimmed headers, HTML facts);
`judge(obs)` is the family's judge (mixed content and forms: web_content.py).
"""

from __future__ import annotations

import re

from ..model import Finding, Text
from . import check
from .web_content import judge_forms, judge_mixed

YEAR = 31_536_000
HALF_YEAR = 15_552_000  # 180 days, as testssl and the MDN Observatory

REDIRECT = check(
    "web.https.redirect", severity="medium",
    title=Text(fr="Redirection de HTTP vers HTTPS", en="HTTP redirects to HTTPS"),
    explanation=Text(
        fr="Un visiteur qui tape l'adresse sans « https:// » doit être renvoyé vers la version chiffrée ; "
           "sinon il reste sur une page modifiable par un tiers.",
        en="A visitor typing the address without \"https://\" must be sent to the encrypted version; "
           "otherwise they stay on a page a third party can alter."),
    remediation=Text(
        fr="Rediriger tout le port 80 en une seule étape (301) vers https:// sur le même nom : nginx "
           "`return 301 https://$host$request_uri;`, Apache `Redirect permanent / https://ville.fr/`, IIS : "
           "module URL Rewrite.",
        en="Redirect all of port 80 in one step (301) to https:// on the same name: nginx "
           "`return 301 https://$host$request_uri;`, Apache `Redirect permanent / https://ville.fr/`, IIS: "
           "URL Rewrite module."),
    refs=["anssi-pa-009:tls", "rfc:6797"], effort="low",
)
HSTS = check(
    "web.hsts.policy", severity="medium",
    title=Text(fr="HSTS activé pour au moins un an", en="HSTS enabled for at least a year"),
    explanation=Text(
        fr="L'en-tête HSTS impose aux navigateurs de revenir toujours en HTTPS : il empêche qu'un attaquant "
           "sur un Wi-Fi public ramène le visiteur vers une version non chiffrée.",
        en="The HSTS header makes browsers always come back over HTTPS: it prevents an attacker on public "
           "Wi-Fi from downgrading the visitor to an unencrypted version."),
    remediation=Text(
        fr="Ajouter sur les réponses HTTPS : nginx `add_header Strict-Transport-Security \"max-age=31536000; "
           "includeSubDomains\" always;`, Apache `Header always set Strict-Transport-Security "
           "\"max-age=31536000; includeSubDomains\"`, IIS : élément `<hsts>` du site (IIS 10.0 v1709+).",
        en="Add on HTTPS responses: nginx `add_header Strict-Transport-Security \"max-age=31536000; "
           "includeSubDomains\" always;`, Apache `Header always set Strict-Transport-Security "
           "\"max-age=31536000; includeSubDomains\"`, IIS: the site's `<hsts>` element (IIS 10.0 v1709+)."),
    refs=["anssi-pa-009:hsts", "rfc:6797"], effort="low",
)
HEADERS = check(
    "web.headers.security", severity="medium",
    title=Text(fr="En-têtes de sécurité HTTP présents", en="HTTP security headers present"),
    explanation=Text(
        fr="Ces en-têtes limitent l'injection de scripts, l'affichage du site dans un cadre piégé et la "
           "fuite d'adresses de pages ; afficher la version du logiciel aide un attaquant à cibler ses failles.",
        en="These headers limit script injection, framing of the site by a trap page and leaks of page "
           "addresses; showing the software version helps an attacker target its flaws."),
    remediation=Text(
        fr="Ajouter Content-Security-Policy (avec frame-ancestors), X-Content-Type-Options: nosniff, "
           "Referrer-Policy: strict-origin-when-cross-origin ; masquer les versions (nginx `server_tokens off;`, "
           "Apache `ServerTokens Prod`, IIS : `removeServerHeader` et retirer X-Powered-By).",
        en="Add Content-Security-Policy (with frame-ancestors), X-Content-Type-Options: nosniff, "
           "Referrer-Policy: strict-origin-when-cross-origin; hide versions (nginx `server_tokens off;`, "
           "Apache `ServerTokens Prod`, IIS: `removeServerHeader` and remove X-Powered-By)."),
    refs=["anssi-pa-009:headers", "rfc:7034"],
    effort="low",
)
COOKIES = check(
    "web.cookies.flags", severity="medium",
    title=Text(fr="Cookies protégés (Secure, HttpOnly, SameSite)", en="Cookies protected (Secure, HttpOnly, SameSite)"),
    explanation=Text(
        fr="Un cookie sans ces attributs peut partir en clair, être lu par un script injecté ou être envoyé "
           "depuis un site tiers, ce qui facilite le vol de session.",
        en="A cookie without these attributes may travel in clear text, be read by an injected script or be "
           "sent from a third-party site, which eases session theft."),
    remediation=Text(
        fr="Poser `Secure; HttpOnly; SameSite=Lax` (ou Strict) : PHP `session.cookie_secure=1`, "
           "`session.cookie_httponly=1`, `session.cookie_samesite=Lax` ; nginx `proxy_cookie_flags ~ secure "
           "httponly samesite=lax;` ; IIS : `<httpCookies requireSSL=\"true\" httpOnlyCookies=\"true\" />`.",
        en="Set `Secure; HttpOnly; SameSite=Lax` (or Strict): PHP `session.cookie_secure=1`, "
           "`session.cookie_httponly=1`, `session.cookie_samesite=Lax`; nginx `proxy_cookie_flags ~ secure "
           "httponly samesite=lax;`; IIS: `<httpCookies requireSSL=\"true\" httpOnlyCookies=\"true\" />`."),
    refs=["rfc:6265"], effort="low",
)


def _same_site(a: str, b: str, domain: str | None) -> bool:
    """Another name of the same collectivité: both under the scanned domain (or one is the other)."""
    if not domain:
        return False
    return all(n == domain or n.endswith("." + domain) for n in (a, b))


def judge_redirect(target: str, obs: dict, domain: str | None) -> Finding:
    hops = obs.get("hops") or []
    outcome = obs.get("outcome")
    ev = {"hops": hops, "outcome": outcome}
    if outcome == "https_same":
        return REDIRECT.finding("pass", target=target, evidence=ev)
    if outcome == "https_other":
        final = obs.get("final_host", "")
        if _same_site(target, final, domain):
            return REDIRECT.finding("pass", target=target, evidence=ev, detail=Text(
                fr=f"Redirection vers https://{final}.", en=f"Redirects to https://{final}."))
        return REDIRECT.finding("warn", target=target, evidence=ev, severity="low", detail=Text(
            fr=f"Redirection vers un autre site : {final}.", en=f"Redirects to another site: {final}."))
    if outcome == "http_closed":
        return REDIRECT.finding("info", target=target, evidence=ev, detail=Text(
            fr="Le port 80 est fermé : rien à rediriger.", en="Port 80 is closed: nothing to redirect."))
    if outcome == "error":
        return REDIRECT.finding("error", target=target, evidence={**ev, "reason": obs.get("error")})
    texts = {
        "no_redirect": ("Le site répond en HTTP sans rediriger vers HTTPS.",
                        "The site answers over HTTP without redirecting to HTTPS."),
        "loop": ("Boucle de redirections.", "Redirect loop."),
        "https_to_http": ("Le site HTTPS renvoie vers http:// : boucle entre HTTP et HTTPS, le visiteur ne reste "
                          "jamais en HTTPS.", "The HTTPS site sends back to http://: a loop across schemes, the "
                          "visitor never stays on HTTPS."),
        "too_many": ("Plus de 5 redirections.", "More than 5 redirects."),
        "offsite_http": ("Redirection en HTTP vers un autre nom.", "Redirect over HTTP to another name."),
        "bad_location": ("Redirection sans destination valide.", "Redirect without a valid destination."),
    }
    fr, en = texts.get(outcome, texts["no_redirect"])
    return REDIRECT.finding("fail", target=target, evidence=ev, detail=Text(fr=fr, en=en))


def parse_hsts(value: str) -> dict | None:
    out = {"max_age": None, "include_subdomains": False, "preload": False}
    for part in value.split(";"):
        key, _, val = part.strip().partition("=")
        key = key.strip().lower()
        if key == "max-age":
            val = val.strip(" \t").strip('"')
            if not re.fullmatch(r"[0-9]{1,15}", val) or out["max_age"] is not None:  # RFC 6797 6.1.1: digits
                return None
            out["max_age"] = int(val)
        elif key == "includesubdomains":
            out["include_subdomains"] = True
        elif key == "preload":
            out["preload"] = True
    return out if out["max_age"] is not None else None


def judge_hsts(target: str, obs: dict) -> Finding:
    if not obs.get("https_ok"):
        ev = {"reason": obs.get("https_error")}
        if not obs.get("http_served"):
            return HSTS.finding("error", target=target, evidence=ev)
        return HSTS.finding("fail", target=target, evidence=ev, detail=Text(
            fr="Site servi en HTTP sans HTTPS : HSTS impossible.", en="Site served over HTTP without HTTPS: no HSTS."))
    raw = obs.get("hsts")
    if raw is None:
        return HSTS.finding("fail", target=target, evidence={"header": None}, detail=Text(
            fr="En-tête Strict-Transport-Security absent.", en="Strict-Transport-Security header missing."))
    policy = parse_hsts(raw)
    ev = {"header": raw, **(policy or {})}
    if policy is None:
        return HSTS.finding("fail", target=target, evidence=ev, detail=Text(
            fr="En-tête HSTS invalide.", en="Invalid HSTS header."))
    age = policy["max_age"]
    days = age // 86400
    if age >= YEAR:
        return HSTS.finding("pass", target=target, evidence=ev)
    if age >= HALF_YEAR:
        return HSTS.finding("warn", target=target, evidence=ev, severity="low", detail=Text(
            fr=f"max-age de {days} jours : viser un an.", en=f"max-age of {days} days: aim for one year."))
    return HSTS.finding("fail", target=target, evidence=ev, detail=Text(
        fr=f"max-age de {days} jours, trop court.", en=f"max-age of {days} days, too short."))


_VERSION = re.compile(r"\d+\.\d+|/\s*\d")


def judge_headers(target: str, obs: dict) -> Finding:
    headers: dict[str, str] = obs.get("headers") or {}
    if obs.get("headers") is None:
        return HEADERS.finding("error", target=target, evidence={"reason": obs.get("https_error")})
    csp = headers.get("content-security-policy", "")
    xfo = headers.get("x-frame-options", "").strip().lower()
    missing = []
    if not csp:
        missing.append("Content-Security-Policy")
    if headers.get("x-content-type-options", "").strip().lower() != "nosniff":
        missing.append("X-Content-Type-Options")
    if xfo not in ("deny", "sameorigin") and "frame-ancestors" not in csp.lower():
        missing.append("X-Frame-Options / frame-ancestors")
    if not headers.get("referrer-policy") or headers["referrer-policy"].strip().lower() in ("unsafe-url",):
        missing.append("Referrer-Policy")
    leaks = {k: headers[k] for k in ("server", "x-powered-by", "x-aspnet-version") if _VERSION.search(headers.get(k, ""))}
    ev = {"missing": missing, "version_disclosed": leaks, "url": obs.get("final_url"),
          "present": sorted(k for k in headers if k in (
              "content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"))}
    if missing:
        return HEADERS.finding("fail", target=target, evidence=ev, detail=Text(
            fr=f"En-têtes absents : {', '.join(missing)}.", en=f"Missing headers: {', '.join(missing)}."))
    if leaks:
        return HEADERS.finding("warn", target=target, evidence=ev, severity="low", detail=Text(
            fr="Le serveur affiche la version de ses logiciels.", en="The server shows its software versions."))
    return HEADERS.finding("pass", target=target, evidence=ev)


def parse_cookie(value: str) -> dict:
    parts = [p.strip() for p in value.split(";")]
    name = parts[0].split("=", 1)[0].strip()[:100] if parts else ""
    attrs = {p.split("=", 1)[0].strip().lower(): p.split("=", 1)[1].strip() if "=" in p else "" for p in parts[1:]}
    return {"name": name, "secure": "secure" in attrs, "httponly": "httponly" in attrs,
            "samesite": attrs.get("samesite") or None}


def judge_cookies(target: str, obs: dict) -> Finding:
    cookies = [parse_cookie(c) for c in (obs.get("cookies") or [])[:50]]
    ev = {"cookies": cookies}
    if obs.get("headers") is None:
        return COOKIES.finding("error", target=target, evidence={"reason": obs.get("https_error")})
    if not cookies:
        return COOKIES.finding("pass", target=target, evidence=ev, detail=Text(
            fr="Aucun cookie posé sur la page d'accueil.", en="No cookie set on the home page."))
    no_secure = [c["name"] for c in cookies if not c["secure"]]
    weak = [c["name"] for c in cookies if not c["httponly"] or not c["samesite"] or c["samesite"].lower() == "none"]
    if no_secure:
        return COOKIES.finding("fail", target=target, evidence=ev, detail=Text(
            fr=f"Cookies sans Secure : {', '.join(no_secure)}.", en=f"Cookies without Secure: {', '.join(no_secure)}."))
    if weak:
        return COOKIES.finding("warn", target=target, evidence=ev, severity="low", detail=Text(
            fr=f"Cookies sans HttpOnly ou SameSite : {', '.join(weak)}.",
            en=f"Cookies without HttpOnly or SameSite: {', '.join(weak)}."))
    return COOKIES.finding("pass", target=target, evidence=ev)


def judge(obs: dict) -> list[Finding]:
    """The web family's findings for one target, from the observation of `cyberaudit.probes.web`: a name
    without an address is skipped (an error when the lookup failed), an implicit name where nothing
    listens is skipped; an HTTP-only site is judged on its HTTP page."""
    if obs.get("address_block"):
        return []
    out: list[Finding] = []
    for entry in obs.get("names") or []:
        out += _web_name(entry, obs.get("domain"))
    return out


def _web_name(entry: dict, domain: str | None) -> list[Finding]:
    name = entry["name"]
    if not entry.get("address"):
        return [HSTS.finding("error", target=name, evidence={"reason": entry["dns_error"]})] \
            if entry.get("dns_error") else []
    redirect, page = entry["redirect"], dict(entry["page"])
    if redirect["outcome"] == "http_closed" and not page["https_ok"] and not entry.get("explicit"):
        return []  # nothing listens on this implicit name
    if redirect["outcome"] == "https_same" and page.get("downgrade"):
        # http -> https -> http: a loop across schemes, the visitor never stays on HTTPS
        redirect = {**redirect, "outcome": "https_to_http",
                    "hops": [*redirect["hops"], {"status": None, "location": page["downgrade"]}]}
    served = redirect.get("served_http")
    if not page["https_ok"] and served:  # HTTP-only site: judge the headers and cookies of the HTTP page
        page.update(headers=served["headers"], cookies=served["cookies"], final_url=served["url"],
                    facts=served.get("facts"), http_served=True)
    browser = entry.get("browser")
    return [judge_redirect(name, redirect, domain), judge_hsts(name, page), judge_headers(name, page),
            judge_cookies(name, page), judge_mixed(name, page.get("facts"), browser),
            judge_forms(name, page.get("facts"), browser)]
