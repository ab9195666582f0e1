"""`register check`: the record judged the way a careful DPO would, as findings (source "register").

    check(activities, org, today=date, probe_findings=None) -> list[Finding]

Pure: no I/O, no clock (the caller gives `today`). Each rule gives a pass or a fail/warn finding per
activity it applies to (target = activity ID); register-level rules have no target. Archived
activities are not checked. Rule metadata (IDs, texts, references): rules_meta.py.
"""

from __future__ import annotations

import datetime as dt

from ..model import Finding, Severity, Text
from ..words import long_date
from . import dpia as dpia_mod
from . import rules_meta as R
from .durations import days, is_indefinite
from .model import ART9_TYPES, EEA, LEGAL_BASES, Activity, Retention
from .rules_security import _asset_security, _index_by_id, _index_probe, _security_measures
from .vocab import VALID_SAFEGUARDS
from .website import check_website

__all__ = ["check", "check_activity", "missing_fields", "_index_probe"]

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
        out.extend(check_activity(a, today=today, by_asset=by_asset, known=known, staff=getattr(org, "staff", None)))
        out.append(_security_measures(a, by_id, known_ids))
    out.extend(check_website(live, probe_findings))
    return out


def inventory_names(org) -> set[str] | None:
    inv = getattr(org, "inventory", None)
    if inv is None:
        return None
    return {n for asset in inv.all_assets() for n in (asset.name, *asset.web_names)}


def check_activity(a: Activity, *, today: dt.date, by_asset: dict[str, list[Finding]] | None = None,
                   known: set[str] | None = None, staff: int | None = None) -> list[Finding]:
    """`staff`: the organisation's headcount (organisation.yaml), for the CNIL "fewer than 250" exemption."""
    out: list[Finding | None] = [_required(a), _stale(a, today)]
    if a.role != "processor":
        out += [_legal_basis(a), _basis_text(a), _legitimate(a), _special(a), _criminal(a), _nir(a), _retention(a),
                _retention_source(a), _dpia_required(a, staff), _dpia_review(a, today), _video(a)]
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
        fr, en = (long_date(last, "fr"), long_date(last, "en")) if last else ("aucune date", "no date")
        return R.REGISTER_STALE.finding("fail", target=None, evidence={"last_update": last.isoformat() if last else None},
                                        detail=_d(f"Dernière mise à jour : {fr}.", f"Last update: {en}."))
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
    """The art. 30(1)(b)-(d) items of a controller's record (30(2)(a)-(b) for a processor) that are empty."""
    if a.role == "processor":
        wanted = {"purpose": a.purpose, "on_behalf_of": a.on_behalf_of}
    else:
        wanted = {"purpose": a.purpose, "data_subjects": a.data_subjects, "data_categories": a.data_categories
                  or [s for s in a.special_data], "recipients": a.recipients or a.processors}
    return [k for k, v in wanted.items() if not v or (isinstance(v, str) and not v.strip())]


def _required(a: Activity) -> Finding:
    from .table import BY_FIELD

    missing = missing_fields(a)
    if missing:
        fr = ", ".join(BY_FIELD[k].label for k in missing)
        return R.REQUIRED_FIELDS.finding("fail", target=a.id, evidence={"missing": missing}, detail=_d(
            "Champs manquants : " + fr, "Missing fields: " + ", ".join(k.replace("_", " ") for k in missing)))
    return R.REQUIRED_FIELDS.finding("pass", target=a.id)


def _legal_basis(a: Activity) -> Finding:
    if not a.legal_bases:
        return R.LEGAL_BASIS.finding("fail", target=a.id, detail=_d("Aucune base légale indiquée.",
                                                                    "No lawful basis given."))
    return R.LEGAL_BASIS.finding("pass", target=a.id, evidence={"bases": [LEGAL_BASES[b.basis][0]
                                                                          for b in a.legal_bases]})


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
    if not defined:  # art. 30(1)(f): "where possible", a warning
        return R.RETENTION.finding("warn", target=a.id, evidence={"retention": None}, detail=_d(
            "Aucune durée de conservation (art. 30(1)(f) : « dans la mesure du possible »).",
            "No retention period (art. 30(1)(f): 'where possible')."))
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


def _dpia_required(a: Activity, staff: int | None = None) -> Finding:
    s = dpia_mod.screen(a, staff=staff)
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
    if s.refused:
        why_fr += " ; " + s.refused[0]
        why_en += "; " + s.refused[1]
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
    invalid = sorted({f"{r} ({c})" for r, c, s in outside if s and s not in VALID_SAFEGUARDS})
    if bad or invalid:
        return R.TRANSFER.finding("fail", target=a.id, evidence={"without_safeguard": bad, "invalid": invalid},
                                  detail=_d("; ".join([*(["Sans garantie : " + ", ".join(bad)] if bad else []),
                                                       *(["Privacy shield, invalidé en 2020 : " + ", ".join(invalid)]
                                                         if invalid else [])]),
                                            "; ".join([*(["No safeguard: " + ", ".join(bad)] if bad else []),
                                                       *(["Privacy Shield, invalidated in 2020: " + ", ".join(invalid)]
                                                         if invalid else [])])))
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
