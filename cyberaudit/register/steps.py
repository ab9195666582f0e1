"""The fields `register add` / `register edit` ask for, in order, with their help texts (fr/en)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import dpia as dpia_mod
from . import vocab as V
from .model import SUBJECTS

ROLES = V.ROLES
VIDEO_SCOPES = V.VIDEO_SCOPES


def _words(name: str, lang: str) -> str:
    """The labels a field accepts, for its help (codes never reach the screen)."""
    return " ; ".join(f"« {V._short(x[1] if lang == 'en' else x[0])} »" for x in V.tables()[name].values())


def _help(fr: str, en: str, **names: str) -> dict[str, str]:
    """Help texts whose {placeholders} are filled with the labels of vocabularies."""
    return {"help_fr": fr.format(**{k: _words(v, "fr") for k, v in names.items()}),
            "help_en": en.format(**{k: _words(v, "en") for k, v in names.items()})}


@dataclass(frozen=True)
class Step:
    key: str
    fr: str
    en: str
    kind: str = "cell"  # text | cell | choice | multi | bool | date | int
    choices: dict[str, tuple[str, str]] | None = None
    help_fr: str = ""
    help_en: str = ""
    required: bool = False
    when: Callable[[dict], bool] | None = None


def _processor(d: dict) -> bool:
    return d.get("role") == "processor"


def _controller(d: dict) -> bool:
    return d.get("role") != "processor"


ITEM_HELP = ("Une ligne par élément, parties séparées par « | » ; ligne vide pour finir.",
             "One line per item, parts separated by '|'; an empty line ends the list.")
STEPS: tuple[Step, ...] = (
    Step("name", "Nom du traitement", "Name of the processing", "text", required=True),
    Step("owner_service", "Service responsable", "Department in charge", "text"),
    Step("role", "Rôle de la collectivité pour ce traitement", "Role of the organisation", "choice", ROLES),
    Step("on_behalf_of", "Pour le compte de quels responsables ? (nom | SIREN | contact)",
         "On behalf of which controllers? (name | SIREN | contact)", when=_processor),
    Step("purpose", "Finalité principale", "Main purpose", "text"),
    Step("sub_purposes", "Sous-finalités (une par ligne, 5 au plus)", "Sub-purposes (one per line, at most 5)"),
    Step("legal_bases", "Base légale (6.1.a … 6.1.f | texte ou mission | finalité)",
         "Lawful basis (6.1.a … 6.1.f | legal text or mission | purpose)",
         help_fr="6.1.a consentement · 6.1.b contrat · 6.1.c obligation légale · 6.1.d intérêts vitaux · "
                 "6.1.e mission d'intérêt public · 6.1.f intérêt légitime (interdit pour les missions publiques). "
                 "Pour 6.1.c et 6.1.e, citer le texte (CGCT, code électoral…).",
         help_en="6.1.a consent · 6.1.b contract · 6.1.c legal obligation · 6.1.d vital interests · 6.1.e public task · "
                 "6.1.f legitimate interests (not for public tasks). For 6.1.c and 6.1.e cite the text.",
         when=_controller),
    Step("data_subjects", "Personnes concernées (numéros séparés par des virgules)",
         "Data subjects (numbers separated by commas)", "multi", SUBJECTS, when=_controller),
    Step("estimated_subjects", "Nombre de personnes concernées (estimation)", "Number of people (estimate)", "int",
         when=_controller),
    Step("data_categories", "Catégories de données (catégorie | description | durée | début | sort final | source)",
         "Data categories (category | description | period | start | end action | source)",
         **_help("Catégories : {c}. Sort final : {e}.", "Categories: {c}. End action: {e}.", c="categories",
                 e="end_actions"), when=_controller),
    Step("special_data", "Données sensibles (type | description | exception 9.2.x | fondement | durée …)",
         "Sensitive data (type | description | exception 9.2.x | basis | period …)",
         **_help("Types : {s}. Infractions (art. 10) : citer le fondement ; NIR : citer la finalité autorisée.",
                 "Types: {s}. Offences (art. 10): give the basis; NIR: give the authorised purpose.", s="special"),
         when=_controller),
    Step("sources", "Sources des données (une par ligne)", "Data sources (one per line)"),
    Step("recipients", "Destinataires (nom | type)", "Recipients (name | type)",
         **_help("Types : {r}.", "Types: {r}.", r="recipients")),
    Step("processors", "Sous-traitants (nom | service | clauses art. 28 oui/non | contrat | pays)",
         "Processors (name | service | art. 28 clauses yes/no | contract | country)"),
    Step("transfers", "Transferts hors UE (destinataire | pays | garantie | documentation)",
         "Transfers outside the EU (recipient | country | safeguard | documentation)",
         **_help("Garanties : {g}. Pays : nom français (États-Unis, Suisse…) ou code à deux lettres (US).",
                 "Safeguards: {g}. Country: French name (États-Unis, Suisse…) or two-letter code (US).", g="safeguards")),
    Step("retention", "Durée de conservation (durée | début | sort final | source)",
         "Retention (period | start | end action | source)",
         help_fr="Ex. : 30 jours | enregistrement | Suppression | CSI L252-5. « Illimitée » n'est admis qu'avec "
                 "l'archivage définitif.",
         help_en="E.g.: 30 days | recording | Deletion | CSI L252-5. 'Indefinite' only with permanent archiving.",
         when=_controller),
    Step("security_measures", "Mesures de sécurité (identifiant | description | état | type)",
         "Security measures (ID | description | status | type)",
         **_help("Identifiant d'une question (iam.mfa.teleservices), d'un constat ou d'une référence (anssi-hygiene:37). "
                 "État : {s}. Type (modèle CNIL) : {t}.",
                 "ID of a question (iam.mfa.teleservices), a finding or a reference (anssi-hygiene:37). "
                 "Status: {s}. Type (CNIL model): {t}.", s="measure_status", t="measure_types")),
    Step("video", "Vidéoprotection (portée | nombre de caméras | autorisation préfectorale) — vide si sans objet",
         "Video surveillance (scope | cameras | prefectoral authorisation) — empty if none",
         **_help("Portée : {v}.", "Scope: {v}.", v="video"), when=_controller),
    Step("dpia.criteria", "AIPD : critères WP248 réunis (numéros)", "DPIA: WP248 criteria met (numbers)", "multi",
         dpia_mod.CRITERIA_TEXT, when=_controller),
    Step("dpia.cnil_types", "AIPD : types de la liste CNIL concernés (numéros 1 à 14)",
         "DPIA: CNIL list types concerned (numbers 1-14)", "multi",
         {str(k): v for k, v in dpia_mod.CNIL_TYPES.items()}, when=_controller),
    Step("dpia.exemption", "AIPD : exemption de la liste CNIL (numéro ; « - » si aucune)",
         "DPIA: exemption of the CNIL list (number; '-' if none)", "choice", dpia_mod.EXEMPTIONS,
         help_fr="L'exemption « moins de 250 personnes » ne vaut que si l'effectif de l'organisme (staff dans "
                 "organisation.yaml) est inférieur à 250.",
         help_en="The 'fewer than 250 people' exemption holds only when the organisation's headcount (staff in "
                 "organisation.yaml) is under 250.", when=_controller),
    Step("dpia.done", "AIPD réalisée ? (oui/non)", "DPIA done? (yes/no)", "bool", when=_controller),
    Step("dpia.date", "Date de l'AIPD (JJ/MM/AAAA)", "Date of the DPIA (YYYY-MM-DD)", "date",
         when=lambda d: _controller(d) and bool((d.get("dpia") or {}).get("done"))),
    Step("assets", "Actifs : domaines et hôtes de l'inventaire utilisés (un par ligne)",
         "Assets: inventory domains and hosts used (one per line)"),
    Step("notes", "Notes", "Notes", "text"),
)
