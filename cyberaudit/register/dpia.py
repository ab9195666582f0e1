"""DPIA screening (GDPR art. 35) for one activity, explained: which criteria and which rules fired.

1. The nine criteria of the EDPB guidelines (WP248 rev. 01): the ones the record declares, plus the ones
   its content shows (special data -> sensitive data; minors, staff, welfare recipients -> vulnerable
   people; video surveillance -> systematic monitoring). Two or more presume a DPIA is needed.
2. The CNIL list of processing types for which a DPIA is mandatory (délibération 2018-327, 14 types).
3. Art. 35(3): (a) systematic evaluation with automated decisions, (b) large-scale special or criminal
   data, (c) large-scale systematic monitoring of public places (video surveillance of public roads).
4. The CNIL exemption list (délibération 2019-118): an exempt activity needs no DPIA on the criteria
   count alone; a mandatory type or an art. 35(3) case still requires one.
Facts: /work/shared/docs/references.md §2.5. Pure module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import ART9_TYPES, VULNERABLE_SUBJECTS, WP248, Activity

CRITERIA_TEXT: dict[str, tuple[str, str]] = {
    "evaluation_scoring": ("évaluation ou notation (profilage compris)", "evaluation or scoring (incl. profiling)"),
    "automated_decision": ("décision automatisée avec effet juridique ou similaire",
                           "automated decision with legal or similar effect"),
    "systematic_monitoring": ("surveillance systématique", "systematic monitoring"),
    "sensitive_data": ("données sensibles ou à caractère hautement personnel", "sensitive or highly personal data"),
    "large_scale": ("traitement à grande échelle", "large-scale processing"),
    "matching_datasets": ("croisement ou combinaison d'ensembles de données", "matching or combining datasets"),
    "vulnerable_subjects": ("personnes vulnérables (enfants, agents, bénéficiaires d'aides…)",
                            "vulnerable people (children, staff, welfare recipients…)"),
    "innovative_technology": ("usage innovant ou nouvelle technologie", "innovative use or new technology"),
    "prevents_right_or_service": ("exclusion du bénéfice d'un droit, d'un service ou d'un contrat",
                                  "prevents the exercise of a right or the use of a service or contract"),
}
# CNIL mandatory list (délibération 2018-327), in our words.
CNIL_TYPES: dict[int, tuple[str, str]] = {
    1: ("données de santé traitées par un établissement de santé ou médico-social", "health data in care establishments"),
    2: ("données génétiques de personnes vulnérables", "genetic data of vulnerable people"),
    3: ("profilage en gestion des ressources humaines", "HR profiling"),
    4: ("surveillance constante de l'activité des agents", "constant monitoring of employees"),
    5: ("alertes et signalements en matière sociale et sanitaire", "social and health alerts"),
    6: ("alertes professionnelles", "professional whistle-blowing"),
    7: ("entrepôts de données de santé ou registres", "health data warehouses or registries"),
    8: ("profilage pouvant exclure du bénéfice d'un contrat", "profiling that can exclude from a contract"),
    9: ("fichiers mutualisés de manquements contractuels", "pooled files of contract breaches"),
    10: ("profilage à partir de données externes", "profiling with external data"),
    11: ("biométrie de personnes vulnérables (élèves, personnes âgées…)", "biometrics of vulnerable people"),
    12: ("demandes et gestion de logements sociaux", "social housing applications and management"),
    13: ("accompagnement social ou médico-social des personnes", "social or médico-social support"),
    14: ("données de localisation à large échelle", "large-scale location data"),
}
# CNIL exemption list (délibération 2019-118): the items a collectivité meets, in our words. They are
# keyed by topic, not by their rank in the deliberation, which we could not verify here.
EXEMPTIONS: dict[str, tuple[str, str]] = {
    "staff-under-250": ("gestion du personnel d'un organisme de moins de 250 personnes, sans profilage",
        "staff management in a body of fewer than 250 people, without profiling"),
    "suppliers": ("gestion des relations avec les fournisseurs", "supplier management"),
    "electoral-roll": ("gestion du fichier électoral de la commune, dans le cadre des textes", "the commune's electoral roll"),
    "school-services": ("services scolaires, périscolaires et de la petite enfance des collectivités",
         "school, after-school and early-childhood services of local authorities"),
    "access-control": ("contrôle d'accès physique et horaires pour le temps de travail, sans biométrie",
         "physical access control and working hours, without biometrics"),
}
ART35_3: dict[str, tuple[str, str]] = {
    "a": ("évaluation systématique et approfondie fondée sur un traitement automatisé, avec décisions",
          "systematic and extensive automated evaluation with decisions"),
    "b": ("données sensibles ou pénales à grande échelle", "large-scale special-category or criminal data"),
    "c": ("surveillance systématique à grande échelle d'une zone accessible au public",
          "large-scale systematic monitoring of a publicly accessible area"),
}


@dataclass
class Screening:
    declared: list[str] = field(default_factory=list)  # WP248 criteria written in the record
    inferred: dict[str, str] = field(default_factory=dict)  # criterion -> why (from the record's content)
    cnil_types: list[int] = field(default_factory=list)
    art35_3: list[str] = field(default_factory=list)
    exemption: str | None = None
    refused: tuple[str, str] | None = None  # an exemption the record claims but the organisation does not meet

    @property
    def criteria(self) -> list[str]:
        found = set(self.declared) | set(self.inferred)
        return [c for c in WP248 if c in found]

    @property
    def presumed(self) -> bool:
        return len(self.criteria) >= 2

    @property
    def required(self) -> bool:
        if self.cnil_types or self.art35_3:
            return True
        return self.presumed and self.exemption is None

    def reasons(self) -> list[str]:
        """Stable codes of what fired: wp248:<n>, cnil-aipd:<n>, gdpr:35(3)(<a|b|c>), cnil-aipd-exemptions:<key>."""
        out = [f"wp248:{WP248.index(c) + 1}" for c in self.criteria]
        out += [f"cnil-aipd:{n}" for n in self.cnil_types]
        out += [f"gdpr:35(3)({x})" for x in self.art35_3]
        if self.exemption is not None:
            out.append(f"cnil-aipd-exemptions:{self.exemption}")
        return out

    def evidence(self) -> dict:
        return {"wp248_criteria": self.criteria, "wp248_count": len(self.criteria),
                "wp248_inferred": dict(sorted(self.inferred.items())), "cnil_types": self.cnil_types,
                "art35_3": self.art35_3, "exemption": self.exemption, "required": self.required}


STAFF_LIMIT = 250  # délibération 2019-118: staff management "des organismes de moins de 250 personnes"


def staff_exemption_refused(staff: int | None) -> tuple[str, str] | None:
    """Why the "fewer than 250 people" exemption does not hold (None when the headcount allows it)."""
    if staff is None:
        return ("exemption « moins de 250 personnes » non retenue : effectif inconnu (indiquer `staff` dans "
                "organisation.yaml)", "'fewer than 250 people' exemption not applied: headcount unknown (set `staff` "
                "in organisation.yaml)")
    if staff >= STAFF_LIMIT:
        return (f"exemption « moins de 250 personnes » non retenue : effectif de {staff} personnes",
                f"'fewer than 250 people' exemption not applied: headcount of {staff}")
    return None


def screen(a: Activity, *, staff: int | None = None) -> Screening:
    """`staff`: the organisation's headcount; the staff exemption holds only when it is known and under 250."""
    s = Screening(declared=list(a.dpia.criteria), cnil_types=list(a.dpia.cnil_types), exemption=a.dpia.exemption)
    if s.exemption == "staff-under-250":
        s.refused = staff_exemption_refused(staff)
        if s.refused:
            s.exemption = None
    special = {d.type for d in a.special_data}
    art9 = sorted(special & set(ART9_TYPES))
    if art9 or "offences" in special:
        s.inferred.setdefault("sensitive_data", "special_data: " + ", ".join(sorted(special - {"nir"})))
    vulnerable = [x for x in a.data_subjects if x in VULNERABLE_SUBJECTS]
    if vulnerable:
        s.inferred.setdefault("vulnerable_subjects", "data_subjects: " + ", ".join(vulnerable))
    if a.video is not None:
        s.inferred.setdefault("systematic_monitoring", f"video: {a.video.scope}")
    if a.video is not None and a.video.scope == "public_places":
        s.art35_3.append("c")
    crit = set(s.criteria)
    if {"evaluation_scoring", "automated_decision"} <= crit:
        s.art35_3.append("a")
    if "large_scale" in crit and (art9 or "offences" in special):
        s.art35_3.append("b")
    if "biometric" in special and vulnerable and 11 not in s.cnil_types:
        s.cnil_types.append(11)
    s.art35_3 = sorted(set(s.art35_3))
    s.cnil_types = sorted(set(s.cnil_types))
    for c in s.declared:
        s.inferred.pop(c, None)
    return s
