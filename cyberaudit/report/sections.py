"""Report sections beyond the summary: RGPD, regulatory situation, evolution, annex."""

from __future__ import annotations

from functools import partial
from typing import Any

from ..assessment.scoring import GRADE_BANDS, Score, rules
from ..content.regulation import status_label
from ..model import Assessment, Finding, Status
from ..words import long_date
from .common import SEVERITY, Ctx, clean, natural, number, text, word
from .labels import pick
from .view import ActivityRow, Annex, EvolutionView, RefGroup, Rgpd, RowView, ScopeRow

DPO_TYPES = {"internal": ("interne", "internal"), "external": ("externe", "external"),
             "shared": ("mutualisé", "shared")}


def _tr(lang: str, fr: str, en: str) -> str:
    return en if lang == "en" else fr


def _has(f: Finding, *words: str) -> bool:
    low = f.id.lower()
    return any(w in low for w in words)


def rgpd(a: Assessment, ctx: Ctx) -> Rgpd:
    lang, org = ctx.lang, a.organisation
    L = partial(_tr, lang)
    dpo = org.dpo
    dpo_rows = [RowView(label=L("DPO désigné", "DPO appointed"),
                    value=clean(dpo.name) if dpo and dpo.name else L("non renseigné", "not given"))]
    if dpo and dpo.type:
        dpo_rows.append(RowView(label=L("Type", "Type"), value=pick(DPO_TYPES[dpo.type], lang)))
    if dpo and dpo.email:
        dpo_rows.append(RowView(label=L("Contact", "Contact"), value=clean(dpo.email)))
    dpo_rows.append(RowView(label=L("Désignation à la CNIL", "CNIL designation"),
                        value=clean(dpo.cnil_designation) if dpo and dpo.cnil_designation
                        else L("numéro non renseigné", "number not given")))
    reg = a.meta.get("register") or {}
    acts = reg.get("activities") or []
    reg_findings = [f for f in a.findings if f.source == "register"]
    failing = {f.target for f in reg_findings if f.status is Status.FAIL and f.target}
    if not reg.get("available"):
        reg_text = L("Le contrôle du registre n'est pas disponible dans cette version.",
                     "The register check is not available in this version.")
    elif not acts:
        reg_text = L("Aucune activité de traitement n'est inscrite au registre (art. 30 RGPD) : il est à constituer.",
                     "No processing activity is recorded (GDPR art. 30): the register must be built.")
    else:
        ok = len([x for x in acts if x.get("id") not in failing])
        reg_text = L(f"{len(acts)} activité(s) de traitement inscrite(s) ; {ok} sans erreur bloquante.",
                     f"{len(acts)} processing activit(y/ies) recorded; {ok} without a blocking error.")
    statuses = {"draft": L("brouillon", "draft"), "validated": L("validée", "validated"),
                "archived": L("archivée", "archived")}
    rows = []
    for act in acts:
        mine = [f for f in reg_findings if f.target == act.get("id")]
        bad = [f for f in mine if f.status in (Status.FAIL, Status.WARN)]
        rows.append(ActivityRow(
            id=clean(act.get("id", ""), 40), name=clean(act.get("name", ""), 200),
            status=statuses.get(act.get("status", ""), clean(act.get("status", ""), 40)),
            failed=sum(f.status is Status.FAIL for f in bad), warned=sum(f.status is Status.WARN for f in bad),
            issues=", ".join(sorted({text(f.title, lang) for f in bad}))))
    priv = [f for f in a.findings if f.source != "register"]
    return Rgpd(
        dpo_rows=dpo_rows, activities=rows,
        dpo_findings=[ctx.finding(f) for f in priv if _has(f, ".dpo.", "dpo_")],
        register_text=reg_text,
        register_findings=[ctx.finding(f) for f in reg_findings if f.status is not Status.PASS],
        dpias=[ctx.finding(f) for f in a.findings if _has(f, "dpia", "aipd") and f.status in (Status.FAIL, Status.WARN)],
        breach=[ctx.finding(f) for f in a.findings
                if _has(f, "breach", "violation") or {"gdpr:33", "gdpr:34"} & set(f.references)
                and f.source == "interview"],
    )


