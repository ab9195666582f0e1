"""Risk screening of a breach: does it look like one to notify (art. 33) and to tell the people about (art. 34)?

It lists the facts of the file that point one way or the other and suggests; the DPO decides (field
`risk`) and records the decisions (`cnil`, `people`). Indicators follow the GDPR and the EDPB guidelines
9/2022 on breach notification: sensitive data, vulnerable people, volume, the breach's nature, and
the art. 34(3) exceptions (data unintelligible, measures that removed the high risk).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..register.model import ART9_TYPES, SUBJECTS
from .model import DATA_KINDS, Breach

SENSITIVE = (*ART9_TYPES, "offences", "nir")
HIGH_IMPACT = ("financial", "location")  # fraud, theft, physical harm (EDPB 9/2022)
VULNERABLE = ("minors", "social_beneficiaries", "elderly", "disabled")
MANY_PEOPLE = 1000  # an indicator of scale, not a legal threshold
SUGGESTION = {
    "likely_required": ("probablement requise", "likely required"),
    "maybe_not": ("peut-être pas requise si le risque est jugé improbable (motiver au registre)",
                  "maybe not required if the risk is judged unlikely (record the reasons)"),
    "likely_not": ("probablement pas requise (motiver au registre)", "likely not required (record the reasons)"),
    "to_assess": ("à apprécier : le dossier ne dit pas assez", "to assess: the file does not say enough"),
}


@dataclass
class Screening:
    cnil: str = "to_assess"  # a key of SUGGESTION
    people: str = "to_assess"
    for_notice: list[tuple[str, str]] = field(default_factory=list)  # reasons pointing to a risk
    for_high: list[tuple[str, str]] = field(default_factory=list)  # reasons pointing to a high risk
    against: list[tuple[str, str]] = field(default_factory=list)  # reasons pointing away from it
    gaps: list[tuple[str, str]] = field(default_factory=list)  # what the file should say
    divergence: tuple[str, str] | None = None  # the DPO's assessment differs from the indicators


def _names(keys: list[str], table: dict[str, tuple[str, str]], lang: int) -> str:
    return ", ".join(table[k][lang] for k in keys)


def screen(b: Breach) -> Screening:
    s = Screening()
    sensitive = [c for c in b.data_categories if c in SENSITIVE]
    impact = [c for c in b.data_categories if c in HIGH_IMPACT]
    vulnerable = [c for c in b.subject_categories if c in VULNERABLE]
    if "confidentiality" in b.nature and b.encrypted is not True:
        s.for_notice.append(("des données ont pu être lues par des tiers (confidentialité)",
                             "data may have been read by others (confidentiality)"))
    if "integrity" in b.nature:
        s.for_notice.append(("des données ont pu être modifiées (intégrité)", "data may have been altered (integrity)"))
    if "availability" in b.nature:
        s.for_notice.append(("des données ont été indisponibles ou perdues (disponibilité)",
                             "data were unavailable or lost (availability)"))
    if sensitive:
        s.for_high.append((f"données sensibles : {_names(sensitive, DATA_KINDS, 0)} (art. 9, 10, NIR)",
                           f"sensitive data: {_names(sensitive, DATA_KINDS, 1)} (art. 9, 10, NIR)"))
    if impact:
        s.for_high.append((f"données exposant à une fraude ou à un danger : {_names(impact, DATA_KINDS, 0)}",
                           f"data exposing to fraud or danger: {_names(impact, DATA_KINDS, 1)}"))
    if vulnerable:
        s.for_high.append((f"personnes vulnérables : {_names(vulnerable, SUBJECTS, 0)}",
                           f"vulnerable people: {_names(vulnerable, SUBJECTS, 1)}"))
    if b.people_count is not None and b.people_count >= MANY_PEOPLE:
        s.for_high.append((f"grand nombre de personnes (environ {b.people_count})",
                           f"many people (about {b.people_count})"))
    if b.origin in ("hacking", "ransomware", "phishing") and "confidentiality" in b.nature:
        s.for_high.append(("acte malveillant : les données risquent d'être exploitées",
                           "malicious act: the data are likely to be used"))
    if b.encrypted:
        s.against.append(("données chiffrées, clé non compromise : inintelligibles (art. 34(3)(a))",
                          "data encrypted, key not compromised: unintelligible (art. 34(3)(a))"))
    if b.nature == ["availability"] and not sensitive:
        s.against.append(("indisponibilité seule : si les données ont été restaurées vite, le risque peut être "
                          "improbable", "availability only: if the data were restored quickly, the risk may be unlikely"))
    for value, what in ((b.nature, ("nature (C/I/D)", "nature (C/I/A)")),
                        (b.data_categories, ("catégories de données", "data categories")),
                        (b.subject_categories, ("catégories de personnes", "categories of people")),
                        (b.people_count, ("nombre approximatif de personnes", "approximate number of people")),
                        (b.consequences, ("conséquences probables", "likely consequences"))):
        if value in (None, [], ""):
            s.gaps.append(what)
    if not b.nature:
        s.cnil = s.people = "to_assess"
    elif s.against and not s.for_high:
        s.cnil, s.people = "maybe_not", "likely_not"
    else:
        s.cnil = "likely_required" if s.for_notice else "to_assess"
        s.people = "likely_required" if s.for_high and not b.encrypted else "likely_not" if s.for_notice else "to_assess"
    if b.risk == "none" and s.cnil == "likely_required":
        s.divergence = ("le DPO a jugé le risque improbable alors que des indicateurs suggèrent une notification : "
                        "motiver ce choix (cnil.reason_not)",
                        "the DPO judged the risk unlikely while indicators suggest notifying: record why "
                        "(cnil.reason_not)")
    elif b.risk in ("none", "risk") and s.people == "likely_required":
        s.divergence = ("le DPO n'a pas retenu de risque élevé alors que des indicateurs le suggèrent : motiver ce "
                        "choix (people.reason_not)",
                        "the DPO did not find a high risk while indicators suggest one: record why (people.reason_not)")
    return s
