"""The barometer's figures from members' buckets: one computation for the headline and every month.

    counts_of(indicators, verdicts)          # {indicator id: {yes, partial, no, unknown, na, share}}
    month_row(indicators, month, declared, verdicts)
    changes(indicators, before, after, names)  # improved / regressed members per indicator
    kind_group(kind, population)             # commune by size, EPCI, syndicate, other

`verdicts` holds assessed members only (something known): a member with nothing known is in
no count and no share, and the row says how many were declared and how many were assessed.
"""

from __future__ import annotations

from typing import Any

from .indicators import BUCKETS, Indicator

RANK = {"no": 0, "partial": 1, "yes": 2}  # unknown and n/a are not comparable: neither better nor worse
GROUPS = ("commune_small", "commune_medium", "commune_large", "commune_city", "commune_nosize", "epci", "syndicat",
          "other")
GROUP_LABELS = {
    "commune_small": ("Communes de moins de 1 000 habitants", "Communes under 1,000 inhabitants"),
    "commune_medium": ("Communes de 1 000 à 3 499 habitants", "Communes of 1,000 to 3,499 inhabitants"),
    "commune_large": ("Communes de 3 500 à 9 999 habitants", "Communes of 3,500 to 9,999 inhabitants"),
    "commune_city": ("Communes de 10 000 habitants ou plus", "Communes of 10,000 inhabitants or more"),
    "commune_nosize": ("Communes (population non renseignée)", "Communes (population not given)"),
    "epci": ("Intercommunalités (EPCI)", "Intercommunalities (EPCI)"),
    "syndicat": ("Syndicats", "Syndicates"),
    "other": ("Autres membres", "Other members"),
}
COMMUNE_KINDS = ("petite-commune", "commune", "grande-commune")


def share(counts: dict[str, int]) -> float | None:
    """Share of yes among the members whose answer is known (yes, partial or no), rounded to 0.001."""
    known = counts["yes"] + counts["partial"] + counts["no"]
    return None if known == 0 else round(counts["yes"] / known, 3)


def counts_of(indicators: tuple[Indicator, ...], verdicts: dict[str, dict[str, str]]) -> dict[str, dict[str, Any]]:
    from collections import Counter
    from operator import itemgetter

    out = {}
    for ind in indicators:
        tally = Counter(map(itemgetter(ind.id), verdicts.values()))
        if not tally.keys() <= set(BUCKETS):
            raise KeyError(sorted(set(tally) - set(BUCKETS))[0])
        counts = {b: tally.get(b, 0) for b in BUCKETS}
        out[ind.id] = {**counts, "share": share(counts)}
    return out


def month_row(indicators: tuple[Indicator, ...], month: str, date: str, declared: int,
              verdicts: dict[str, dict[str, str]]) -> dict[str, Any]:
    # no commit id in the row: committing the barometer itself must not change the next barometer
    return {"month": month, "date": date, "members": declared, "assessed": len(verdicts),
            "not_assessed": declared - len(verdicts), "indicators": counts_of(indicators, verdicts)}


def changes(indicators: tuple[Indicator, ...], before: dict[str, dict[str, str]], after: dict[str, dict[str, str]],
            names: dict[str, str]) -> list[dict[str, Any]]:
    """Per indicator: members (assessed both times) whose bucket went up or down since the previous month."""
    rows = []
    both = sorted(set(before) & set(after))
    for ind in indicators:
        improved, regressed = [], []
        for siren in both:
            old, new = RANK.get(before[siren][ind.id]), RANK.get(after[siren][ind.id])
            if old is None or new is None or old == new:
                continue
            who = {"siren": siren, "name": names.get(siren, siren), "from": before[siren][ind.id],
                   "to": after[siren][ind.id]}
            (improved if new > old else regressed).append(who)
        rows.append({"id": ind.id, "label": dict(ind.label), "improved": improved, "regressed": regressed})
    return rows


def kind_group(kind: str, population: int | None) -> str:
    if kind in COMMUNE_KINDS:
        if population is None:
            return "commune_nosize"
        return ("commune_small" if population < 1000 else "commune_medium" if population < 3500
                else "commune_large" if population < 10000 else "commune_city")
    if kind == "epci":
        return "epci"
    if kind.startswith("syndicat"):
        return "syndicat"
    return "other"
