"""The record of processing activities (GDPR art. 30): one `Activity` per file `register/<id>.yaml`.

Controller and DPO contact come from organisation.yaml (not repeated per activity). Field order
is the order of the model, so files and exports are stable. Most fields are optional here so that
an incomplete record still loads; `register check` says what is missing (rgpd.activity.required_fields).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..i18n import t

ACTIVITY_ID = re.compile(r"^T-\d{3,6}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")

# Art. 6(1) lawful bases; aliases accepted on input (YAML, CSV) and turned into the key.
LEGAL_BASES: dict[str, tuple[str, str, str]] = {
    "consent": ("6.1.a", "Consentement", "Consent"),
    "contract": ("6.1.b", "Exécution d'un contrat", "Contract"),
    "legal_obligation": ("6.1.c", "Obligation légale", "Legal obligation"),
    "vital_interests": ("6.1.d", "Sauvegarde des intérêts vitaux", "Vital interests"),
    "public_task": ("6.1.e", "Mission d'intérêt public", "Public task"),
    "legitimate_interests": ("6.1.f", "Intérêts légitimes", "Legitimate interests"),
}
_BASIS_ALIASES = {
    "a": "consent", "b": "contract", "c": "legal_obligation", "d": "vital_interests", "e": "public_task",
    "f": "legitimate_interests", "consentement": "consent", "contrat": "contract",
    "obligation légale": "legal_obligation", "obligation legale": "legal_obligation",
    "intérêts vitaux": "vital_interests", "interets vitaux": "vital_interests",
    "mission d'intérêt public": "public_task", "mission d'interet public": "public_task",
    "mission de service public": "public_task", "intérêt légitime": "legitimate_interests",
    "intérêts légitimes": "legitimate_interests", "interet legitime": "legitimate_interests",
}
for _key, (_code, _fr, _en) in LEGAL_BASES.items():
    _BASIS_ALIASES[_key] = _key
    _BASIS_ALIASES[_code] = _key
    _BASIS_ALIASES["6(1)(" + _code[-1] + ")"] = _key
    _BASIS_ALIASES[_fr.lower()] = _key
    _BASIS_ALIASES[_en.lower()] = _key

SUBJECTS: dict[str, tuple[str, str]] = {
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
    "visitors": ("Visiteurs, passants", "Visitors, passers-by"),
    "other": ("Autres", "Other"),
}
VULNERABLE_SUBJECTS = ("agents", "minors", "social_beneficiaries", "elderly", "disabled")  # WP248 criterion 7

# The data columns of the CNIL model register (references.md §2.4).
DATA_CATEGORIES: dict[str, tuple[str, str]] = {
    "identity": ("État civil, identité, données d'identification, images", "Identity, civil status, images"),
    "personal_life": ("Vie personnelle", "Personal life"),
    "professional_life": ("Vie professionnelle", "Professional life"),
    "financial": ("Informations d'ordre économique et financier", "Economic and financial information"),
    "connection": ("Données de connexion (adresse IP, journaux)", "Connection data (IP address, logs)"),
    "location": ("Données de localisation", "Location data"),
    "internet": ("Données internet (cookies, traceurs, audience)", "Internet data (cookies, trackers, audience)"),
    "other": ("Autres catégories", "Other categories"),
}
# Sensitive data of the CNIL model: art. 9 categories, offences (art. 10) and the NIR.
SPECIAL_TYPES: dict[str, tuple[str, str]] = {
    "racial_ethnic": ("Origine raciale ou ethnique", "Racial or ethnic origin"),
    "political": ("Opinions politiques", "Political opinions"),
    "religious": ("Convictions religieuses ou philosophiques", "Religious or philosophical beliefs"),
    "trade_union": ("Appartenance syndicale", "Trade-union membership"),
    "genetic": ("Données génétiques", "Genetic data"),
    "biometric": ("Données biométriques aux fins d'identification", "Biometric data for identification"),
    "health": ("Données de santé", "Health data"),
    "sex_life": ("Vie sexuelle ou orientation sexuelle", "Sex life or sexual orientation"),
    "offences": ("Infractions, condamnations, mesures de sûreté", "Offences and convictions"),
    "nir": ("Numéro d'inscription au répertoire (NIR)", "National registration number (NIR)"),
}
ART9_TYPES = ("racial_ethnic", "political", "religious", "trade_union", "genetic", "biometric", "health", "sex_life")
ART9_EXCEPTIONS = tuple(f"9.2.{c}" for c in "abcdefghij")
RECIPIENT_TYPES = ("internal_service", "processor", "public_authority", "partner", "other_third_party")
SAFEGUARDS = ("adequacy", "dpf", "scc", "bcr", "derogation")
END_ACTIONS = ("deletion", "anonymisation", "archiving", "sorting")
MEASURE_STATUS = ("in_place", "partial", "planned", "missing")
WP248 = ("evaluation_scoring", "automated_decision", "systematic_monitoring", "sensitive_data", "large_scale",
         "matching_datasets", "vulnerable_subjects", "innovative_technology", "prevents_right_or_service")
# EEA: EU 27 + Iceland, Liechtenstein, Norway (no transfer under GDPR chapter V).
EEA = frozenset(["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"])


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def _text_list(v: Any) -> Any:
    if isinstance(v, str):
        return [v]
    return v


def _label_aliases(table: dict[str, tuple[str, str]]) -> dict[str, str]:
    out = {}
    for key, (fr, en) in table.items():
        for word in (key, fr, en):
            out[word.strip().lower()] = key
    return out


_SUBJECT_ALIASES = _label_aliases(SUBJECTS)
_CATEGORY_ALIASES = _label_aliases(DATA_CATEGORIES)
_SPECIAL_ALIASES = _label_aliases(SPECIAL_TYPES)


def _alias(table: dict[str, str], value: Any) -> Any:
    """A French or English label typed in a spreadsheet ("Élus") becomes its key ("elected")."""
    return table.get(value.strip().lower(), value) if isinstance(value, str) else value


def normalise_basis(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    key = _BASIS_ALIASES.get(value.strip().lower())
    if key is None:
        raise ValueError(t(f"base légale inconnue {value!r} ; valeurs possibles : {', '.join(LEGAL_BASES)} "
                           "(ou 6.1.a … 6.1.f)",
                           f"unknown legal basis {value!r}; allowed: {', '.join(LEGAL_BASES)} (or 6.1.a … 6.1.f)"))
    return key


class LegalBasis(Model):
    basis: Literal["consent", "contract", "legal_obligation", "vital_interests", "public_task",
                   "legitimate_interests"]
    text: str | None = None  # the legal text or mission it rests on (art. 6(3)), e.g. "Code électoral L16"
    purpose: str | None = None  # when the activity has several purposes with different bases

    _norm = field_validator("basis", mode="before")(classmethod(lambda cls, v: normalise_basis(v)))


class Retention(Model):
    duration: str | None = None  # ISO 8601 period (P30D, P1Y) or words ("30 jours", "durée de l'inscription")
    start: str | None = None  # starting event, e.g. "fin de l'inscription"
    end_action: Literal["deletion", "anonymisation", "archiving", "sorting"] | None = None
    source: str | None = None  # legal text, CNIL référentiel, Archives management table


class DataCategory(Model):
    category: Literal["identity", "personal_life", "professional_life", "financial", "connection", "location",
                      "internet", "other"]
    description: str | None = None
    retention: Retention | None = None

    _norm = field_validator("category", mode="before")(classmethod(lambda cls, v: _alias(_CATEGORY_ALIASES, v)))


class SpecialData(Model):
    type: Literal["racial_ethnic", "political", "religious", "trade_union", "genetic", "biometric", "health",
                  "sex_life", "offences", "nir"]
    description: str | None = None
    exception: Literal["9.2.a", "9.2.b", "9.2.c", "9.2.d", "9.2.e", "9.2.f", "9.2.g", "9.2.h", "9.2.i",
                       "9.2.j"] | None = None  # art. 9(2) exception relied on
    basis: str | None = None  # art. 10 authority/law for offences; décret 2019-341 purpose for the NIR
    retention: Retention | None = None

    _norm = field_validator("type", mode="before")(classmethod(lambda cls, v: _alias(_SPECIAL_ALIASES, v)))


class Recipient(Model):
    name: str
    type: Literal["internal_service", "processor", "public_authority", "partner", "other_third_party"] = \
        "internal_service"


class Processor(Model):
    name: str
    service: str | None = None
    art28_clauses: bool | None = None  # contract with the art. 28(3) clauses
    contract: str | None = None  # reference or date of the contract
    country: str | None = None  # where the data are hosted (ISO 3166-1 alpha-2)

    @field_validator("country")
    @classmethod
    def _country(cls, v: str | None) -> str | None:
        return _country_code(v)


class Transfer(Model):
    recipient: str
    country: str
    safeguard: Literal["adequacy", "dpf", "scc", "bcr", "derogation"] | None = None
    documentation: str | None = None

    @field_validator("country")
    @classmethod
    def _country(cls, v: str) -> str:
        return _country_code(v)


def _country_code(v: str | None) -> str | None:
    if v is None:
        return None
    v = str(v).strip().upper()
    if not COUNTRY.match(v):
        raise ValueError(t(f"code pays {v!r} invalide (deux lettres ISO 3166-1, ex. FR, US)",
                           f"invalid country code {v!r} (two ISO 3166-1 letters, e.g. FR, US)"))
    return v


class SecurityMeasure(Model):
    """A measure linked by ID: a checklist question, a probe finding or a reference (anssi-hygiene:37)."""

    id: str | None = None
    description: str | None = None
    status: Literal["in_place", "partial", "planned", "missing"] | None = None

    @model_validator(mode="after")
    def _something(self) -> SecurityMeasure:
        if not (self.id or self.description):
            raise ValueError(t("une mesure de sécurité a besoin d'un identifiant ou d'une description",
                               "a security measure needs an ID or a description"))
        return self


class Dpia(Model):
    criteria: list[Literal["evaluation_scoring", "automated_decision", "systematic_monitoring", "sensitive_data",
                           "large_scale", "matching_datasets", "vulnerable_subjects", "innovative_technology",
                           "prevents_right_or_service"]] = Field(default_factory=list)
    cnil_types: list[int] = Field(default_factory=list)  # CNIL mandatory list (délibération 2018-327), 1-14
    # CNIL exemption list (délibération 2019-118), by topic: see cyberaudit.register.dpia.EXEMPTIONS
    exemption: Literal["staff-under-250", "suppliers", "electoral-roll", "school-services", "access-control"] | None = None
    done: bool = False
    date: dt.date | None = None
    reference: str | None = None

    @field_validator("cnil_types")
    @classmethod
    def _types(cls, v: list[int]) -> list[int]:
        for n in v:
            if not 1 <= n <= 14:
                raise ValueError(t(f"type {n} hors de la liste CNIL (1 à 14)", f"type {n} not in the CNIL list (1-14)"))
        return sorted(set(v))


class Video(Model):
    """Video surveillance (vidéoprotection): where the cameras film."""

    scope: Literal["public_places", "premises", "workplace"] = "public_places"
    cameras: int | None = Field(default=None, ge=0)
    authorisation: str | None = None  # prefectoral authorisation (CSI L252-1), reference and date


class Controller(Model):
    """A controller for whom this organisation processes data (art. 30(2)), e.g. a member commune."""

    name: str
    siren: str | None = None
    contact: str | None = None


class Activity(Model):
    id: str
    name: str = Field(min_length=1)
    status: Literal["draft", "validated", "archived"] = "validated"
    role: Literal["controller", "joint_controller", "processor"] = "controller"
    owner_service: str | None = None
    joint_controllers: list[str] = Field(default_factory=list)
    on_behalf_of: list[Controller] = Field(default_factory=list)  # art. 30(2)(a) when role = processor
    purpose: str | None = None
    sub_purposes: list[str] = Field(default_factory=list, max_length=5)
    legal_bases: list[LegalBasis] = Field(default_factory=list)
    data_subjects: list[Literal[tuple(SUBJECTS)]] = Field(default_factory=list)  # type: ignore[valid-type]
    estimated_subjects: int | None = Field(default=None, ge=0)
    data_categories: list[DataCategory] = Field(default_factory=list)
    special_data: list[SpecialData] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    recipients: list[Recipient] = Field(default_factory=list)
    processors: list[Processor] = Field(default_factory=list)
    transfers: list[Transfer] = Field(default_factory=list)
    retention: Retention | None = None
    security_measures: list[SecurityMeasure] = Field(default_factory=list)
    dpia: Dpia = Field(default_factory=Dpia)
    video: Video | None = None
    assets: list[str] = Field(default_factory=list)  # inventory domains and hosts it runs on
    template: str | None = None
    created: dt.date | None = None
    updated: dt.date | None = None
    updated_by: str | None = None
    notes: str | None = None

    _lists = field_validator("joint_controllers", "sub_purposes", "sources", "assets", mode="before")(
        classmethod(lambda cls, v: _text_list(v)))
    _subjects = field_validator("data_subjects", mode="before")(
        classmethod(lambda cls, v: [_alias(_SUBJECT_ALIASES, x) for x in _text_list(v)] if v else v))

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not ACTIVITY_ID.match(v):
            raise ValueError(t(f"identifiant d'activité {v!r} invalide : forme attendue T-001",
                               f"activity ID {v!r} must look like T-001"))
        return v

    @field_validator("assets")
    @classmethod
    def _assets(cls, v: list[str]) -> list[str]:
        from ..names import normalise_target

        out = []
        for name in v:
            try:
                out.append(normalise_target(name))
            except ValueError as exc:
                raise ValueError(t(f"actif {name!r} invalide : {exc}", f"invalid asset {name!r}: {exc}")) from None
        return out

    def all_retentions(self) -> list[Retention]:
        out = [self.retention] if self.retention else []
        out += [c.retention for c in self.data_categories if c.retention]
        out += [s.retention for s in self.special_data if s.retention]
        return out


def dump(activity: Activity) -> dict[str, Any]:
    """Plain data in field order, without empty values (the YAML file and the JSON export)."""
    return _prune(activity.model_dump(mode="json", exclude_none=True))


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = _prune(v)
            if v in ([], {}) or (k == "done" and v is False):
                continue
            out[k] = v
        return out
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value
