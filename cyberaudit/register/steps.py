"""The fields `register add` / `register edit` ask for, in order, with their help texts (fr/en)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import dpia as dpia_mod
from .model import SUBJECTS

ROLES = {"controller": ("Responsable du traitement", "Controller"),
         "joint_controller": ("Responsable conjoint", "Joint controller"),
         "processor": ("Sous-traitant pour d'autres collectivités (art. 30(2))", "Processor for other bodies (art. 30(2))")}
VIDEO_SCOPES = {"public_places": ("voie publique, lieux ouverts au public", "public roads and places"),
                "premises": ("intérieur de bâtiments", "inside buildings"),
                "workplace": ("lieux de travail", "workplaces")}


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
         help_fr="Catégories : identity, personal_life, professional_life, financial, connection, location, internet, other. "
                 "Sort final : deletion, anonymisation, archiving, sorting.",
         help_en="Categories: identity, personal_life, professional_life, financial, connection, location, internet, other. "
                 "End action: deletion, anonymisation, archiving, sorting.", when=_controller),
    Step("special_data", "Données sensibles (type | description | exception 9.2.x | fondement | durée …)",
         "Sensitive data (type | description | exception 9.2.x | basis | period …)",
         help_fr="Types : health, biometric, genetic, racial_ethnic, political, religious, trade_union, sex_life, "
                 "offences (art. 10 : citer le fondement), nir (citer la finalité autorisée).",
         help_en="Types: health, biometric, genetic, racial_ethnic, political, religious, trade_union, sex_life, "
                 "offences (art. 10: give the basis), nir (give the authorised purpose).", when=_controller),
    Step("sources", "Sources des données (une par ligne)", "Data sources (one per line)"),
    Step("recipients", "Destinataires (nom | type)", "Recipients (name | type)",
         help_fr="Types : internal_service, processor, public_authority, partner, other_third_party.",
         help_en="Types: internal_service, processor, public_authority, partner, other_third_party."),
    Step("processors", "Sous-traitants (nom | service | clauses art. 28 oui/non | contrat | pays)",
         "Processors (name | service | art. 28 clauses yes/no | contract | country)"),
    Step("transfers", "Transferts hors UE (destinataire | pays | garantie | documentation)",
         "Transfers outside the EU (recipient | country | safeguard | documentation)",
         help_fr="Garanties : adequacy, dpf, scc, bcr, derogation. Pays : code à deux lettres (US, GB…).",
         help_en="Safeguards: adequacy, dpf, scc, bcr, derogation. Country: two-letter code (US, GB…)."),
    Step("retention", "Durée de conservation (durée | début | sort final | source)",
         "Retention (period | start | end action | source)",
         help_fr="Ex. : 30 jours | enregistrement | deletion | CSI L252-5. « Illimitée » n'est admis qu'avec archiving.",
         help_en="E.g.: 30 days | recording | deletion | CSI L252-5. 'Indefinite' only with archiving.", when=_controller),
    Step("security_measures", "Mesures de sécurité (identifiant | description | statut)",
         "Security measures (ID | description | status)",
         help_fr="Identifiant d'une question (iam.mfa.teleservices), d'un constat ou d'une référence (anssi-hygiene:37). "
                 "Statut : in_place, partial, planned, missing.",
         help_en="ID of a question (iam.mfa.teleservices), a finding or a reference (anssi-hygiene:37). "
                 "Status: in_place, partial, planned, missing."),
    Step("video", "Vidéoprotection (portée | nombre de caméras | autorisation préfectorale) — vide si sans objet",
         "Video surveillance (scope | cameras | prefectoral authorisation) — empty if none",
         help_fr="Portée : public_places, premises, workplace.", help_en="Scope: public_places, premises, workplace.",
         when=_controller),
    Step("dpia.criteria", "AIPD : critères WP248 réunis (numéros)", "DPIA: WP248 criteria met (numbers)", "multi",
         dpia_mod.CRITERIA_TEXT, when=_controller),
    Step("dpia.cnil_types", "AIPD : types de la liste CNIL concernés (numéros 1 à 14)",
         "DPIA: CNIL list types concerned (numbers 1-14)", "multi",
         {str(k): v for k, v in dpia_mod.CNIL_TYPES.items()}, when=_controller),
    Step("dpia.exemption", "AIPD : exemption CNIL (staff-under-250, suppliers, electoral-roll, school-services, access-control), vide si aucune", "DPIA: CNIL exemption (staff-under-250, suppliers, electoral-roll, school-services, access-control), empty if none",
         "int", help_fr="; ".join(f"{k} {v[0]}" for k, v in dpia_mod.EXEMPTIONS.items()),
         help_en="; ".join(f"{k} {v[1]}" for k, v in dpia_mod.EXEMPTIONS.items()), when=_controller),
    Step("dpia.done", "AIPD réalisée ? (oui/non)", "DPIA done? (yes/no)", "bool", when=_controller),
    Step("dpia.date", "Date de l'AIPD (AAAA-MM-JJ)", "Date of the DPIA (YYYY-MM-DD)", "date",
         when=lambda d: _controller(d) and bool((d.get("dpia") or {}).get("done"))),
    Step("assets", "Actifs : domaines et hôtes de l'inventaire utilisés (un par ligne)",
         "Assets: inventory domains and hosts used (one per line)"),
    Step("notes", "Notes", "Notes", "text"),
)
