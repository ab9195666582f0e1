"""Retention periods as people write them: ISO 8601 (P30D, P1Y6M) or words (30 jours, 1 mois, 2 ans).

`days(text)` gives an upper bound in days (a month counts 31 days, a year 366) or None when the text
is not a period ("durée de l'inscription"); `is_indefinite(text)` spots "illimitée", "indefinite", ...
"""

from __future__ import annotations

import re

_ISO = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$", re.I)
_WORDS = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(jours?|j|days?|d|semaines?|weeks?|w|mois|months?|ans?|années?|annees?|years?|y)\b",
    re.I)
_UNIT_DAYS = {"j": 1, "jour": 1, "jours": 1, "d": 1, "day": 1, "days": 1,
              "semaine": 7, "semaines": 7, "week": 7, "weeks": 7, "w": 7,
              "mois": 31, "month": 31, "months": 31,
              "an": 366, "ans": 366, "année": 366, "années": 366, "annee": 366, "annees": 366,
              "year": 366, "years": 366, "y": 366}
INDEFINITE = ("illimit", "indéfini", "indefini", "indefinite", "unlimited", "sans limite", "no limit",
              "permanent", "perpétu", "perpetu", "à vie", "for ever", "forever", "toujours", "infini")


def is_indefinite(text: str | None) -> bool:
    if not text:
        return False
    low = text.strip().lower()
    return any(word in low for word in INDEFINITE)


def days(text: str | None) -> int | None:
    """Longest period written in `text`, in days (upper bound), or None."""
    if not text:
        return None
    s = text.strip()
    m = _ISO.match(s)
    if m and any(m.groups()):
        y, mo, w, d = (int(g or 0) for g in m.groups())
        return y * 366 + mo * 31 + w * 7 + d
    best = None
    for num, unit in _WORDS.findall(s):
        value = float(num.replace(",", "."))
        n = int(round(value * _UNIT_DAYS[unit.lower()]))
        best = n if best is None else max(best, n)
    return best
