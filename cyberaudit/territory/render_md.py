"""The barometer in Markdown (also the anonymised edition). Every member-provided value is escaped."""

from __future__ import annotations

from typing import Any

from ..i18n import t
from .render import bucket_label, count, md, pct, pick


def _names(people: list[dict[str, str]], limit: int = 60) -> str:
    shown = ", ".join(f"{md(p['name'])} ({p['siren']})" for p in people[:limit])
    more = len(people) - limit
    return shown + (t(f" et {more} autres", f" and {more} more") if more > 0 else "")


def _intro(data: dict[str, Any]) -> list[str]:
    L = [f"# {t('Baromètre du territoire', 'Territory barometer')} : {md(data['territory']['name'])}", ""]
    L.append(t(f"Au {data['as_of']} : {data['territory']['declared']} membre(s) déclaré(s), {data['assessed']} "
               f"évalué(s), {count(data['not_assessed'])} non évalué(s) (rien de connu : hors notes, moyennes et "
               f"parts), {count(data['not_counted'])} non compté(s) (fichiers absents ou illisibles).",
               f"As of {data['as_of']}: {data['territory']['declared']} member(s) declared, {data['assessed']} "
               f"assessed, {count(data['not_assessed'])} not assessed (nothing known: in no grade, mean or share), "
               f"{count(data['not_counted'])} not counted (files missing or unreadable)."))
    if data.get("anonymised"):
        L += ["", t(f"Édition anonymisée : aucun nom ni SIREN ; groupes de moins de {data['min_group']} membres "
                    "évalués fusionnés.",
                    f"Anonymised edition: no name or SIREN; groups of fewer than {data['min_group']} assessed members "
                    "merged.")]
    return L


def _indicators(data: dict[str, Any]) -> list[str]:
    L = ["", f"## {t('Indicateurs', 'Indicators')}", "",
         f"| {t('Indicateur', 'Indicator')} | {t('Part', 'Share')} | {t('Oui', 'Yes')} | {t('En partie', 'Partly')} "
         f"| {t('Non', 'No')} | {t('Inconnu', 'Unknown')} | {t('Référence nationale', 'National reference')} |",
         "|---|---:|---:|---:|---:|---:|---:|"]
    for ind in data["indicators"]:
        c = ind["counts"]
        L.append(f"| {md(pick(ind['label']))} | {pct(ind['share'])} | {c['yes']} | {c['partial']} | {c['no']} "
                 f"| {c['unknown']} | {pct(ind['survey'])} |")
    L += ["", t("Part : membres répondant « oui » parmi les membres évalués dont la situation est connue ; "
                "« inconnu » ne compte jamais comme « non ».",
                "Share: members answering 'yes' among the assessed members whose situation is known; 'unknown' "
                "never counts as 'no'."), ""]
    L.append(t("Référence nationale : enquête ANPP « Flash Territoires de projet et usages du numérique », même "
               "question ; « je ne sais pas » y compte comme « non » :",
               "National reference: ANPP survey 'Flash Territoires de projet et usages du numérique', same "
               "question; 'I don't know' counts as 'no':"))
    L.append("")
    for ind in data["indicators"]:
        if ind["survey"] is not None:
            L.append(f"- {md(pick(ind['label']))} : {pct(ind['share'])} "
                     + t(f"ici, {pct(ind['survey'])} au niveau national", f"here, {pct(ind['survey'])} nationally")
                     + f" ({md(pick(ind['survey_question']))})")
    return L


def _changes(data: dict[str, Any]) -> list[str]:
    ch = data.get("changes")
    L = ["", f"## {t('Ce qui a changé depuis le mois précédent', 'What changed since the previous month')}", ""]
    if not ch:
        return L + [t("Pas de mois précédent dans l'historique git.", "No previous month in the git history.")]
    L += [t(f"Depuis {ch['since']} : {count(ch['arrived'])} arrivée(s), {count(ch['left'])} départ(s).",
            f"Since {ch['since']}: {count(ch['arrived'])} arrival(s), {count(ch['left'])} departure(s)."), "",
          f"| {t('Indicateur', 'Indicator')} | {t('En progrès', 'Improved')} | {t('En recul', 'Regressed')} |",
          "|---|---:|---:|"]
    for row in ch["indicators"]:
        L.append(f"| {md(pick(row['label']))} | {count(row['improved'])} | {count(row['regressed'])} |")
    if not data.get("anonymised"):
        for row in ch["indicators"]:
            for key, word in (("improved", t("en progrès", "improved")), ("regressed", t("en recul", "regressed"))):
                if row[key]:
                    L.append(f"- {md(pick(row['label']))}, {word} : {_names(row[key])}")
    return L


