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
from . import vocab as V
from .vocab import DATA_CATEGORIES, SPECIAL_TYPES, SUBJECTS

__all__ = ["DATA_CATEGORIES", "SPECIAL_TYPES", "SUBJECTS"]

ACTIVITY_ID = re.compile(r"^T-\d{3,6}$")
TEXT_MAX = 20_000  # a free-text field longer than this is refused on read (hostile or broken file)
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

VULNERABLE_SUBJECTS = ("agents", "minors", "social_beneficiaries", "elderly", "disabled")  # WP248 criterion 7
ART9_TYPES = ("racial_ethnic", "political", "religious", "trade_union", "genetic", "biometric", "health", "sex_life")
ART9_EXCEPTIONS = tuple(f"9.2.{c}" for c in "abcdefghij")
RECIPIENT_TYPES = tuple(V.RECIPIENT_TYPES)
SAFEGUARDS = tuple(V.SAFEGUARDS)
END_ACTIONS = tuple(V.END_ACTIONS)
MEASURE_STATUS = tuple(V.MEASURE_STATUS)
WP248 = ("evaluation_scoring", "automated_decision", "systematic_monitoring", "sensitive_data", "large_scale",
         "matching_datasets", "vulnerable_subjects", "innovative_technology", "prevents_right_or_service")
# EEA: EU 27 + Iceland, Liechtenstein, Norway (no transfer under GDPR chapter V).
EEA = frozenset(["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"])


class Model(BaseModel):
    # Every free-text field is bounded: a longer one is an error naming its file and line.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_max_length=TEXT_MAX)


def _text_list(v: Any) -> Any:
    if isinstance(v, str):
        return [v]
    return v


def _vocab(name: str, *fields: str):
    """A before-validator: a French or English label or a CNIL wording ("Salariés") becomes its code."""
    return field_validator(*fields, mode="before")(classmethod(lambda cls, v: V.code(name, v)))


def _vocab_list(name: str, *fields: str):
    return field_validator(*fields, mode="before")(
        classmethod(lambda cls, v: [V.code(name, x) for x in _text_list(v)] if v else v))


_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\s*$")


def parse_date(v: Any) -> Any:
    """A date cell, an ISO date or a French date as text (13/07/2025, 13/07/25, 13.07.2025)."""
    if isinstance(v, dt.datetime):
        return v.date()
    if not isinstance(v, str):
        return v
    if not v.strip():
        return None
    m = _DATE.match(v)
    if not m:
        return v.strip()
    day, month, year = (int(x) for x in m.groups())
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(t(f"date impossible {v.strip()!r}", f"impossible date {v.strip()!r}")) from None


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

    _end = _vocab("end_actions", "end_action")


class DataCategory(Model):
    category: Literal["identity", "personal_life", "professional_life", "financial", "connection", "location",
                      "internet", "other"]
    description: str | None = None
    retention: Retention | None = None

    _norm = _vocab("categories", "category")


class SpecialData(Model):
    type: Literal["racial_ethnic", "political", "religious", "trade_union", "genetic", "biometric", "health",
                  "sex_life", "offences", "nir"]
    description: str | None = None
    exception: Literal["9.2.a", "9.2.b", "9.2.c", "9.2.d", "9.2.e", "9.2.f", "9.2.g", "9.2.h", "9.2.i",
                       "9.2.j"] | None = None  # art. 9(2) exception relied on
    basis: str | None = None  # art. 10 authority/law for offences; décret 2019-341 purpose for the NIR
    retention: Retention | None = None

    _norm = _vocab("special", "type")


class Recipient(Model):
    name: str
    type: Literal[tuple(V.RECIPIENT_TYPES)] = "internal_service"  # type: ignore[valid-type]

    _type = _vocab("recipients", "type")


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
    safeguard: Literal[tuple(V.SAFEGUARDS)] | None = None  # type: ignore[valid-type]
    documentation: str | None = None

    _safeguard = _vocab("safeguards", "safeguard")

    @field_validator("country")
    @classmethod
    def _country(cls, v: str) -> str:
        return _country_code(v)


