"""Privacy checks (pure): what a first-time visitor's browser does on the collectivité's site.

Judged from the visit record of `cyberaudit.probes.browser.visit` (a plain dict: the requests the page
made before and after a click on "accept", the cookies, DOM facts). Trackers are known from the
third-party-web dataset plus our supplement (privacy_data). The consent banner and the legal pages
are judged in privacy_consent and privacy_legal.

    judge(obs) -> list[Finding]         # the family: every web name of a target (probes/privacy.py)
    judge_visit(visit) -> list[Finding]  # every privacy check for one web name
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..model import Finding, Text
from . import check
from . import privacy_data as data

REFS_COOKIES = ["loi-il:82", "cnil-cookies:2020"]

LOADED = check(
    "privacy.page.loaded", severity="info",
    title=Text(fr="Page d'accueil chargée dans un vrai navigateur", en="Home page loaded in a real browser"),
    explanation=Text(
        fr="Les contrôles de vie privée chargent la page comme un premier visiteur, dans Chromium ; sans "
           "navigateur ou si la page ne se charge pas, ils ne peuvent pas être réalisés.",
        en="The privacy checks load the page as a first-time visitor would, in Chromium; without a browser or "
           "when the page does not load, they cannot be performed."),
    remediation=Text(fr="Installer Chromium (paquet Debian `chromium`) et vérifier que le site répond.",
                     en="Install Chromium (Debian package `chromium`) and check that the site answers."),
    owner="it_provider",
)
TRACKERS = check(
    "privacy.trackers.before_consent", severity="high",
    title=Text(fr="Aucun traceur avant le consentement", en="No tracker before consent"),
    explanation=Text(
        fr="Mesure d'audience non exemptée, publicité, réseaux sociaux, enregistrement de session : ces traceurs "
           "ne peuvent être déposés ou lus qu'après le consentement du visiteur (loi Informatique et Libertés, "
           "art. 82). C'est le premier motif des sanctions de la CNIL sur les cookies.",
        en="Non-exempt audience measurement, advertising, social networks, session replay: these trackers may "
           "only be set or read after the visitor's consent (French Data Protection Act, art. 82). It is the "
           "first ground of the CNIL's cookie sanctions."),
    remediation=Text(
        fr="Demander au prestataire du site de ne charger ces services qu'après un clic sur « Accepter » "
           "(gestionnaire de consentement, par exemple tarteaucitron.js), ou d'utiliser une mesure d'audience "
           "configurée pour l'exemption (Matomo, Piano Analytics en mode exempt).",
        en="Ask the site's provider to load these services only after a click on \"Accept\" (a consent "
           "manager, e.g. tarteaucitron.js), or to use audience measurement configured for the exemption "
           "(Matomo, Piano Analytics in exempt mode)."),
    refs=REFS_COOKIES, effort="medium", owner="dpo",
)
COOKIES = check(
    "privacy.cookies.before_consent", severity="high",
    title=Text(fr="Aucun cookie non essentiel avant le consentement",
               en="No non-essential cookie before consent"),
    explanation=Text(
        fr="Seuls les cookies strictement nécessaires (session, répartition de charge, mémoire du choix de "
           "consentement, mesure d'audience exemptée) peuvent être déposés avant le choix du visiteur.",
        en="Only strictly necessary cookies (session, load balancing, the consent choice itself, exempt audience "
           "measurement) may be set before the visitor chooses."),
    remediation=Text(
        fr="Faire retirer ou conditionner au consentement les cookies listés ; limiter la durée des cookies "
           "exemptés à 13 mois.",
        en="Have the listed cookies removed or conditioned on consent; keep exempt cookies to 13 months at most."),
    refs=REFS_COOKIES, effort="medium", owner="dpo",
)
FONTS = check(
    "privacy.fonts.third_party", severity="low",
    title=Text(fr="Polices et ressources servies par le site lui-même", en="Fonts and resources served by the site itself"),
    explanation=Text(
        fr="Une police chargée chez un tiers (Google Fonts...) lui transmet l'adresse IP de chaque visiteur, "
           "sans consentement ni information ; un tribunal allemand l'a jugé illicite en 2022.",
        en="A font loaded from a third party (Google Fonts...) hands it every visitor's IP address, without "
           "consent or notice; a German court held it unlawful in 2022."),
    remediation=Text(fr="Héberger les polices sur le serveur du site (copie des fichiers woff2, licence libre).",
                     en="Host the fonts on the site's own server (copy the woff2 files; open licences allow it)."),
    refs=["gdpr:5", "gdpr:6"], effort="low",
)
EMBEDS = check(
    "privacy.embeds.before_consent", severity="medium",
    title=Text(fr="Vidéos, cartes et réseaux sociaux intégrés après consentement",
               en="Videos, maps and social embeds loaded after consent"),
    explanation=Text(
        fr="Une vidéo YouTube, une carte Google ou un fil Facebook intégrés chargent des traceurs de ces "
           "plateformes dès l'affichage de la page.",
        en="An embedded YouTube video, Google map or Facebook feed loads those platforms' trackers as soon as "
           "the page is shown."),
    remediation=Text(
        fr="Remplacer l'intégration par une vignette qui ne charge le contenu qu'au clic (tarteaucitron.js le "
           "fait), ou utiliser youtube-nocookie.com et une carte OpenStreetMap auto-hébergée.",
        en="Replace the embed with a placeholder that loads the content on click (tarteaucitron.js does it), or "
           "use youtube-nocookie.com and a self-hosted OpenStreetMap map."),
    refs=REFS_COOKIES, effort="low",
)


def trim(url: str) -> str:
    """URL without query string or fragment (they carry visitor identifiers), bounded."""
    try:
        u = urlsplit(url)
    except ValueError:
        return url[:200]
    return f"{u.scheme}://{u.netloc}{u.path}"[:300]


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def requests_by_host(obs: dict, phase: str) -> dict[str, dict]:
    """First request per host of a phase, with its entity and category."""
    out: dict[str, dict] = {}
    for r in obs.get("requests", []):
        if r.get("phase") != phase:
            continue
        host = r.get("host") or _host(r.get("url", ""))
        if not host:
            continue
        if host in out:  # later requests of the host: what they send still counts (exempt or not)
            if len(out[host]["sent"]) < 20_000:
                out[host]["sent"] += " " + r.get("url", "") + " " + (r.get("post") or "")
            continue
        hit = data.classify(host, urlsplit(r.get("url", "")).path or "/")
        out[host] = {**r, "host": host, "entity": hit[0] if hit else None, "category": hit[1] if hit else None,
                     "first_party": data.first_party(host, obs["name"], obs.get("domain")),
                     "sent": r.get("url", "") + " " + (r.get("post") or "")}
    return out


def trackers(obs: dict, phase: str) -> tuple[list[dict], list[dict], list[dict]]:
    """(trackers needing consent, exempt audience measurement, tag managers) of a phase."""
    cookies = obs.get("cookies", {}).get(phase if phase != "after_accept" else "after", [])
    need, exempt, managers = [], [], []
    for host, r in sorted(requests_by_host(obs, phase).items()):
        if r["category"] not in data.TRACKER_CATEGORIES:
            continue
        if r["first_party"] and r["entity"] != "Matomo":
            continue
        item = {"host": host, "entity": r["entity"], "category": r["category"], "url": trim(r.get("url", "")),
                "page": trim(r.get("page") or obs.get("final_url") or ""),
                "initiator": trim(r.get("initiator") or "")}
        if r["category"] == "analytics" and data.exempt_audience(r, cookies):
            exempt.append(item)
        elif r["category"] == "tag-manager":
            managers.append(item)
        else:
            need.append(item)
    if need:  # a tag manager that loads trackers is part of them
        need = managers + need
        managers = []
    return need, exempt, managers


def judge_loaded(obs: dict) -> Finding:
    ev = {k: obs.get(k) for k in ("start_url", "final_url", "status", "truncated", "offsite", "dialogs",
                                  "navigation_errors")}
    ev["requests"] = len(obs.get("requests", []))
    if obs.get("error"):
        return LOADED.finding("error", target=obs["name"], evidence={**ev, "reason": obs["error"]})
    return LOADED.finding("pass", target=obs["name"], evidence=ev)


def judge_trackers(obs: dict) -> Finding:
    need, exempt, managers = trackers(obs, "before")
    after, _, _ = trackers(obs, "after_accept")
    ev = {"trackers": need, "exempt_audience": exempt, "tag_managers_alone": managers,
          "released_after_accept": after, "dataset": f"third-party-web {data.dataset_version()}"}
    if need:
        names = sorted({t["entity"] or t["host"] for t in need})
        return TRACKERS.finding("fail", target=obs["name"], evidence=ev, detail=Text(
            fr="Traceurs chargés avant tout consentement : " + ", ".join(names),
            en="Trackers loaded before any consent: " + ", ".join(names)))
    if exempt:
        names = sorted({t["entity"] for t in exempt})
        return TRACKERS.finding("pass", target=obs["name"], evidence=ev, detail=Text(
            fr="Mesure d'audience exemptée de consentement : " + ", ".join(names) + " (configuration à confirmer)",
            en="Audience measurement exempt from consent: " + ", ".join(names) + " (configuration to confirm)"))
    return TRACKERS.finding("pass", target=obs["name"], evidence=ev)


def classify_cookies(obs: dict, key: str) -> dict[str, list[dict]]:
    """Cookies of a phase ("before"/"after") sorted into necessary, exempt, tracker, third_party, unknown."""
    out: dict[str, list[dict]] = {"necessary": [], "exempt": [], "tracker": [], "third_party": [], "unknown": []}
    for c in obs.get("cookies", {}).get(key, []):
        item = {k: c.get(k) for k in ("name", "domain", "days")}
        domain = (c.get("domain") or "").lstrip(".")
        kind = data.cookie_kind(c["name"])
        fp = data.first_party(domain, obs["name"], obs.get("domain")) if domain else True
        if kind == "necessary":
            out["necessary"].append(item)
        elif kind == "exempt" and fp and (c.get("days") is None or c["days"] <= data.THIRTEEN_MONTHS_DAYS):
            out["exempt"].append(item)
        elif kind in ("tracker", "exempt") or not fp:
            out["tracker" if fp else "third_party"].append(item)
        elif c.get("days") is None:
            out["necessary"].append(item)  # a first-party session cookie: gone with the browser
        else:
            out["unknown"].append(item)
    return out


def judge_cookies(obs: dict) -> Finding:
    sorted_ = classify_cookies(obs, "before")
    bad = sorted_["tracker"] + sorted_["third_party"]
    ev = {**sorted_, "released_after_accept": classify_cookies(obs, "after")["tracker"]}
    if bad:
        names = sorted({c["name"] for c in bad})
        return COOKIES.finding("fail", target=obs["name"], evidence=ev, detail=Text(
            fr="Cookies non essentiels déposés avant le consentement : " + ", ".join(names),
            en="Non-essential cookies set before consent: " + ", ".join(names)))
    if sorted_["unknown"]:
        names = sorted({c["name"] for c in sorted_["unknown"]})
        return COOKIES.finding("warn", target=obs["name"], evidence=ev, severity="low", detail=Text(
            fr="Cookies persistants à faire justifier par le prestataire : " + ", ".join(names),
            en="Persistent cookies the provider should justify: " + ", ".join(names)))
    return COOKIES.finding("pass", target=obs["name"], evidence=ev)


def judge_fonts(obs: dict) -> Finding:
    hosts = set()
    for host, r in requests_by_host(obs, "before").items():
        if r["first_party"]:
            continue
        if r["category"] == "font" or r.get("type") == "Font":
            hosts.add(host)
    for r in obs.get("requests", []):  # a font file from a third party, even on a host seen for other things
        if r.get("phase") == "before" and r.get("type") == "Font" and not data.first_party(
                r.get("host", ""), obs["name"], obs.get("domain")):
            hosts.add(r.get("host", ""))
    ev = {"hosts": sorted(hosts)}
    if hosts:
        return FONTS.finding("warn", target=obs["name"], evidence=ev, detail=Text(
            fr="Polices chargées chez des tiers : " + ", ".join(sorted(hosts)),
            en="Fonts loaded from third parties: " + ", ".join(sorted(hosts))))
    return FONTS.finding("pass", target=obs["name"], evidence=ev)


def judge_embeds(obs: dict) -> Finding:
    found, private = [], []
    for host, r in sorted(requests_by_host(obs, "before").items()):
        if r["first_party"] or r["category"] not in data.EMBED_CATEGORIES:
            continue
        if r["category"] == "social" and r.get("type") not in ("Document", "Script"):
            continue
        item = {"host": host, "entity": r["entity"], "category": r["category"], "url": trim(r.get("url", ""))}
        (private if r["category"] == "video-private" else found).append(item)
    ev = {"embeds": found, "privacy_enhanced": private}
    if found:
        names = sorted({e["entity"] for e in found})
        return EMBEDS.finding("fail", target=obs["name"], evidence=ev, detail=Text(
            fr="Contenus tiers chargés avant le consentement : " + ", ".join(names),
            en="Third-party content loaded before consent: " + ", ".join(names)))
    return EMBEDS.finding("pass", target=obs["name"], evidence=ev)


def judge_visit(obs: dict) -> list[Finding]:
    """Every privacy check of one web name, from its visit record."""
    from .privacy_consent import judge_banner
    from .privacy_legal import judge_legal

    loaded = judge_loaded(obs)
    if obs.get("error"):
        return [loaded]
    return [loaded, judge_trackers(obs), judge_cookies(obs), judge_banner(obs), judge_fonts(obs),
            judge_embeds(obs), *judge_legal(obs)]


def judge(obs: dict) -> list[Finding]:
    """The privacy family's findings for one target (observation of `cyberaudit.probes.privacy`): a name
    without an address, or where nothing answers, is skipped when implicit (`www.` of a domain) and an
    error when declared."""
    out: list[Finding] = []
    for entry in obs.get("names") or []:
        visit, explicit = entry.get("visit"), entry.get("explicit", False)
        if visit is None:
            if entry.get("dns_error") or explicit:
                out.append(LOADED.finding("error", target=entry["name"],
                                          evidence={"reason": entry.get("dns_error") or "no address"}))
            continue
        if visit.get("unreachable") and not explicit:
            continue  # nothing answers on this implicit name
        out += judge_visit(visit)
    return out