def _grades(data: dict[str, Any]) -> list[str]:
    g = data["grades"]
    L = ["", f"## {t('Notes', 'Grades')}", "", f"| A | B | C | D | E | F | — | {t('Non évalué', 'Not assessed')} |",
         "|---:|---:|---:|---:|---:|---:|---:|---:|",
         "| " + " | ".join(str(g[k]["count"]) for k in ("A", "B", "C", "D", "E", "F", "none", "not_assessed")) + " |",
         ""]
    s = data["score"]
    if s["mean"] is not None:
        L += [t(f"Score moyen : {s['mean']} / 100 (médiane {s['median']}, {s['members']} membres évalués).",
                f"Mean score: {s['mean']} / 100 (median {s['median']}, {s['members']} assessed members)."), ""]
    L += [f"## {t('Scores par thème', 'Scores by theme')}", "",
          f"| {t('Thème', 'Theme')} | {t('Moyenne', 'Mean')} | {t('Membres', 'Members')} |", "|---|---:|---:|"]
    for th in data["themes"]:
        L.append(f"| {md(pick(th['title']))} | {'—' if th['mean'] is None else th['mean']} | {th['members']} |")
    return L


def _by_kind(data: dict[str, Any]) -> list[str]:
    groups = data["by_kind"]
    L = ["", f"## {t('Par type de membre', 'By kind of member')}", ""]
    if not groups:
        return L + [t("Aucun groupe assez grand.", "No group large enough.")]
    L += ["| " + t("Groupe", "Group") + " | " + " | ".join(md(pick(g["label"])) for g in groups) + " |",
          "|---|" + "---:|" * len(groups),
          "| " + t("Membres (évalués)", "Members (assessed)") + " | "
          + " | ".join(f"{g['members']} ({g['assessed']})" for g in groups) + " |",
          "| " + t("Score moyen", "Mean score") + " | "
          + " | ".join("—" if g["mean_score"] is None else str(g["mean_score"]) for g in groups) + " |"]
    for ind in data["indicators"]:
        L.append(f"| {md(pick(ind['label']))} | " + " | ".join(pct(g["shares"][ind["id"]]) for g in groups) + " |")
    return L


def _trend(data: dict[str, Any]) -> list[str]:
    rows = data["trend"]
    L = ["", f"## {t('Évolution mensuelle', 'Monthly trend')}", ""]
    if not rows:
        return L + [t("Pas d'historique git disponible.", "No git history available.")]
    inds = data["indicators"]
    L += ["| " + t("Mois", "Month") + " | " + t("Membres", "Members") + " | " + t("Évalués", "Assessed") + " | "
          + " | ".join(str(i + 1) for i in range(len(inds))) + " |",
          "|---|---:|---:|" + "---:|" * len(inds)]
    for r in rows:
        L.append(f"| {r['month']} | {r['members']} | {r['assessed']} | "
                 + " | ".join(pct(r["indicators"][ind["id"]]["share"]) for ind in inds) + " |")
    L += [""] + [f"{i + 1}. {md(pick(ind['label']))}" for i, ind in enumerate(inds)]
    return L


def _lists(data: dict[str, Any]) -> list[str]:
    if data.get("anonymised"):
        reasons = [f"- {md(n['reason'])} : {n['count']}" for n in data["not_counted"]]
        return ["", f"## {t('Membres non comptés', 'Members not counted')}", ""] + (reasons or [t("Aucun.", "None.")])
    L = ["", f"## {t('Membres non évalués (rien de connu)', 'Members not assessed (nothing known)')}", ""]
    L += [f"- {md(m['name'])} ({m['siren']})" for m in data["not_assessed"]] or [t("Aucun.", "None.")]
    L += ["", f"## {t('Non évalués depuis plus d’un an', 'Not assessed for more than a year')}", ""]
    L += [f"- {md(m['name'])} ({m['siren']}) : {m['assessed_at'] or t('date inconnue', 'date unknown')}"
          for m in data["stale"]] or [t("Aucun.", "None.")]
    L += ["", f"## {t('Membres non comptés', 'Members not counted')}", ""]
    L += [f"- {md(n['name'] or '')} ({md(n['siren'])}) : {md(pick(n['label']))} — {md(n['detail'])}"
          for n in data["not_counted"]] or [t("Aucun.", "None.")]
    L += ["", f"## {t('Membres derrière chaque chiffre', 'Members behind each figure')}", ""]
    for ind in data["indicators"]:
        L += [f"### {md(pick(ind['label']))}", ""]
        for bucket in ("yes", "partial", "no", "unknown", "na"):
            people = ind["members"][bucket]
            if people:
                L.append(f"- **{bucket_label(bucket)}** ({len(people)}) : {_names(people)}")
        L.append("")
    return L


def markdown(data: dict[str, Any]) -> str:
    L = _intro(data) + _indicators(data) + _changes(data) + _grades(data) + _by_kind(data) + _trend(data)
    L += _lists(data)
    return "\n".join(L).rstrip("\n") + "\n"