def regulatory(a: Assessment, profile: Any, ctx: Ctx) -> list[RowView]:
    lang = ctx.lang
    L = partial(_tr, lang)
    facts = getattr(profile, "facts", None)
    if facts is None:
        return [RowView(label=L("Profil", "Profile"), value=L("faits réglementaires indisponibles",
                                                             "regulatory facts unavailable"))]
    org = a.organisation
    dpo_ok = bool(org.dpo and org.dpo.name)
    rows = [RowView(
        label=L("DPO obligatoire (RGPD art. 37-1-a)", "Mandatory DPO (GDPR art. 37(1)(a))"),
        value=L("Oui", "Yes") if facts.dpo_mandatory else L("Non", "No"),
        note=(L("un DPO est renseigné", "a DPO is on record") if dpo_ok
              else L("aucun DPO renseigné dans organisation.yaml", "no DPO in organisation.yaml")))]
    nis2 = facts.nis2
    status = text(status_label(nis2.status), lang)  # « Entité essentielle (au titre du projet de loi) »
    rows.append(RowView(label="NIS 2", value=status, note=text(nis2.note, lang)))
    try:
        reen = profile.fact_value("reen_required", org.population)
    except (AttributeError, TypeError):
        reen = None
    rows.append(RowView(
        label=L("Loi REEN : stratégie numérique responsable (art. 35)", "REEN law: responsible digital strategy (art. 35)"),
        value=L("À vérifier (population inconnue)", "To check (population unknown)") if reen is None
        else L("Obligatoire", "Required") if reen else L("Non obligatoire", "Not required"),
        note=L(f"communes et EPCI de plus de {facts.reen_threshold:,} habitants".replace(",", " "),
               f"communes and EPCI over {facts.reen_threshold:,} inhabitants")))
    return rows


def regulatory_lines(rows: list[RowView], lang: str) -> list[str]:
    """The regulatory situation in two lines: the GDPR (DPO), then NIS 2 and the REEN law."""
    sep = " : " if lang == "fr" else ": "

    def one(row: RowView) -> str:
        return f"{row.label}{sep}{row.value}" + (f" ({row.note})" if row.note and row.label.startswith(("DPO", "Mandatory")) else "")

    if not rows:
        return []
    join = " ; " if lang == "fr" else "; "
    return [one(rows[0]) + ".", join.join(one(r) for r in rows[1:]) + "." if len(rows) > 1 else ""]


def _label(f: Finding, lang: str) -> str:
    t = text(f.title, lang)
    return f"{t} ({clean(f.target, 200)})" if f.target else t


def evolution(current: Assessment, cur: Score, previous: Assessment | None, prev: Score | None,
              ctx: Ctx) -> EvolutionView | None:
    if previous is None or prev is None:
        return None
    lang = ctx.lang
    order = {"pass": 3, "info": 3, "warn": 2, "fail": 1}
    before = {f.key: f for f in previous.findings}
    after = {f.key: f for f in current.findings}
    better, worse, new, fixed = [], [], [], []
    for key in sorted(set(before) | set(after)):
        b, n = before.get(key), after.get(key)
        if n is None:
            if b.status in (Status.FAIL, Status.WARN):
                fixed.append(_label(b, lang))
            continue
        if n.status not in (Status.FAIL, Status.WARN, Status.PASS):
            continue
        if b is None or b.status not in order:
            if n.status in (Status.FAIL, Status.WARN):
                new.append(_label(n, lang))
            continue
        if order[n.status.value] > order[b.status.value]:
            (fixed if n.status is Status.PASS else better).append(_label(n, lang))
        elif order[n.status.value] < order[b.status.value]:
            worse.append(_label(n, lang))
    delta = None if cur.score is None or prev.score is None else cur.score - prev.score
    themes = []
    for tb, ta in zip(prev.themes, cur.themes, strict=True):
        if tb.score is None and ta.score is None:
            continue
        d = None if tb.score is None or ta.score is None else ta.score - tb.score
        themes.append(RowView(label=text(ta.title, lang), value=f"{number(tb.score, lang)} → {number(ta.score, lang)}",
                              note="" if d is None else ("+" if d > 0 else "") + number(d, lang)))
    return EvolutionView(
        previous_date=long_date(previous.generated_at.date(), lang) if previous.generated_at else "—",
        previous_iso=previous.generated_at.date().isoformat() if previous.generated_at else "",
        score_before=number(prev.score, lang), score_after=number(cur.score, lang),
        grade_before=prev.grade or "—", grade_after=cur.grade or "—",
        delta_text="—" if delta is None else ("+" if delta > 0 else "") + number(delta, lang),
        themes=themes, better=better, worse=worse, new=new, fixed=fixed)


