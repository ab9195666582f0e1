"""The register's vocabularies: every coded value with its French and English label.

The CNIL model register (its drop-down lists, onglet `5_-_Listes`, and the row labels of its fiche) is
the vocabulary: each of its values is accepted on input and maps to one stable code kept in the YAML
files; screens and French exports show the label, never the code. `code(name, text)` accepts a code,
a label in either language or a CNIL wording, ignoring case, accents, spacing and a trailing "…".
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from ..i18n import t

Pair = tuple[str, str]

STATUS: dict[str, Pair] = {
    "draft": ("Brouillon", "Draft"), "validated": ("Validée", "Validated"), "archived": ("Archivée", "Archived"),
    "incomplete": ("À compléter (sans fiche détaillée)", "To complete (no detailed record)"),
}
ROLES: dict[str, Pair] = {
    "controller": ("Responsable du traitement", "Controller"),
    "joint_controller": ("Responsable conjoint", "Joint controller"),
    "processor": ("Sous-traitant pour d'autres collectivités (art. 30(2))", "Processor for other bodies (art. 30(2))"),
}
SUBJECTS: dict[str, Pair] = {
    "agents": ("Agents et personnels", "Staff"),
    "elected": ("Élus", "Elected officials"),
    "candidates": ("Candidats à un emploi", "Job applicants"),
    "residents": ("Habitants, administrés", "Residents"),
    "users": ("Usagers d'un service", "Service users"),
    "minors": ("Mineurs, élèves", "Minors, pupils"),
    "families": ("Familles, représentants légaux", "Families, legal guardians"),
    "social_beneficiaries": ("Bénéficiaires d'aides sociales", "Welfare recipients"),
    "elderly": ("Personnes âgées", "Elderly people"),
    "disabled": ("Personnes en situation de handicap", "Disabled people"),
    "voters": ("Électeurs", "Voters"),
    "subscribers": ("Abonnés d'un service (eau, déchets…)", "Subscribers (water, waste…)"),
    "businesses": ("Professionnels, entreprises", "Businesses"),
    "associations": ("Associations", "Associations"),
    "suppliers": ("Fournisseurs", "Suppliers"),
    "internal_services": ("Services internes", "Internal departments"),
    "clients": ("Clients", "Customers"),
    "service_providers": ("Prestataires", "Service providers"),
    "prospects": ("Prospects", "Prospects"),
    "visitors": ("Visiteurs, passants", "Visitors, passers-by"),
    "other": ("Autres (préciser)", "Other"),
}
# Row labels of the fiche ("Catégories de données personnelles concernées"), then ours.
DATA_CATEGORIES: dict[str, Pair] = {
    "identity": ("État civil, identité, données d'identification, images…", "Identity, civil status, images"),
    "personal_life": ("Vie personnelle (habitudes de vie, situation familiale, etc.)", "Personal life"),
    "professional_life": ("Vie professionnelle (CV, situation professionnelle, formation…)", "Professional life"),
    "financial": ("Informations d'ordre économique et financier (revenus, situation financière, situation "
                  "fiscale, etc.)", "Economic and financial information"),
    "connection": ("Données de connexion (adresse IP, logs, etc.)", "Connection data (IP address, logs)"),
    "location": ("Données de localisation (déplacements, données GPS, GSM, etc.)", "Location data"),
    "internet": ("Données internet (cookies, traceurs, audience)", "Internet data (cookies, trackers, audience)"),
    "other": ("Autres catégories de données", "Other categories"),
}
# Sensitive data rows of the fiche (art. 9 and 10), then the NIR (a row of the data-category block).
SPECIAL_TYPES: dict[str, Pair] = {
    "racial_ethnic": ("Données révélant l'origine raciale ou ethnique", "Racial or ethnic origin"),
    "political": ("Données révélant les opinions politiques", "Political opinions"),
    "religious": ("Données révélant les convictions religieuses ou philosophiques", "Religious or philosophical beliefs"),
    "trade_union": ("Données révélant l'appartenance syndicale", "Trade-union membership"),
    "genetic": ("Données génétiques", "Genetic data"),
    "biometric": ("Données biométriques aux fins d'identifier une personne physique de manière unique",
                  "Biometric data for identification"),
    "health": ("Données concernant la santé", "Health data"),
    "sex_life": ("Données concernant la vie sexuelle ou l'orientation sexuelle", "Sex life or sexual orientation"),
    "offences": ("Données relatives à des condamnations pénales ou infractions", "Offences and convictions"),
    "nir": ("Numéro de Sécurité Sociale (ou NIR)", "National registration number (NIR)"),
}
# The order of the model's fiche: its five category rows, then ours; the NIR (in the category block) first.
CATEGORY_ORDER = ("identity", "personal_life", "financial", "connection", "location", "professional_life",
                  "internet", "other")
SPECIAL_ORDER = ("nir", "racial_ethnic", "political", "religious", "trade_union", "genetic", "biometric", "health",
                 "sex_life", "offences")
RECIPIENT_TYPES: dict[str, Pair] = {
    "internal_service": ("Service interne qui traite les données", "Internal department"),
    "processor": ("Sous-traitants", "Processors"),
    "third_country": ("Destinataires dans des pays tiers ou organisations internationales",
                      "Recipients in third countries or international organisations"),
    "partner": ("Partenaires institutionnels ou commerciaux", "Institutional or business partners"),
    "public_authority": ("Autorités publiques (préfecture, comptable public…)", "Public authorities"),
    "other_third_party": ("Autre (Préciser)", "Other (specify)"),
}
# Art. 45-49 (+ the Privacy Shield of the CNIL list, invalidated by the CJEU on 16 July 2020, C-311/18).
SAFEGUARDS: dict[str, Pair] = {
    "scc": ("Clauses contractuelles types (CCT)", "Standard contractual clauses (SCC)"),
    "bcr": ("Règles d'entreprise contraignantes (BCR)", "Binding corporate rules (BCR)"),
    "adequacy": ("Pays adéquat", "Adequate country"),
    "dpf": ("Data Privacy Framework (adéquation UE–États-Unis, 2023)", "EU-US Data Privacy Framework (2023)"),
    "privacy_shield": ("Privacy shield", "Privacy Shield"),
    "code_of_conduct": ("Code de conduite", "Code of conduct"),
    "certification": ("Certification", "Certification"),
    "derogation": ("Dérogations (art 49)", "Derogations (art. 49)"),
}
VALID_SAFEGUARDS = ("scc", "bcr", "adequacy", "dpf", "code_of_conduct", "certification", "derogation")
MEASURE_TYPES: dict[str, Pair] = {
    "traceability": ("Mesures de traçabilité", "Traceability"),
    "software_protection": ("Mesures de protection des logiciels", "Software protection"),
    "backup": ("Sauvegarde des données", "Data backup"),
    "encryption": ("Chiffrement des données", "Data encryption"),
    "access_control": ("Contrôle d'accès des utilisateurs", "User access control"),
    "processor_control": ("Contrôle des sous-traitants", "Control of processors"),
    "other": ("Autres mesures (à préciser)", "Other measures (specify)"),
}
MEASURE_STATUS: dict[str, Pair] = {
    "in_place": ("En place", "In place"), "partial": ("Partielle", "Partial"),
    "planned": ("Prévue", "Planned"), "missing": ("Absente", "Missing"),
}
END_ACTIONS: dict[str, Pair] = {
    "deletion": ("Suppression", "Deletion"), "anonymisation": ("Anonymisation", "Anonymisation"),
    "archiving": ("Archivage définitif", "Permanent archiving"), "sorting": ("Tri (archives)", "Sorting (archives)"),
}
VIDEO_SCOPES: dict[str, Pair] = {
    "public_places": ("Voie publique, lieux ouverts au public", "Public roads and places"),
    "premises": ("Intérieur de bâtiments", "Inside buildings"),
    "workplace": ("Lieux de travail", "Workplaces"),
}
# CNIL wordings that differ from our label (normalised by `norm` when looked up).
EXTRA_WORDS: dict[str, dict[str, str]] = {
    "subjects": {"Salariés": "agents", "Agents": "agents", "Personnel": "agents", "Candidats": "candidates",
                 "Services Internes": "internal_services", "Autres": "other", "Usagers": "users",
                 "Habitants": "residents", "Administrés": "residents", "Élèves": "minors", "Mineurs": "minors"},
    "categories": {"Données de connexion (adress IP, logs, etc.)": "connection", "État civil": "identity",
                   "Données de connexion (adresse IP, journaux)": "connection",
                   "Identité": "identity", "Autres": "other", "Autres catégories": "other"},
    "special": {"NIR": "nir", "Numéro de sécurité sociale": "nir", "Santé": "health", "Données de santé": "health",
                "Infractions, condamnations, mesures de sûreté": "offences", "Origine raciale ou ethnique": "racial_ethnic",
                "Opinions politiques": "political", "Convictions religieuses ou philosophiques": "religious",
                "Appartenance syndicale": "trade_union", "Données biométriques aux fins d'identification": "biometric",
                "Vie sexuelle ou orientation sexuelle": "sex_life", "Numéro d'inscription au répertoire (NIR)": "nir",
                "Numéro d'inscription au répertoire": "nir"},
    "recipients": {"Sous-traitant": "processor", "Service interne": "internal_service", "Autre": "other_third_party",
                   "Autorité publique": "public_authority", "Partenaire": "partner"},
    "safeguards": {"CCT": "scc", "SCC": "scc", "BCR": "bcr", "Décision d'adéquation": "adequacy", "Adéquation": "adequacy",
                   "DPF": "dpf", "Data Privacy Framework": "dpf", "Dérogation": "derogation", "Art. 49": "derogation"},
    "measure_types": {"Traçabilité": "traceability", "Sauvegarde": "backup", "Chiffrement": "encryption",
                      "Contrôle d'accès": "access_control", "Autres mesures": "other", "Autre": "other"},
    "end_actions": {"Destruction": "deletion", "Effacement": "deletion", "Archivage": "archiving", "Tri": "sorting",
                    "Versement aux archives": "archiving"},
}


def norm(text: str) -> str:
    """Case, accents, apostrophes, spacing and trailing punctuation do not matter."""
    return _norm(text) if isinstance(text, str) and len(text) <= 300 else _norm.__wrapped__(str(text))


@lru_cache(maxsize=8192)
def _norm(text: str) -> str:
    s = unicodedata.normalize("NFKD", str(text).replace("’", "'").replace("\xa0", " "))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    return re.sub(r"\s+", " ", s).strip(" .…:;,►*?")


def _short(label: str) -> str:
    """A label without its parenthesised examples ("Vie personnelle (habitudes…)" -> "Vie personnelle")."""
    return re.sub(r"\s*\([^)]*\)?\s*$", "", label).strip()


@cache
def tables() -> dict[str, dict[str, Pair]]:
    from . import dpia
    from .model import LEGAL_BASES

    return {"status": STATUS, "roles": ROLES, "subjects": SUBJECTS, "categories": DATA_CATEGORIES,
            "special": SPECIAL_TYPES, "recipients": RECIPIENT_TYPES, "safeguards": SAFEGUARDS,
            "measure_types": MEASURE_TYPES, "measure_status": MEASURE_STATUS, "end_actions": END_ACTIONS,
            "video": VIDEO_SCOPES, "wp248": dpia.CRITERIA_TEXT, "exemptions": dpia.EXEMPTIONS,
            "bases": {k: (fr, en) for k, (_c, fr, en) in LEGAL_BASES.items()}}


@cache
def _words(name: str) -> dict[str, str]:
    table = tables()[name]
    out: dict[str, str] = {}
    for code, (fr, en) in table.items():
        for word in (code, fr, en, _short(fr), _short(en)):
            out.setdefault(norm(word), code)
    for word, code in EXTRA_WORDS.get(name, {}).items():
        out.setdefault(norm(word), code)
    if name == "bases":
        from .model import _BASIS_ALIASES

        out.update({norm(k): v for k, v in _BASIS_ALIASES.items()})
    return out


def lookup(name: str, text: str) -> str | None:
    """The code for a code or label, None when unknown."""
    return _words(name).get(norm(text)) if isinstance(text, str) else None


def code(name: str, value):
    """Input value -> code; a string nobody knows raises ValueError listing the French labels."""
    if not isinstance(value, str) or value in tables()[name]:
        return value
    found = lookup(name, value)
    if found is None:
        shown = " ; ".join(f"« {fr} »" for fr, _en in tables()[name].values())
        raise ValueError(t(f"valeur inconnue « {value} » ; valeurs attendues : {shown}",
                           f"unknown value '{value}'; expected: {shown}"))
    return found


def label(name: str, key, *, lang: str | None = None) -> str:
    """The label of a code in the current language (or `lang`); an unknown code is shown as is."""
    pair = tables()[name].get(str(key))
    if pair is None:
        return str(key)
    if lang is None:
        return t(*pair)
    return pair[1] if lang == "en" else pair[0]


def labels(name: str, keys, *, lang: str | None = None) -> list[str]:
    return [label(name, k, lang=lang) for k in keys]


# --------------------------------------------------------------------------- countries


@cache
def countries() -> dict[str, list[str]]:
    from ..content.locate import data_file
    from ..disk.fileio import load_yaml, to_plain

    return {str(k): [str(x) for x in v] for k, v in to_plain(load_yaml(data_file("countries_fr.yaml"))).items()}


@cache
def _country_words() -> dict[str, str]:
    return {norm(name): iso for iso, names in countries().items() for name in names}


def country_code(text: str) -> str | None:
    """ISO 3166-1 alpha-2 code for a code ("US") or a French name ("États-Unis"); None when unknown."""
    s = str(text).strip()
    if re.fullmatch(r"[A-Za-z]{2}", s):
        return s.upper()
    return _country_words().get(norm(s))


def country_name(iso: str) -> str:
    names = countries().get(iso)
    return names[0] if names else iso