def _country_code(v: str | None) -> str | None:
    if v is None:
        return None
    iso = V.country_code(v)
    if iso is None or not COUNTRY.match(iso):
        raise ValueError(t(f"pays {v!r} inconnu (nom français de la liste CNIL, ex. « États-Unis », ou code "
                           "ISO 3166-1 à deux lettres, ex. US)",
                           f"unknown country {v!r} (French name of the CNIL list, e.g. 'États-Unis', or two "
                           "ISO 3166-1 letters, e.g. US)"))
    return iso


class SecurityMeasure(Model):
    """A measure linked by ID: a checklist question, a probe finding or a reference (anssi-hygiene:37)."""

    type: Literal[tuple(V.MEASURE_TYPES)] | None = None  # type: ignore[valid-type]  # the CNIL model's kinds
    id: str | None = None
    description: str | None = None
    status: Literal["in_place", "partial", "planned", "missing"] | None = None

    _type = _vocab("measure_types", "type")
    _status = _vocab("measure_status", "status")

    @model_validator(mode="after")
    def _something(self) -> SecurityMeasure:
        if not (self.id or self.description or self.type):
            raise ValueError(t("une mesure de sécurité a besoin d'un type, d'un identifiant ou d'une description",
                               "a security measure needs a type, an ID or a description"))
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

    _criteria = _vocab_list("wp248", "criteria")
    _exemption = _vocab("exemptions", "exemption")
    _date = field_validator("date", mode="before")(classmethod(lambda cls, v: parse_date(v)))

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

    _scope = _vocab("video", "scope")


class Controller(Model):
    """A controller for whom this organisation processes data (art. 30(2)), e.g. a member commune."""

    name: str
    siren: str | None = None
    contact: str | None = None


class Activity(Model):
    id: str  # the tool's stable ID, also the file name (T-001)
    name: str = Field(min_length=1)
    reference: str | None = Field(default=None, max_length=200)  # the organisation's own reference (N° / RÉF)
    status: Literal[tuple(V.STATUS)] = "validated"  # type: ignore[valid-type]
    role: Literal["controller", "joint_controller", "processor"] = "controller"
    owner_service: str | None = None
    joint_controllers: list[str] = Field(default_factory=list)
    on_behalf_of: list[Controller] = Field(default_factory=list)  # art. 30(2)(a) when role = processor
    purpose: str | None = None
    sub_purposes: list[str] = Field(default_factory=list, max_length=5)
    legal_bases: list[LegalBasis] = Field(default_factory=list)
    data_subjects: list[Literal[tuple(SUBJECTS)]] = Field(default_factory=list)  # type: ignore[valid-type]
    subject_details: dict[str, str] = Field(default_factory=dict)  # "Précisions" per category of people
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
    _subjects = _vocab_list("subjects", "data_subjects")
    _status = _vocab("status", "status")
    _role = _vocab("roles", "role")
    _dates = field_validator("created", "updated", mode="before")(classmethod(lambda cls, v: parse_date(v)))

    @field_validator("data_categories")
    @classmethod
    def _cat_order(cls, v: list[DataCategory]) -> list[DataCategory]:
        """Kept in the order of the CNIL model's fiche, so that a fiche reads back to the same record."""
        return sorted(v, key=lambda c: V.CATEGORY_ORDER.index(c.category))

    @field_validator("special_data")
    @classmethod
    def _special_order(cls, v: list[SpecialData]) -> list[SpecialData]:
        return sorted(v, key=lambda s: V.SPECIAL_ORDER.index(s.type))

    @field_validator("subject_details", mode="before")
    @classmethod
    def _details(cls, v: Any) -> Any:
        return {V.code("subjects", k): x for k, x in v.items()} if isinstance(v, dict) else v

    @field_validator("subject_details")
    @classmethod
    def _details_known(cls, v: dict[str, str]) -> dict[str, str]:
        for k in v:
            if k not in SUBJECTS:
                raise ValueError(t(f"catégorie de personnes inconnue {k!r}", f"unknown category of people {k!r}"))
        return v

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