def annex(a: Assessment, ctx: Ctx) -> Annex:
    lang = ctx.lang
    L = partial(_tr, lang)
    r = rules()
    weights = ", ".join(f"{word(SEVERITY, k, lang)} {number(v, lang)}" for k, v in r["severity_weights"].items())
    bands = ", ".join(f"{g} ≥ {floor}" for floor, g in GRADE_BANDS)
    caps = "; ".join(f"{c['label'][lang]}" for c in r["caps"])
    months = ", ".join(f"{g} : {m} {L('mois', 'months')}" for g, m in r["reassess_months"].items())
    methodology = [
        L("Trois sources : les tests techniques passifs (DNS, messagerie, TLS, web) et, lorsqu'ils sont autorisés, "
          "actifs (ports, MFA) ; l'entretien guidé avec la collectivité ; le contrôle du registre RGPD.",
          "Three sources: passive technical tests (DNS, e-mail, TLS, web) and, when authorised, active ones "
          "(ports, MFA); the guided interview with the organisation; the GDPR register check."),
        L("Chaque constat porte un identifiant stable, une sévérité, des références (ANSSI, CNIL, RGPD, RFC) et une "
          "action corrective. Ce qui n'a pas pu être testé ou reste inconnu est compté comme couverture manquante, "
          "jamais comme un succès ni comme un zéro.",
          "Every finding has a stable ID, a severity, references (ANSSI, CNIL, GDPR, RFC) and a remediation. "
          "What could not be tested or is unknown counts as missing coverage, never as a success nor as a zero."),
    ]
    scoring_rules = [
        L("Une mesure = un identifiant de constat ; son crédit est son pire résultat : conforme 1, à améliorer 0,5 "
          "(ou le score partiel de la réponse), non conforme 0.",
          "One measure = one finding ID; its credit is its worst result: pass 1, warn 0.5 (or the answer's "
          "partial score), fail 0."),
        L(f"Poids par sévérité : {weights}.", f"Weights by severity: {weights}."),
        L("Par thème, les mesures essentielles du profil conditionnent le score (indice cyber de MonServiceSécurisé) : "
          "score = 100 × (0,6 + 0,4 × rR) × rI, où rI et rR sont les parts réalisées des mesures essentielles et "
          "recommandées.",
          "Per theme, the profile's essential measures gate the score (MonServiceSécurisé's indice cyber): "
          "score = 100 × (0.6 + 0.4 × rR) × rI, where rI and rR are the shares done of essential and "
          "recommended measures."),
        L("Score global : moyenne des thèmes évalués pondérée par le profil.",
          "Overall score: mean of the assessed themes weighted by the profile."),
        L("Une réponse « je ne sais pas » compte comme une mesure non en place (et peut plafonner la note) ; "
          "elle baisse aussi la couverture et devient une action « Vérifier avec … ». Sans aucune réponse ni "
          "analyse, il n'y a pas de note ; sous deux tiers des points connus, la note est provisoire.",
          "An \"I don't know\" answer counts as a measure not in place (and can cap the grade); it also lowers "
          "the coverage and becomes a \"check with …\" action. With no answer and no scan there is no grade; "
          "below two thirds of the points known, the grade is provisional."),
        L(f"Note : {bands}. Plafonds : {caps}.", f"Grade: {bands}. Caps: {caps}."),
        L(f"Prochaine évaluation : {months} ; au plus {r['low_coverage']['months']} mois si moins de la moitié "
          "des points est connue.",
          f"Next assessment: {months}; at most {r['low_coverage']['months']} months when less than half of the "
          "picture is known."),
    ]
    scope = [ScopeRow(name=clean(row.get("name", ""), 200), kind=clean(row.get("kind", "")),
                      scope=", ".join(clean(s) for s in row.get("scope") or []),
                      authorization=clean(row.get("authorization") or "—", 200))
             for row in a.meta.get("scope") or []]
    scan = a.meta.get("scan")
    if scan:
        scan_text = L(f"Analyse du {clean(scan.get('started_at') or '—')} ; familles : {', '.join(scan.get('checks') or [])}.",
                      f"Scan of {clean(scan.get('started_at') or '—')}; families: {', '.join(scan.get('checks') or [])}.")
        if scan.get("recorded"):
            scan_text += L(" (résultats enregistrés)", " (recorded results)")
    else:
        scan_text = L("Aucune analyse technique enregistrée.", "No technical scan recorded.")
    groups: dict[str, list[str]] = {}
    for ref in ctx.refs_seen:
        key, _, item = ref.partition(":")
        groups.setdefault(key, []).append(item)
    refs = []
    for key in sorted(groups):
        fw = ctx.frameworks.get(key)
        refs.append(RefGroup(key=clean(key), title=text(fw.title, lang) if fw is not None else "",
                             items=[clean(i) for i in sorted(groups[key], key=natural)]))
    return Annex(methodology=methodology, scoring_rules=scoring_rules, references=refs, scope=scope,
                 scan_text=scan_text)
