"""`register check`: the record judged the way a careful DPO would, as findings (source "register").

    check(activities, org, today=date, probe_findings=None) -> list[Finding]

Pure: no I/O, no clock (the caller gives `today`). Each rule gives a pass or a fail/warn finding per
activity it applies to (target = activity ID); register-level rules have no target. Archived
activities are not checked. Rule metadata (IDs, texts, references): rules_meta.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..model import SEVERITY_RANK, Finding, Severity, Status, Text
from . import dpia as dpia_mod
from . import rules_meta as R
from .durations import days, is_indefinite
from .model import ART9_TYPES, EEA, LEGAL_BASES, Activity, Retention
from .website import check_website

STALE_DAYS = 365
DPIA_MAX_AGE_DAYS = 3 * 365 + 1
VIDEO_MAX_DAYS = 31  # "un mois" (CSI L252-5); 30 days in CNIL wording


def _d(fr: str, en: str) -> Text:
    return Text(fr=fr, en=en)


def check(activities: list[Activity], org, *, today: dt.date,
          probe_findings: list[Finding] | None = None, evidence_findings: list[Finding] | None = None,
          known_ids: set[str] | None = None) -> list[Finding]:
    """`evidence_findings` (probe and interview) and `known_ids` (question and check IDs) let the
    security measures of each activity be resolved and compared with the assessment."""
    out: list[Finding] = []
    live = [a for a in activities if a.status != "archived"]
    out.append(_register_missing(live))
    if live:
        out.append(_register_stale(live, today))
    out.append(_contacts(org))
    by_asset = _index_probe(probe_findings) if probe_findings is not None else None
    known = inventory_names(org)
    by_id = _index_by_id(evidence_findings) if evidence_findings is not None else None
    for a in sorted(live, key=lambda x: x.id):
        out.extend(check_activity(a, today=today, by_asset=by_asset, known=known))
        out.append(_security_measures(a, by_id, known_ids))
    out.extend(check_website(live, probe_findings))
    return out


def inventory_names(org) -> set[str] | None:
    inv = getattr(org, "inventory", None)
    if inv is None:
        return None
    return {n for asset in inv.all_assets() for n in (asset.name, *asset.web_names)}


def check_activity(a: Activity, *, today: dt.date, by_asset: dict[str, list[Finding]] | None = None,
                   known: set[str] | None = None) -> list[Finding]:
    out: list[Finding | None] = [_required(a), _stale(a, today)]
    if a.role != "processor":
        out += [_basis_text(a), _legitimate(a), _special(a), _criminal(a), _nir(a), _retention(a),
                _retention_source(a), _dpia_required(a), _dpia_review(a, today), _video(a)]
    else:
        out.append(_processor_record(a))
    out += [_transfers(a), _processors(a)]
    if by_asset is not None:
        out.append(_asset_security(a, by_asset))
    if known is not None and a.assets:
        out.append(_assets_inventory(a, known))
    return [f for f in out if f is not None]


def _assets_inventory(a: Activity, known: set[str]) -> Finding:
    unknown = [x for x in a.assets if x not in known]
    if unknown:
        return R.ASSETS_INVENTORY.finding("warn", target=a.id, evidence={"not_in_inventory": unknown}, detail=_d(
            "Absents de l'inventaire : " + ", ".join(unknown), "Not in the inventory: " + ", ".join(unknown)))
    return R.ASSETS_INVENTORY.finding("pass", target=a.id)


# --------------------------------------------------------------------------- register level


def _register_missing(live: list[Activity]) -> Finding:
    if not live:
        return R.REGISTER_MISSING.finding("fail", target=None, detail=_d(
            "Aucune activité de traitement n'est enregistrée.", "No processing activity is recorded."),
            evidence={"activities": 0})
    return R.REGISTER_MISSING.finding("pass", target=None, evidence={"activities": len(live)})


def _register_stale(live: list[Activity], today: dt.date) -> Finding:
    dates = [a.updated or a.created for a in live if (a.updated or a.created)]
    last = max(dates) if dates else None
    if last is None or (today - last).days > STALE_DAYS:
        when = last.isoformat() if last else "?"
        return R.REGISTER_STALE.finding("fail", target=None, evidence={"last_update": last.isoformat() if last else None},
                                        detail=_d(f"Dernière mise à jour : {when}.", f"Last update: {when}."))
    return R.REGISTER_STALE.finding("pass", target=None, evidence={"last_update": last.isoformat()})


def _contacts(org) -> Finding:
    dpo = getattr(org, "dpo", None)
    missing = []
    if not (getattr(org, "name", None)):
        missing.append("organisation.name")
    if dpo is None or not dpo.name:
        missing.append("dpo.name")
    if dpo is None or not (dpo.email or dpo.phone):
        missing.append("dpo.email")
    if missing:
        return R.REGISTER_CONTACTS.finding("fail", target=None, evidence={"missing": missing}, detail=_d(
            "Manquant dans organisation.yaml : " + ", ".join(missing), "Missing in organisation.yaml: " + ", ".join(missing)))
    return R.REGISTER_CONTACTS.finding("pass", target=None)


# --------------------------------------------------------------------------- activity level


def missing_fields(a: Activity) -> list[str]:
    if a.role == "processor":
        wanted = {"purpose": a.purpose, "on_behalf_of": a.on_behalf_of, "security_measures": a.security_measures}
    else:
        wanted = {"purpose": a.purpose, "legal_bases": a.legal_bases, "data_subjects": a.data_subjects,
                  "data_categories": a.data_categories, "recipients": a.recipients or a.processors,
                  "retention": a.all_retentions(), "security_measures": a.security_measures}
    return [k for k, v in wanted.items() if not v or (isinstance(v, str) and not v.strip())]


def _required(a: Activity) -> Finding:
    missing = missing_fields(a)
    if missing:
        return R.REQUIRED_FIELDS.finding("fail", target=a.id, evidence={"missing": missing}, detail=_d(
            "Champs manquants : " + ", ".join(missing), "Missing fields: " + ", ".join(missing)))
    return R.REQUIRED_FIELDS.finding("pass", target=a.id)


def _stale(a: Activity, today: dt.date) -> Finding:
    last = a.updated or a.created
    if last is None or (today - last).days > STALE_DAYS:
        return R.ACTIVITY_STALE.finding("warn", target=a.id, evidence={"updated": last.isoformat() if last else None})
    return R.ACTIVITY_STALE.finding("pass", target=a.id, evidence={"updated": last.isoformat()})


def _basis_text(a: Activity) -> Finding | None:
    relevant = [b for b in a.legal_bases if b.basis in ("legal_obligation", "public_task")]
    if not relevant:
        return None
    bare = [LEGAL_BASES[b.basis][0] for b in relevant if not (b.text and b.text.strip())]
    if bare:
        return R.BASIS_TEXT.finding("warn", target=a.id, evidence={"without_text": bare})
    return R.BASIS_TEXT.finding("pass", target=a.id)


def _legitimate(a: Activity) -> Finding | None:
    if not a.legal_bases:
        return None
    if any(b.basis == "legitimate_interests" for b in a.legal_bases):
        return R.LEGITIMATE.finding("fail", target=a.id, evidence={"basis": "6.1.f"})
    return R.LEGITIMATE.finding("pass", target=a.id)


def _special(a: Activity) -> Finding | None:
    art9 = [s for s in a.special_data if s.type in ART9_TYPES]
    if not art9:
        return None
    bad = [s.type for s in art9 if s.exception is None]
    if bad:
        return R.SPECIAL.finding("fail", target=a.id, evidence={"without_exception": bad})
    return R.SPECIAL.finding("pass", target=a.id, evidence={"exceptions": sorted({s.exception for s in art9})})


def _criminal(a: Activity) -> Finding | None:
    rows = [s for s in a.special_data if s.type == "offences"]
    if not rows:
        return None
    if any(not (s.basis and s.basis.strip()) for s in rows):
        return R.CRIMINAL.finding("fail", target=a.id)
    return R.CRIMINAL.finding("pass", target=a.id)


def _nir(a: Activity) -> Finding | None:
    rows = [s for s in a.special_data if s.type == "nir"]
    if not rows:
        return None
    if any(not (s.basis and s.basis.strip()) for s in rows):
        return R.NIR.finding("warn", target=a.id)
    return R.NIR.finding("pass", target=a.id)


def _indefinite(r: Retention) -> bool:
    return is_indefinite(r.duration) and r.end_action != "archiving"


def _retention(a: Activity) -> Finding:
    rets = a.all_retentions()
    defined = [r for r in rets if r.duration and r.duration.strip()]
    if not defined:
        return R.RETENTION.finding("fail", target=a.id, evidence={"retention": None}, detail=_d(
            "Aucune durée de conservation.", "No retention period."))
    bad = [r.duration for r in defined if _indefinite(r)]
    if bad:
        return R.RETENTION.finding("fail", target=a.id, evidence={"indefinite": bad}, detail=_d(
            "Durée sans limite : " + ", ".join(bad), "Period without limit: " + ", ".join(bad)))
    return R.RETENTION.finding("pass", target=a.id)


def _retention_source(a: Activity) -> Finding | None:
    rets = [r for r in a.all_retentions() if r.duration]
    if not rets:
        return None
    if any(not (r.source and r.source.strip()) for r in rets):
        return R.RETENTION_SOURCE.finding("warn", target=a.id)
    return R.RETENTION_SOURCE.finding("pass", target=a.id)


def _dpia_required(a: Activity) -> Finding:
    s = dpia_mod.screen(a)
    ev = {**s.evidence(), "done": a.dpia.done, "fired": s.reasons()}
    refs = [r for r in s.reasons() if not r.startswith("gdpr:")] + [r for r in s.reasons() if r.startswith("gdpr:")]
    names = [dpia_mod.CRITERIA_TEXT[c] for c in s.criteria]
    crit_fr = f"{len(s.criteria)} critère(s) WP248 : " + ", ".join(n[0] for n in names) if names else "aucun critère WP248"
    crit_en = f"{len(s.criteria)} WP248 criteria: " + ", ".join(n[1] for n in names) if names else "no WP248 criterion"
    why_fr = "; ".join([crit_fr]
                       + [f"liste CNIL n° {n} ({dpia_mod.CNIL_TYPES[n][0]})" for n in s.cnil_types]
                       + [f"art. 35(3)({x}) : {dpia_mod.ART35_3[x][0]}" for x in s.art35_3])
    why_en = "; ".join([crit_en]
                       + [f"CNIL list no. {n} ({dpia_mod.CNIL_TYPES[n][1]})" for n in s.cnil_types]
                       + [f"art. 35(3)({x}): {dpia_mod.ART35_3[x][1]}" for x in s.art35_3])
    if s.exemption is not None and not s.required:
        ex = dpia_mod.EXEMPTIONS.get(s.exemption, ("", ""))
        why_fr += f" ; liste d'exemption CNIL : {ex[0] or s.exemption}"
        why_en += f"; CNIL exemption list: {ex[1] or s.exemption}"
    detail = _d(why_fr, why_en)
    if s.required and not a.dpia.done:
        return R.DPIA_REQUIRED.finding("fail", target=a.id, evidence=ev, detail=detail, refs=refs)
    return R.DPIA_REQUIRED.finding("pass", target=a.id, evidence=ev, detail=detail, refs=refs)


def _dpia_review(a: Activity, today: dt.date) -> Finding | None:
    if not a.dpia.done:
        return None
    if a.dpia.date is None:
        return R.DPIA_REVIEW.finding("warn", target=a.id, evidence={"date": None}, detail=_d(
            "AIPD réalisée mais non datée.", "DPIA done but not dated."))
    age = (today - a.dpia.date).days
    ev = {"date": a.dpia.date.isoformat(), "age_days": age}
    if age > DPIA_MAX_AGE_DAYS:
        return R.DPIA_REVIEW.finding("fail", target=a.id, evidence=ev)
    return R.DPIA_REVIEW.finding("pass", target=a.id, evidence=ev)


def _video(a: Activity) -> Finding | None:
    if a.video is None:
        return None
    limits = [days(r.duration) for r in a.all_retentions() if r.duration and not is_indefinite(r.duration)]
    limits = [n for n in limits if n is not None]
    if not limits:
        return R.VIDEO.finding("fail", target=a.id, evidence={"max_days": None}, detail=_d(
            "Aucune durée maximale de conservation des images.", "No maximum retention for the recordings."))
    longest = max(limits)
    if longest > VIDEO_MAX_DAYS:
        return R.VIDEO.finding("fail", target=a.id, severity=Severity.MEDIUM, evidence={"max_days": longest},
                               detail=_d(f"Conservation jusqu'à {longest} jours.", f"Kept up to {longest} days."))
    return R.VIDEO.finding("pass", target=a.id, evidence={"max_days": longest})


def _processor_record(a: Activity) -> Finding:
    if not a.on_behalf_of:
        return R.PROCESSOR_RECORD.finding("fail", target=a.id)
    return R.PROCESSOR_RECORD.finding("pass", target=a.id, evidence={"controllers": len(a.on_behalf_of)})


def _transfers(a: Activity) -> Finding | None:
    outside = [(x.recipient, x.country, x.safeguard) for x in a.transfers if x.country not in EEA]
    covered = {x.recipient.strip().lower() for x in a.transfers if x.safeguard}
    for p in a.processors:
        if p.country and p.country not in EEA and p.name.strip().lower() not in covered:
            outside.append((p.name, p.country, None))
    if not outside:
        return None
    bad = sorted({f"{r} ({c})" for r, c, s in outside if not s})
    if bad:
        return R.TRANSFER.finding("fail", target=a.id, evidence={"without_safeguard": bad}, detail=_d(
            "Sans garantie : " + ", ".join(bad), "No safeguard: " + ", ".join(bad)))
    return R.TRANSFER.finding("pass", target=a.id)


def _processors(a: Activity) -> Finding | None:
    if not a.processors:
        return None
    missing = sorted(p.name for p in a.processors if p.art28_clauses is False)
    unknown = sorted(p.name for p in a.processors if p.art28_clauses is None)
    if missing:
        return R.PROCESSOR.finding("fail", target=a.id, evidence={"without_clauses": missing, "unknown": unknown})
    if unknown:
        return R.PROCESSOR.finding("warn", target=a.id, severity=Severity.MEDIUM, evidence={"unknown": unknown})
    return R.PROCESSOR.finding("pass", target=a.id)


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
                    contradicted.append(f"{m.id}={f.status.value}" + (f"@{f.target}" if f.target else ""))
    evidence = {"measures": ids, "unknown_ids": unknown, "contradicted": sorted(set(contradicted))}
    if any(c.split("=", 1)[1].startswith("fail") for c in contradicted):
        return R.SECURITY_MEASURES.finding("fail", target=a.id, evidence=evidence, detail=_d(
            "Mesures déclarées mais contredites par l'évaluation : " + ", ".join(sorted(set(contradicted))),
            "Measures declared but contradicted by the assessment: " + ", ".join(sorted(set(contradicted)))))
    if contradicted or unknown:
        return R.SECURITY_MEASURES.finding("warn", target=a.id, evidence=evidence, detail=_d(
            "À revoir : " + ", ".join([*sorted(set(contradicted)), *(f"{i} (identifiant inconnu)" for i in unknown)]),
            "To review: " + ", ".join([*sorted(set(contradicted)), *(f"{i} (unknown ID)" for i in unknown)])))
    return R.SECURITY_MEASURES.finding("pass", target=a.id, evidence=evidence)
