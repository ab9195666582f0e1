"""`register check` rules on security: probe findings on an activity's assets, and the security measures
of its record (art. 30(1)(g), art. 32) confronted with the assessment. Pure, like rules.py."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import SEVERITY_RANK, Finding, Severity, Status, Text
from . import rules_meta as R
from .model import Activity


def _d(fr: str, en: str) -> Text:
    return Text(fr=fr, en=en)


# --------------------------------------------------------------------------- probe findings on the assets


def _index_probe(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        if f.target and f.source == "probe":
            out.setdefault(f.target.lower().rstrip("."), []).append(f)
    return out


# Probe families that bear on the security of a service a processing runs on (art. 32); findings of
# other families (mail, dns) count only when high or critical (e.g. a domain about to expire).
SERVICE_FAMILIES = ("tls", "web", "ports", "mfa")
DETAIL_MAX = 5


def _relevant(f: Finding) -> bool:
    return f.id.split(".", 1)[0] in SERVICE_FAMILIES or SEVERITY_RANK[f.severity] >= SEVERITY_RANK[Severity.HIGH]


def _asset_security(a: Activity, by_asset: dict[str, list[Finding]]) -> Finding | None:
    seen = [f for asset in a.assets for f in by_asset.get(asset, []) if _relevant(f)]
    if not seen:
        return None
    bad = [f for f in seen if f.status in (Status.FAIL, Status.WARN)]
    ids = sorted({f"{f.id}@{f.target}" for f in bad})
    if not bad:
        return R.ASSET_SECURITY.finding("pass", target=a.id, evidence={"assets": a.assets, "probe_findings": []})
    order = sorted(bad, key=lambda f: (f.status is not Status.FAIL, -SEVERITY_RANK[f.severity], f.id, f.target or ""))
    worst = order[0]
    status = Status.FAIL if worst.status is Status.FAIL else Status.WARN
    shown = list(dict.fromkeys((f.title.fr, f.title.en, f.target) for f in order))
    more = len(shown) - DETAIL_MAX
    fr = "; ".join(f"{x[0]} ({x[2]})" for x in shown[:DETAIL_MAX]) + (f" ; et {more} autre(s)" if more > 0 else "")
    en = "; ".join(f"{x[1]} ({x[2]})" for x in shown[:DETAIL_MAX]) + (f"; and {more} more" if more > 0 else "")
    return R.ASSET_SECURITY.finding(status, target=a.id, severity=worst.severity,
                                    evidence={"assets": a.assets, "probe_findings": ids},
                                    detail=_d("Constats : " + fr, "Findings: " + en))


# --------------------------------------------------------------------------- security measures (art. 30(1)(g))


def _index_by_id(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.id, []).append(f)
    return out


def _security_measures(a: Activity, by_id: dict[str, list[Finding]] | None,
                       known_ids: set[str] | None) -> Finding:
    from ..model import REF

    measures = a.security_measures
    if not measures:
        return R.SECURITY_MEASURES.finding("warn", target=a.id, evidence={"measures": []}, detail=_d(
            "Aucune mesure de sécurité décrite", "No security measure described"))
    ids = [m.id for m in measures if m.id]
    unknown = sorted(i for i in ids if known_ids is not None and i not in known_ids and not REF.match(i))
    contradicted: list[str] = []
    if by_id is not None:
        relevant = set(a.assets)
        for m in measures:
            if not m.id or m.status in ("planned", "missing"):
                continue
            for f in by_id.get(m.id, []):
                if f.target not in (None, *relevant) and f.source == "probe":
                    continue  # a probe finding on another asset says nothing about this processing
                if f.status in (Status.FAIL, Status.WARN):
                    # "I don't know" weighs like "no" (never better): an unknown answer is not a confirmation
                    said = "unknown" if (f.evidence or {}).get("answer") == "unknown" else f.status.value
                    contradicted.append(f"{m.id}={said}" + (f"@{f.target}" if f.target else ""))
    evidence = {"measures": ids, "unknown_ids": unknown, "contradicted": sorted(set(contradicted))}
    if any(c.split("=", 1)[1].startswith(("fail", "unknown")) for c in contradicted):
        return R.SECURITY_MEASURES.finding("fail", target=a.id, evidence=evidence, detail=_d(
            "Mesures déclarées mais contredites par l'évaluation : " + ", ".join(sorted(set(contradicted))),
            "Measures declared but contradicted by the assessment: " + ", ".join(sorted(set(contradicted)))))
    if contradicted or unknown:
        return R.SECURITY_MEASURES.finding("warn", target=a.id, evidence=evidence, detail=_d(
            "À revoir : " + ", ".join([*sorted(set(contradicted)), *(f"{i} (identifiant inconnu)" for i in unknown)]),
            "To review: " + ", ".join([*sorted(set(contradicted)), *(f"{i} (unknown ID)" for i in unknown)])))
    return R.SECURITY_MEASURES.finding("pass", target=a.id, evidence=evidence)
