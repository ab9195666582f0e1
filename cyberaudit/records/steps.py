"""The fields `incident add` / `incident edit` ask for, in order (fr/en), with the conditions that show them."""

from __future__ import annotations

from ..register.model import SUBJECTS
from ..register.steps import Step
from .model import DATA_KINDS, NATURES, ORIGINS

YES, NO = ("oui", "yes"), ("non", "no")
RISKS = {"none": ("Risque improbable", "Unlikely to result in a risk"), "risk": ("Risque", "Risk"),
         "high": ("Risque élevé", "High risk")}
TIME_HELP = ("Heure locale de l'organisation (AAAA-MM-JJ HH:MM), ou avec son décalage (2026-10-25T02:30+02:00).",
             "The organisation's local time (YYYY-MM-DD HH:MM), or with its offset (2026-10-25T02:30+02:00).")


def _sub(d: dict, key: str) -> dict:
    v = d.get(key)
    return v if isinstance(v, dict) else {}


def _notified(d: dict) -> bool:
    return _sub(d, "cnil").get("notified") is True


def _not_notified(d: dict) -> bool:
    return _sub(d, "cnil").get("notified") is False


def _informed(d: dict) -> bool:
    return _sub(d, "people").get("informed") is True


def _not_informed(d: dict) -> bool:
    return _sub(d, "people").get("informed") is False


def _nis2_open(d: dict) -> bool:
    return _sub(d, "nis2").get("significant") is not False


STEPS: tuple[Step, ...] = (
    Step("title", "Résumé en une ligne (sans nom de personne)", "One-line summary (no person's name)", "text",
         required=True),
    Step("occurred_at", "Début de la violation (AAAA-MM-JJ HH:MM ; la date seule si l'heure est inconnue)",
         "Start of the breach (YYYY-MM-DD HH:MM; the date alone if the time is unknown)", "moment",
         help_fr=TIME_HELP[0], help_en=TIME_HELP[1], required=True),
    Step("aware_at", "Prise de connaissance par la collectivité (AAAA-MM-JJ HH:MM) : le délai de 72 h part de là",
         "When the organisation became aware (YYYY-MM-DD HH:MM): the 72-hour clock starts there", "datetime",
         help_fr=TIME_HELP[0], help_en=TIME_HELP[1], required=True),
    Step("origin", "Origine", "Origin", "choice", ORIGINS),
    Step("nature", "Nature : atteinte à la confidentialité, l'intégrité, la disponibilité (numéros)",
         "Nature: confidentiality, integrity, availability (numbers)", "multi", NATURES, required=True),
    Step("description", "Circonstances (ce qui s'est passé)", "Circumstances (what happened)", "text"),
    Step("data_categories", "Catégories de données concernées (numéros)", "Data categories (numbers)", "multi",
         DATA_KINDS),
    Step("subject_categories", "Catégories de personnes concernées (numéros)", "Categories of people (numbers)",
         "multi", SUBJECTS),
    Step("people_count", "Nombre approximatif de personnes", "Approximate number of people", "int"),
    Step("records_count", "Nombre approximatif d'enregistrements", "Approximate number of records", "int"),
    Step("encrypted", "Données chiffrées et clé non compromise ? (oui/non)", "Data encrypted, key safe? (yes/no)", "bool"),
    Step("consequences", "Conséquences probables pour les personnes", "Likely consequences for the people", "text"),
    Step("measures_taken", "Mesures prises", "Measures taken", "text"),
    Step("measures_proposed", "Mesures envisagées", "Measures proposed", "text"),
    Step("risk", "Appréciation du risque par le DPO", "The DPO's risk assessment", "choice", RISKS),
    Step("cnil.notified", "Notifiée à la CNIL ? (oui/non, Entrée si pas encore décidé)",
         "Notified to the CNIL? (yes/no, Enter if not decided yet)", "bool"),
    Step("cnil.notified_at", "Date et heure de la notification (AAAA-MM-JJ HH:MM)",
         "Date and time of the notification (YYYY-MM-DD HH:MM)", "datetime", when=_notified, required=True),
    Step("cnil.reference", "Numéro de la notification (téléservice CNIL)", "Notification number (CNIL teleservice)",
         "text", when=_notified),
    Step("cnil.delay_reason", "Motifs du retard, si notifiée après 72 h", "Reasons for the delay, if after 72 h",
         "text", when=_notified),
    Step("cnil.reason_not", "Pourquoi ne pas notifier (risque improbable : le motiver)",
         "Why not notify (risk unlikely: give the reasons)", "text", when=_not_notified, required=True),
    Step("people.informed", "Personnes informées ? (oui/non, Entrée si pas encore décidé)",
         "People informed? (yes/no, Enter if not decided yet)", "bool"),
    Step("people.informed_at", "Date et heure de l'information (AAAA-MM-JJ HH:MM)",
         "Date and time they were told (YYYY-MM-DD HH:MM)", "datetime", when=_informed, required=True),
    Step("people.how", "Comment (courrier, courriel, avis public…)", "How (letter, e-mail, public notice…)", "text",
         when=_informed),
    Step("people.reason_not", "Pourquoi ne pas les informer (exception de l'art. 34(3), risque non élevé)",
         "Why not tell them (art. 34(3) exception, risk not high)", "text", when=_not_informed, required=True),
    Step("nis2.significant", "NIS 2 (projet de loi) : incident important ? (oui/non, Entrée si à apprécier)",
         "NIS2 (bill): significant incident? (yes/no, Enter if to assess)", "bool"),
    Step("nis2.early_warning_at", "NIS 2 : alerte précoce envoyée le (AAAA-MM-JJ HH:MM)",
         "NIS2: early warning sent on (YYYY-MM-DD HH:MM)", "datetime", when=_nis2_open),
    Step("nis2.notification_at", "NIS 2 : notification envoyée le", "NIS2: notification sent on", "datetime",
         when=_nis2_open),
    Step("nis2.report_at", "NIS 2 : rapport final envoyé le", "NIS2: final report sent on", "datetime", when=_nis2_open),
    Step("activities", "Activités du registre concernées (T-001, T-004…)", "Register activities concerned (T-001, T-004…)",
         "ids"),
    Step("handler", "Dossier suivi par", "Handled by", "text"),
)
NIS2_KEYS = ("nis2.significant", "nis2.early_warning_at", "nis2.notification_at", "nis2.report_at")
YESNO = (YES, NO)
