"""One short paragraph that explains a Score: how it is made, what capped it, what is unknown.

Shown on the summary page of both reports, at the end of `assess` and by `report`; docs/scoring.md
says the same thing. Pure: a Score in, a string out.
"""

from __future__ import annotations

from ..assessment.scoring import PROVISIONAL_BELOW, Score
from .common import number, percent


def grade_text(s: Score, lang: str) -> str:
    """'D', 'D (provisoire)' or 'non évalué'."""
    if s.grade is None:
        return "non évalué" if lang == "fr" else "not assessed"
    if s.provisional:
        return f"{s.grade} (provisoire)" if lang == "fr" else f"{s.grade} (provisional)"
    return s.grade


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n < 2 else many}"


def _missing(s: Score, lang: str) -> list[str]:
    cov, fr = s.coverage, lang == "fr"
    parts = []
    if cov.unknown:
        ess = len(cov.unknown_essential)
        if fr:
            part = _plural(len(cov.unknown), "réponse « je ne sais pas », comptée", "réponses « je ne sais pas », comptées")
            part += " comme mesure non en place"
            if ess:
                part += f" (dont {_plural(ess, 'mesure essentielle', 'mesures essentielles')})"
        else:
            part = _plural(len(cov.unknown), "\"I don't know\" answer", "\"I don't know\" answers")
            part += " counted as not in place" + (f" ({ess} essential)" if ess else "")
        parts.append(part)
    if cov.unanswered:
        parts.append(_plural(len(cov.unanswered), "question sans réponse", "questions sans réponse") if fr
                     else _plural(len(cov.unanswered), "unanswered question", "unanswered questions"))
    if cov.errors:
        parts.append(_plural(len(cov.errors), "contrôle non testé", "contrôles non testés") if fr
                     else _plural(len(cov.errors), "check not tested", "checks not tested"))
    if cov.not_scanned:
        fams = ", ".join(cov.not_scanned)
        parts.append(f"tests techniques non lancés ({fams})" if fr else f"technical tests not run ({fams})")
    return parts


def explanation(s: Score, lang: str, workspace_hint: str = "--workspace DIR") -> str:
    """The paragraph, in French or English."""
    fr = lang == "fr"
    if s.grade is None:
        return ("Non évalué : rien n'est encore connu (aucune réponse à l'entretien, aucune analyse technique), il n'y a "
                f"donc pas de note. Commencez par l'entretien : cyberaudit assess {workspace_hint}, puis l'analyse : "
                f"cyberaudit scan {workspace_hint}." if fr else
                "Not assessed: nothing is known yet (no interview answer, no technical scan), so there is no grade. "
                f"Start with the interview: cyberaudit assess {workspace_hint}, then the scan: "
                f"cyberaudit scan {workspace_hint}.")
    cov = s.coverage
    total = cov.known + len(cov.errors) + len(cov.unknown) + len(cov.unanswered) + cov.not_scanned_points
    out = []
    if s.score is not None:
        out.append(f"Le score de {number(s.score, lang)} sur 100 est la moyenne des thèmes évalués, chacun conditionné "
                   "par ses mesures essentielles." if fr else
                   f"The score of {number(s.score, lang)} out of 100 is the mean of the assessed themes, each gated by "
                   "its essential measures.")
    cap = s.cap
    if cap is not None:
        title = cap.title.pick(lang) + (f" ({cap.target})" if cap.target else "")
        if fr:
            why = "mesure inconnue, comptée comme non en place" if cap.unknown else "non-conformité"
            out.append(f"La note {s.grade} est plafonnée par « {title} » ({why} : {cap.label.fr}) ; "
                       f"le score seul donnerait {s.band_grade}.")
        else:
            why = "unknown measure, counted as not in place" if cap.unknown else "failure"
            out.append(f"The grade {s.grade} is capped by “{title}” ({why}: {cap.label.en}); "
                       f"the score alone would give {s.band_grade}.")
    else:
        out.append(f"La note {s.grade} découle du score." if fr else f"The grade {s.grade} follows from the score.")
    missing = _missing(s, lang)
    cov_txt = percent(cov.ratio, lang)
    if fr:
        line = f"Couverture {cov_txt} : {cov.known} points connus sur {total}"
        line += " ; inconnus : " + ", ".join(missing) + "." if missing else "."
    else:
        line = f"Coverage {cov_txt}: {cov.known} points known out of {total}"
        line += "; unknown: " + ", ".join(missing) + "." if missing else "."
    out.append(line)
    if s.provisional:
        threshold = percent(float(PROVISIONAL_BELOW), lang)
        out.append(f"La note est provisoire : moins de {threshold} des points sont connus, elle peut encore beaucoup "
                   "changer." if fr else
                   f"The grade is provisional: less than {threshold} of the points are known, it may still change a lot.")
    return " ".join(out)
