"""The words a user reads for statuses, severities, owners, efforts, costs and probe families.

One place for French and English, used by the reports, the terminal (scan table, assess, register)
and anything else that shows these values: `word(SEVERITY, "high", "fr")` -> "Haute".
"""

from __future__ import annotations

STATUS = {
    "pass": ("Conforme", "Pass"), "warn": ("À améliorer", "To improve"), "fail": ("Non conforme", "Fail"),
    "info": ("Information", "Information"), "error": ("Non testé", "Not tested"),
    "unknown": ("Inconnu", "Unknown"), "na": ("Non applicable", "Not applicable"),
}
SEVERITY = {
    "critical": ("Critique", "Critical"), "high": ("Haute", "High"), "medium": ("Moyenne", "Medium"),
    "low": ("Basse", "Low"), "info": ("Information", "Information"),
}
SOURCE = {"probe": ("Test technique", "Technical test"), "interview": ("Entretien", "Interview"),
          "register": ("Registre", "Register"),
          "records": ("Registres des violations et des demandes", "Breach and request logs")}
OWNER = {"dpo": ("DPO", "DPO"), "it_provider": ("Prestataire informatique", "IT provider"),
         "elected": ("Élus", "Elected officials"), "agent": ("Agents, secrétariat", "Staff"),
         "unassigned": ("À désigner", "To be assigned")}
EFFORT = {"low": ("Faible", "Low"), "medium": ("Moyen", "Medium"), "high": ("Élevé", "High")}
COST = {
    "low": ("Faible : quelques heures de travail, sans achat", "Low: a few hours of work, no purchase"),
    "medium": ("Moyen : quelques jours ou un devis de l'ordre de 1 000 à 5 000 €",
               "Medium: a few days, or a quote around €1,000-5,000"),
    "high": ("Élevé : un projet à budgéter (plus de 5 000 €)", "High: a project to budget (over €5,000)"),
}
# The short, upper-case status words of the terminal table of `scan` (the same statuses as STATUS).
SCAN_STATUS = {
    "pass": ("OK", "OK"), "fail": ("ÉCHEC", "FAIL"), "warn": ("ATTENTION", "WARN"),
    "info": ("INFO", "INFO"), "error": ("NON TESTÉ", "NOT TESTED"),
}
FAMILY = {"dns": ("DNS", "DNS"), "mail": ("messagerie", "e-mail"), "tls": ("TLS (chiffrement)", "TLS (encryption)"),
          "web": ("sites web", "websites"), "ports": ("ports exposés", "exposed ports"),
          "mfa": ("double authentification", "multi-factor authentication")}
# The role of a host in a scanned target (the rows of `scan`'s details, CSV and JUnit exports).
HOST_ROLE = {"domain": ("domaine", "domain"), "www": ("www", "www"), "web": ("site web", "web name"),
             "host": ("hôte", "host"), "mx": ("MX", "MX"), "ns": ("serveur de noms", "name server")}


def word(table: dict[str, tuple[str, str]], key: str | None, lang: str | None = None) -> str:
    """The word for `key` in `lang` (default: the current language); an unknown key is shown cleaned."""
    from .i18n import get_lang

    pair = table.get(key or "")
    if pair is None:
        from .sanitize import strip_control

        return strip_control(str(key or ""))
    return pair[1] if (lang or get_lang()) == "en" else pair[0]


MONTHS = (("janvier", "January"), ("février", "February"), ("mars", "March"), ("avril", "April"), ("mai", "May"),
          ("juin", "June"), ("juillet", "July"), ("août", "August"), ("septembre", "September"),
          ("octobre", "October"), ("novembre", "November"), ("décembre", "December"))


def long_date(d, lang: str | None = None) -> str:
    """A date as people write it: '1er mars 2027' / '1 March 2027' (any object with day, month, year)."""
    from .i18n import get_lang

    if (lang or get_lang()) == "en":
        return f"{d.day} {MONTHS[d.month - 1][1]} {d.year}"
    return f"{'1er' if d.day == 1 else d.day} {MONTHS[d.month - 1][0]} {d.year}"
