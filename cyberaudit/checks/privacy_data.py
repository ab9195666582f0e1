"""What a host, a URL or a cookie is, for the privacy judges (pure, data-driven).

Two sources, both shipped in cyberaudit/data/:
* `third_party_web.json`: the third-party-web entity list (npm `third-party-web`, MIT licence, version
  and copyright in the file and in third_party_web.LICENSE): about 2,100 entities with their category
  (ad, analytics, social, tag-manager, consent-provider, video, cdn, ...) and domains;
* `privacy_vendors.yaml`: our supplement (French consent managers and audience-measurement vendors,
  embeds, font hosts, cookie names); it wins over the dataset for the same domain.
"""

from __future__ import annotations

import fnmatch
import json
import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
TRACKER_CATEGORIES = {"ad", "analytics", "social", "marketing", "tag-manager"}
EMBED_CATEGORIES = {"video", "map", "social", "video-private"}
THIRTEEN_MONTHS_DAYS = 396  # CNIL 2020: consent and exempt audience cookies last 13 months at most
# Self-hosted Matomo/Piwik: recognised by its well-known file names on any host.
_MATOMO_PATH = re.compile(r"/(?:matomo|piwik)\.(?:php|js)$", re.I)


@cache
def _tables() -> tuple[dict[str, tuple[str, str]], list[dict], dict]:
    from ..disk import yaml12  # the one YAML reader (1.2 rules, as every other file)

    domains: dict[str, tuple[str, str]] = {}
    dataset = json.loads((DATA / "third_party_web.json").read_text("utf-8"))
    for e in dataset["entities"]:
        for d in e["domains"]:
            domains.setdefault(d.removeprefix("*.").lower(), (e["name"], e["category"]))
    extra = yaml12.loads((DATA / "privacy_vendors.yaml").read_text("utf-8"))
    for v in extra["vendors"]:
        for d in v["domains"]:
            domains[d.lower()] = (v["name"], v["category"])
    return domains, extra.get("path_embeds", []), extra


def dataset_version() -> str:
    return json.loads((DATA / "third_party_web.json").read_text("utf-8")).get("version", "?")


def classify(host: str, path: str = "/") -> tuple[str, str] | None:
    """(entity, category) of a request's host (most specific domain wins), or None when unknown."""
    domains, path_embeds, _ = _tables()
    host = host.lower().rstrip(".")
    for pe in path_embeds:
        if host == pe["host"] and path.startswith(pe["path"]):
            return pe["name"], pe["category"]
    labels = host.split(".")
    for i in range(len(labels) - 1):
        hit = domains.get(".".join(labels[i:]))
        if hit:
            return hit
    if _MATOMO_PATH.search(path):
        return "Matomo", "analytics"
    return None


def consent_managers() -> list[dict]:
    return list(_tables()[2]["consent_managers"])


def _match(name: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def cookie_kind(name: str) -> str | None:
    """"necessary", "exempt" (audience measurement that may be exempt), "tracker" or None (unknown)."""
    extra = _tables()[2]
    if _match(name, extra["necessary_cookies"]):
        return "necessary"
    if _match(name, extra["exempt_cookies"]):
        return "exempt"
    if _match(name, extra["tracker_cookies"]):
        return "tracker"
    return None


def site_of(host: str) -> str:
    """The registrable part of a name, approximated by its last two labels (ville.fr, exemple.gouv.fr
    keeps three when the second-level label is a known French public suffix)."""
    labels = host.lower().rstrip(".").split(".")
    if len(labels) >= 3 and labels[-2] in ("gouv", "asso", "com", "nom", "tm", "presse") and labels[-1] == "fr":
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def first_party(host: str, name: str, domain: str | None = None) -> bool:
    """Is `host` the site itself: the same registrable name as the page, or under the scanned domain."""
    host = host.lower().rstrip(".")
    if host == name or site_of(host) == site_of(name):
        return True
    return bool(domain) and (host == domain or host.endswith("." + domain))


def exempt_audience(req: dict, cookies: list[dict]) -> bool:
    """Audience measurement configured for the CNIL exemption, as far as a visitor can tell.

    Piano Analytics / AT Internet: the hit or the privacy cookie says visitor mode "exempt".
    Matomo: no user ID sent, no heatmap/session-recording plugin, its cookies last 13 months at most.
    `req` is the first request of the host, with `sent`: every URL and body the host received.
    """
    entity = (req.get("entity") or "").lower()
    blob = (req.get("sent") or (req.get("url", "") + " " + (req.get("post") or ""))).lower()
    if "piano" in entity or "xiti" in entity or "at internet" in entity:
        said = [c for c in cookies if c["name"] in ("atauthority", "_pprv")]
        return "exempt" in blob or any("exempt" in (c.get("value") or "").lower() for c in said)
    if entity.startswith("matomo"):
        if "uid=" in blob or "heatmapsessionrecording" in blob:
            return False
        pk = [c for c in cookies if c["name"].startswith("_pk_")]
        return all(c.get("days") is None or c["days"] <= THIRTEEN_MONTHS_DAYS for c in pk)
    return False
