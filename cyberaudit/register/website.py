"""The record confronted with what the visitors' browsers do (privacy family of the scan).

A web name whose pages load trackers (before consent, after "accept", or exempt audience measurement)
needs an activity for it in the record: one that lists that host (or its domain) in `assets`, or an
audience-measurement / website activity (template `mesure-audience-cookies`, or its name or purpose
says so) that names no asset or names this one. One finding per such web name (target = the name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Finding, Status, Text
from . import rules_meta as R
from .model import Activity

TEMPLATES = {"mesure-audience-cookies"}
WORDS = re.compile(r"audience|traceur|cookie|tracker|site\s+(?:internet|web)|website|fr[ée]quentation", re.I)


def tracked_sites(probe_findings: Iterable[Finding]) -> dict[str, list[str]]:
    """Web name -> entities seen (trackers before consent, after accept, exempt measurement)."""
    out: dict[str, list[str]] = {}
    for f in probe_findings:
        if f.id != "privacy.trackers.before_consent" or not f.target or f.status is Status.ERROR:
            continue
        ev = f.evidence or {}
        seen = [t.get("entity") or t.get("host") for key in ("trackers", "released_after_accept", "exempt_audience")
                for t in ev.get(key) or [] if isinstance(t, dict)]
        if seen:
            out[f.target.lower().rstrip(".")] = sorted({str(s) for s in seen})
    return out


def _covers(asset: str, host: str) -> bool:
    asset = asset.lower().rstrip(".")
    return host == asset or host.endswith("." + asset)


def _declares(a: Activity, host: str) -> bool:
    if any(_covers(x, host) for x in a.assets):
        return True
    website = a.template in TEMPLATES or bool(WORDS.search(f"{a.name} {a.purpose or ''}"))
    return website and not a.assets


def check_website(live: list[Activity], probe_findings: Iterable[Finding] | None) -> list[Finding]:
    if probe_findings is None:
        return []
    out = []
    for host, entities in sorted(tracked_sites(probe_findings).items()):
        ids = sorted(a.id for a in live if _declares(a, host))
        ev = {"trackers": entities, "activities": ids}
        if ids:
            out.append(R.WEBSITE_TRACKERS.finding("pass", target=host, evidence=ev))
        else:
            out.append(R.WEBSITE_TRACKERS.finding("fail", target=host, evidence=ev, detail=Text(
                fr=f"Aucune activité du registre ne couvre ce site ; traceurs vus : {', '.join(entities)}",
                en=f"No activity of the record covers this site; trackers seen: {', '.join(entities)}")))
    return out
