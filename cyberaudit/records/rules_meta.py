"""Finding IDs of the breach log and the request log (source "records"): stable, `rgpd.<subject>.<test>`."""

from __future__ import annotations

from ..model import Finding, Severity, Status, Text
from ..register.rules_meta import Rule

RULES: dict[str, Rule] = {}


def _rule(id: str, severity: str, title: tuple[str, str], explanation: tuple[str, str],
          remediation: tuple[str, str], refs: tuple[str, ...]) -> Rule:
    if id in RULES:
        raise ValueError(f"duplicate records rule {id!r}")
    RULES[id] = r = Rule(id, Severity(severity), Text(fr=title[0], en=title[1]), Text(fr=explanation[0], en=explanation[1]),
                         Text(fr=remediation[0], en=remediation[1]), refs)
    return r


def finding(rule: Rule, status: str, *, target: str | None, detail: tuple[str, str] | None = None,
            evidence: dict | None = None) -> Finding:
    """The rule's finding, marked as coming from the DPO's logs (never from the art. 30 register)."""
    f = rule.finding(Status(status), target=target, detail=Text(fr=detail[0], en=detail[1]) if detail else None,
                     evidence=evidence)
    return f.model_copy(update={"source": "records"})


BREACH_LOG = _rule(
    "rgpd.breaches.log", "medium",
    ("Registre des violations tenu dans l'espace de travail", "Breach log kept in the workspace"),
    ("Toute violation de données se documente, notifiée ou non : faits, effets, mesures prises (art. 33(5)). "
     "Des fiches existent dans breaches/ : le registre est tenu.",
     "Every breach is documented, notified or not: facts, effects, measures taken (art. 33(5)). Files exist in "
     "breaches/: the log is kept."),
    ("Consigner chaque violation avec `cyberaudit incident add`.", "Record each breach with `cyberaudit incident add`."),
    ("gdpr:33(5)",))
CNIL_DEADLINE = _rule(
    "rgpd.breaches.cnil_deadline", "high",
    ("Violation notifiée à la CNIL dans les 72 heures, ou non-notification motivée",
     "Breach notified to the CNIL within 72 hours, or reasons for not notifying recorded"),
    ("La CNIL doit être notifiée dans les 72 heures après la prise de connaissance, sauf si la violation n'est pas "
     "susceptible d'engendrer un risque ; au-delà, la notification est accompagnée des motifs du retard (art. 33(1)).",
     "The CNIL must be notified within 72 hours of becoming aware, unless the breach is unlikely to result in a risk; "
     "a later notification comes with the reasons for the delay (art. 33(1))."),
    ("Notifier sans attendre sur le téléservice de la CNIL (`cyberaudit incident notice ID` prépare le texte), ou "
     "consigner pourquoi la violation ne présente pas de risque.",
     "Notify the CNIL's teleservice now (`cyberaudit incident notice ID` prepares the text), or record why the "
     "breach presents no risk."),
    ("gdpr:33(1)", "cnil-security:19"))
DOCUMENTED = _rule(
    "rgpd.breaches.documented", "medium",
    ("Violation documentée (faits, effets, mesures)", "Breach documented (facts, effects, measures)"),
    ("L'article 33(5) demande de documenter les faits, les effets et les mesures prises, pour que la CNIL puisse "
     "vérifier le respect de l'article 33.",
     "Art. 33(5) requires documenting the facts, the effects and the remedial action, so that the CNIL can verify "
     "compliance with art. 33."),
    ("Compléter la fiche : `cyberaudit incident edit ID`.", "Complete the record: `cyberaudit incident edit ID`."),
    ("gdpr:33(5)",))
PEOPLE_INFORMED = _rule(
    "rgpd.breaches.people_informed", "high",
    ("Personnes informées d'une violation à risque élevé, ou exception motivée",
     "People told of a high-risk breach, or the exception recorded"),
    ("Quand la violation est susceptible d'engendrer un risque élevé, les personnes sont informées sans délai "
     "injustifié, sauf exception de l'article 34(3) (données inintelligibles, mesures ultérieures, effort "
     "disproportionné : alors communication publique).",
     "When the breach is likely to result in a high risk, the people are told without undue delay, unless an "
     "art. 34(3) exception applies (unintelligible data, later measures, disproportionate effort: then a public "
     "communication)."),
    ("Informer les personnes (courrier, courriel, avis public) et le consigner, ou consigner l'exception retenue.",
     "Tell the people (letter, e-mail, public notice) and record it, or record the exception relied on."),
    ("gdpr:34",))
REQUEST_DEADLINE = _rule(
    "rgpd.requests.deadline", "medium",
    ("Demande d'exercice des droits traitée dans le délai", "Data subject request answered on time"),
    ("Le responsable répond dans un délai d'un mois à compter de la réception, prolongeable de deux mois si la "
     "personne en est informée, avec les motifs, dans le premier mois (art. 12(3)).",
     "The controller answers within one month of receipt, extendable by two months if the person is told, with the "
     "reasons, within the first month (art. 12(3))."),
    ("Répondre sans attendre ; suivre les échéances avec `cyberaudit deadlines`.",
     "Answer now; follow the due dates with `cyberaudit deadlines`."),
    ("gdpr:12(3)",))
