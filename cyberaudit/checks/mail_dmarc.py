"""DMARC checks (RFC 9989): metadata and pure judges, from the observations of
`cyberaudit.probes.mail.gather_dmarc`. The family's judge is `checks.mail.judge`."""

from __future__ import annotations

from ..model import Finding, Text
from . import check
from .outcome import detail, errors_for

DMARC_POLICY = check(
    "mail.dmarc.policy", severity="high",
    title=Text(fr="Politique DMARC appliquée", en="DMARC policy enforced"),
    explanation=Text(
        fr="DMARC dit aux destinataires quoi faire d'un message qui usurpe le domaine ; avec « p=none » ou en "
           "mode test, les faux courriels de la collectivité arrivent quand même dans les boîtes.",
        en="DMARC tells receivers what to do with a message spoofing the domain; with \"p=none\" or in test "
           "mode, fake mail from the authority still reaches inboxes."),
    remediation=Text(
        fr="Après une période d'observation des rapports en p=none, passer à « p=quarantine » puis "
           "« p=reject », sans « t=y ».",
        en="After observing reports with p=none, move to \"p=quarantine\" then \"p=reject\", without \"t=y\"."),
    refs=["rfc:9989", "anssi-pa-066:R48+"], effort="medium",
)
DMARC_REPORTING = check(
    "mail.dmarc.reporting", severity="low",
    title=Text(fr="Rapports DMARC reçus", en="DMARC reports received"),
    explanation=Text(
        fr="Les rapports agrégés (rua) montrent qui envoie du courriel au nom de la collectivité : ils "
           "permettent de durcir la politique sans bloquer un service légitime.",
        en="Aggregate reports (rua) show who sends mail in the authority's name: they make it possible to "
           "tighten the policy without blocking a legitimate service."),
    remediation=Text(
        fr="Ajouter « rua=mailto:dmarc@<domaine> » ; une adresse chez un tiers doit être autorisée par un "
           "enregistrement <domaine>._report._dmarc.<tiers>.",
        en="Add \"rua=mailto:dmarc@<domain>\"; an address at a third party must be authorised by a "
           "<domain>._report._dmarc.<third party> record."),
    refs=["rfc:9989", "anssi-pa-066:R48+"], effort="low",
)


def judge_dmarc_policy(target: str, obs: dict) -> Finding:
    """obs: {"status", "found_at", "record", "policy", "testing", "pct", "problems", "obsolete", "several"}."""
    st = obs["status"]
    if st not in ("ok", "none"):
        return errors_for([DMARC_POLICY], target, st)[0]
    ev = {k: obs.get(k) for k in ("found_at", "record", "policy", "testing", "pct", "problems", "obsolete",
                                  "unknown") if obs.get(k) not in (None, [], False)}
    if st == "none":
        return DMARC_POLICY.finding("fail", target=target, evidence=ev, detail=detail(
            "aucun enregistrement DMARC (ni sur le domaine, ni sur un parent)",
            "no DMARC record (neither on the domain nor on a parent)"))
    where_fr = "sur le domaine" if obs["found_at"] == target else f"hérité de {obs['found_at']}"
    where_en = "on the domain" if obs["found_at"] == target else f"inherited from {obs['found_at']}"
    if obs.get("several"):
        return DMARC_POLICY.finding("fail", target=target, evidence=ev, detail=detail(
            f"plusieurs enregistrements DMARC {where_fr} : ignorés", f"several DMARC records {where_en}: ignored"))
    pol = obs.get("policy")
    if pol is None:
        return DMARC_POLICY.finding("fail", target=target, evidence=ev, detail=detail(
            f"politique invalide {where_fr} : {'; '.join(obs.get('problems', []))}",
            f"invalid policy {where_en}: {'; '.join(obs.get('problems', []))}"))
    if obs.get("testing"):
        return DMARC_POLICY.finding("fail", target=target, evidence=ev, detail=detail(
            f"p={pol} en mode test (t=y) {where_fr} : pas d'application réelle",
            f"p={pol} in test mode (t=y) {where_en}: not enforced"))
    if pol == "none":
        return DMARC_POLICY.finding("fail", target=target, evidence=ev, detail=detail(
            f"p=none {where_fr} : observation seulement", f"p=none {where_en}: monitoring only"))
    pct = obs.get("pct")
    note_fr = note_en = ""
    if obs.get("obsolete"):
        note_fr = f" ; balises obsolètes (RFC 9989) : {', '.join(obs['obsolete'])}"
        note_en = f"; obsolete tags (RFC 9989): {', '.join(obs['obsolete'])}"
    if pct is not None and pct < 100:
        return DMARC_POLICY.finding("warn", target=target, evidence=ev, detail=detail(
            f"p={pol} {where_fr}, mais pct={pct} : d'anciens destinataires ne l'appliquent qu'en partie{note_fr}",
            f"p={pol} {where_en}, but pct={pct}: older receivers apply it only partly{note_en}"))
    if pol == "quarantine":
        return DMARC_POLICY.finding("warn", target=target, evidence=ev, detail=detail(
            f"p=quarantine {where_fr} : étape suivante p=reject{note_fr}",
            f"p=quarantine {where_en}: next step p=reject{note_en}"))
    status = "warn" if obs.get("problems") else "pass"
    return DMARC_POLICY.finding(status, target=target, evidence=ev, detail=detail(
        f"p=reject {where_fr}{note_fr}" + (f" ; {'; '.join(obs['problems'])}" if obs.get("problems") else ""),
        f"p=reject {where_en}{note_en}" + (f"; {'; '.join(obs['problems'])}" if obs.get("problems") else "")))


def judge_dmarc_reporting(target: str, obs: dict) -> Finding:
    """obs: {"status", "rua": [...], "external": {dest: authorised bool|None}}."""
    st = obs["status"]
    if st not in ("ok", "none"):
        return errors_for([DMARC_REPORTING], target, st)[0]
    rua = obs.get("rua") or []
    ext = obs.get("external") or {}
    ev = {"rua": rua, "external": ext, "found_at": obs.get("found_at")}
    if obs.get("rua_invalid"):
        ev["rua_invalid"] = obs["rua_invalid"]
    if st != "none" and not rua and obs.get("rua_invalid"):
        return DMARC_REPORTING.finding("warn", target=target, evidence=ev, detail=detail(
            "rua ne contient aucune adresse valide (mailto:adresse@domaine) : aucun rapport ne peut être envoyé",
            "rua holds no valid URI (mailto:address@domain): no report can be sent"))
    if st == "none" or not rua:
        return DMARC_REPORTING.finding("warn", target=target, evidence=ev, detail=detail(
            "aucune adresse de rapports (rua)", "no report address (rua)"))
    refused = sorted(d for d, ok in ext.items() if ok is False)
    if refused:
        return DMARC_REPORTING.finding("warn", target=target, evidence=ev, detail=detail(
            f"destination externe non autorisée (_report._dmarc absent) : {', '.join(refused)}",
            f"external destination not authorised (no _report._dmarc): {', '.join(refused)}"))
    if any(ok is None for ok in ext.values()):
        return errors_for([DMARC_REPORTING], target, "external authorisation not checkable")[0]
    return DMARC_REPORTING.finding("pass", target=target, evidence=ev, detail=detail(
        f"rapports envoyés à {', '.join(rua)}", f"reports sent to {', '.join(rua)}"))
