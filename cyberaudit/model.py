"""Core types shared by every part of cyberaudit (pydantic v2).

Inventory -> probes and interview -> Finding -> scoring -> reports.
One model is both the API type and the source of the JSON Schema (`cyberaudit schema`).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from . import catalogue as _catalogue
from . import names
from .i18n import get_lang, t

FINDING_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+){2,}$")
REF = re.compile(r"^[a-z0-9][a-z0-9-]*:[A-Za-z0-9][A-Za-z0-9.()\-+_/]*$")
SIREN = re.compile(r"^\d{9}$")


def _empty_list() -> list:
    """default_factory for lists: with `list` itself, pydantic reads the builtin's text signature through
    `inspect` (tokenize and its regular expressions: about 14 ms of every start-up); a Python function is free."""
    return []


class Strict(BaseModel):
    # defer_build: a model's validator is built the first time it is used, not at import (a TLS scan uses
    # four of these models; building them all cost about a third of its start-up)
    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True, defer_build=True)


class Text(Strict):
    """A text in French and English."""

    fr: str
    en: str

    def pick(self, lang: str | None = None) -> str:
        return self.en if (lang or get_lang()) == "en" else self.fr

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.pick()


class Status(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    INFO = "info"
    ERROR = "error"  # could not be tested


class Severity(str, Enum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """critical=4 ... info=0, for comparisons (`--fail-on`)."""
        return SEVERITY_RANK[self]


SEVERITY_RANK = {Severity.CRITICAL: 4, Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1, Severity.INFO: 0}

ScopeItem = Literal["dns", "tls", "ports", "mfa"]
INTRUSIVE_SCOPES = ("ports", "mfa")


def _check_ref(value: str) -> str:
    if not REF.match(value):
        raise ValueError(t(f"référence {value!r} invalide : forme attendue 'référentiel:élément' (ex. 'anssi-hygiene:37')",
                           f"reference {value!r} must look like 'framework:item' (e.g. 'anssi-hygiene:37')"))
    return value


Ref = Annotated[str, AfterValidator(_check_ref)]


def siren_is_valid(value: str) -> bool:
    """SIREN: nine digits with a Luhn checksum."""
    if not SIREN.match(value):
        return False
    total = 0
    for i, ch in enumerate(reversed(value)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# --------------------------------------------------------------------------- inventory


def _domain(value: str) -> str:
    try:
        return names.normalise_domain(value)
    except ValueError as exc:
        raise ValueError(t(f"nom de domaine invalide {value!r} : {exc}", f"invalid domain name {value!r}: {exc}")) from None


class Asset(Strict):
    """A domain, host or network of the inventory, with what may be probed on it."""

    name: str
    scope: list[ScopeItem] = Field(default_factory=lambda: ["dns", "tls"])
    authorized_by: str | None = None
    authorized_on: dt.date | None = None
    description: str | None = None
    # Extra web names (hosts) to test for TLS/web, e.g. famille.exemple.fr
    web_names: list[str] = Field(default_factory=_empty_list)
    # Extra DKIM selectors to look for
    dkim_selectors: list[str] = Field(default_factory=_empty_list)

    @field_validator("scope")
    @classmethod
    def _unique_scope(cls, v: list[str]) -> list[str]:
        return sorted(set(v), key=["dns", "tls", "ports", "mfa"].index)

    @field_validator("web_names")
    @classmethod
    def _web_names(cls, v: list[str]) -> list[str]:
        return [_domain(x) for x in v]

    @field_validator("dkim_selectors")
    @classmethod
    def _selectors(cls, v: list[str]) -> list[str]:
        out = []
        for s in v:
            s = s.strip().lower()
            if not re.fullmatch(r"[a-z0-9_-]{1,63}(\.[a-z0-9_-]{1,63})*", s):
                raise ValueError(t(f"sélecteur DKIM invalide {s!r}", f"invalid DKIM selector {s!r}"))
            out.append(s)
        return out

    @model_validator(mode="after")
    def _authorisation(self) -> Asset:
        intrusive = [s for s in self.scope if s in INTRUSIVE_SCOPES]
        if intrusive and not (self.authorized_by and self.authorized_on):
            raise ValueError(t(
                f"le périmètre {intrusive} exige 'authorized_by' et 'authorized_on' (qui a autorisé, et quand)",
                f"scope {intrusive} needs 'authorized_by' and 'authorized_on' (who authorised the scan, and when)",
            ))
        return self

    @property
    def authorization(self) -> str | None:
        if self.authorized_by and self.authorized_on:
            return f"{self.authorized_by}, {self.authorized_on.isoformat()}"
        return None


class DomainAsset(Asset):
    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        return _domain(v)


class HostAsset(Asset):
    scope: list[ScopeItem] = Field(default_factory=lambda: ["tls"])

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        try:
            return names.normalise_target(v)
        except ValueError as exc:
            raise ValueError(t(f"hôte invalide {v!r} : {exc}", f"invalid host {v!r}: {exc}")) from None


class Inventory(Strict):
    domains: list[DomainAsset] = Field(default_factory=_empty_list)
    mail_domains: list[DomainAsset] = Field(default_factory=_empty_list)
    hosts: list[HostAsset] = Field(default_factory=_empty_list)

    def all_assets(self) -> list[Asset]:
        return [*self.domains, *self.mail_domains, *self.hosts]


class Contact(Strict):
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None


class Dpo(Contact):
    type: Literal["internal", "external", "shared"] | None = None
    cnil_designation: str | None = None  # CNIL designation number, if known
    company: str | None = None  # the DPO's company or body when external or shared (CNIL model register)


class Organisation(Strict):
    schema_: Literal["cyberaudit/organisation/v1"] = Field(
        default="cyberaudit/organisation/v1", alias="schema"
    )
    name: str = Field(min_length=1)
    siren: str
    kind: str  # id of a file in profiles/
    population: int | None = Field(default=None, ge=0)
    address: str | None = None
    staff: int | None = Field(default=None, ge=0)  # headcount (agents): CNIL DPIA exemption under 250 people
    controller: Contact | None = None  # who represents the controller (the mayor, the president), art. 30(1)(a)
    representative: Contact | None = None  # EU representative (art. 27), for a controller outside the EU
    dpo: Dpo | None = None
    it_provider: Contact | None = None
    assessor: str | None = None
    timezone: str | None = None  # IANA zone for the legal clocks (breaches, requests); Europe/Paris when absent
    inventory: Inventory = Field(default_factory=Inventory)

    @field_validator("siren")
    @classmethod
    def _siren(cls, v: Any) -> str:
        v = str(v).replace(" ", "")
        if not siren_is_valid(v):
            raise ValueError(t("le SIREN doit compter 9 chiffres avec une clé de contrôle valide (Luhn)",
                               "SIREN must be 9 digits with a valid checksum (Luhn)"))
        return v

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, v: str | None) -> str | None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        if v is None:
            return v
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(t(f"fuseau horaire inconnu {v!r} (ex. Europe/Paris, America/Cayenne)",
                               f"unknown time zone {v!r} (e.g. Europe/Paris, America/Cayenne)")) from None
        return v


# --------------------------------------------------------------------------- findings


class Finding(Strict):
    """One result with a stable ID: from a probe, the interview or the register check."""

    id: str
    status: Status
    severity: Severity
    title: Text
    explanation: Text | None = None  # why it matters, in plain words
    detail: Text | None = None  # what was found in this case
    remediation: Text | None = None
    effort: Literal["low", "medium", "high"] | None = None
    owner: Literal["dpo", "it_provider", "elected", "agent"] | None = None
    evidence: dict[str, Any] = Field(default_factory=dict)
    references: list[Ref] = Field(default_factory=_empty_list)
    target: str | None = None  # domain, host or register activity the finding is about
    source: Literal["probe", "interview", "register", "records"] = "probe"  # records: breach log, requests
    theme: str | None = None  # a key of cyberaudit.themes.THEMES (scoring groups by it)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not FINDING_ID.match(v):
            raise ValueError(t(f"identifiant {v!r} invalide : minuscules séparées par des points, ex. 'mail.dmarc.policy'",
                               f"finding ID {v!r} must be dotted lowercase, e.g. 'mail.dmarc.policy'"))
        return v

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.target or "")


def finding_of(meta: Any, status: Status | str, *, source: str, theme: str | None, severity: Severity | str,
               target: str | None = None, evidence: dict[str, Any] | None = None, detail: Text | None = None,
               remediation: Text | None = None, references: list[str] | None = None,
               explanation: Text | None = None) -> Finding:
    """The one way to build a finding from a check's metadata: a probe check (`checks.CheckInfo`), a
    question of the interview or a register/records rule. `meta` gives id, title, explanation, effort,
    owner and refs; the caller's policy gives the severity and the remediation for this status."""
    return Finding(
        id=meta.id, status=Status(status), severity=Severity(severity), title=meta.title,
        explanation=explanation if explanation is not None else getattr(meta, "explanation", None), detail=detail,
        remediation=remediation, effort=meta.effort, owner=meta.owner, evidence=evidence or {},
        references=list(meta.refs) if references is None else references, target=target, source=source,
        theme=theme)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.target or "", f.id))


NOTE_MAX = 10_000  # characters of an answer's note (a few paragraphs)
LINK_MAX = 2_048  # characters of an evidence link (a URL or a path)
BY_MAX = 500  # characters of a name, or of a value typed as text


class Answer(Strict):
    """An interview answer, saved the moment it is given."""

    value: Any = None  # yes/partial/no/unknown/na, a choice key, a number or a date
    # free text is bounded on read: a hostile or broken answers.yaml cannot blow up reports and memory
    note: str | None = Field(default=None, max_length=NOTE_MAX)
    evidence_link: str | None = Field(default=None, max_length=LINK_MAX)
    by: str | None = Field(default=None, max_length=BY_MAX)
    at: dt.datetime | None = None

    @field_validator("value")
    @classmethod
    def _bounded_value(cls, v: Any) -> Any:
        if isinstance(v, str) and len(v) > BY_MAX:
            raise ValueError(t(f"valeur trop longue ({len(v)} caractères, au plus {BY_MAX})",
                               f"value too long ({len(v)} characters, at most {BY_MAX})"))
        return v


class TargetResult(Strict):
    target: str
    findings: list[Finding] = Field(default_factory=_empty_list)


class ScanResult(Strict):
    """A scan. On disk (`cyberaudit/scan/v2`) its findings share one check catalogue (catalogue.py);
    `cyberaudit/scan/v1` files, with complete findings, are read as they are."""

    schema_: Literal["cyberaudit/scan/v2", "cyberaudit/scan/v1"] = Field(default="cyberaudit/scan/v2",
                                                                          alias="schema")
    tool_version: str
    started_at: dt.datetime | None = None
    checks: list[str] = Field(default_factory=_empty_list)  # families run
    options: dict[str, Any] = Field(default_factory=dict)
    results: list[TargetResult] = Field(default_factory=_empty_list)

    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    @model_validator(mode="before")
    @classmethod
    def _read_catalogue(cls, data: Any) -> Any:
        data, cat, opened = _catalogue.opened(data, "scan")
        if opened and isinstance(data.get("results"), list):
            data["results"] = [_catalogue.hydrate_target(r, cat) for r in data["results"]]
        return data

    @model_serializer(mode="wrap")
    def _write_catalogue(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data = handler(self)
        if not info.mode_is_json():
            return data
        cat = _catalogue.build(f for r in data.get("results", []) for f in r.get("findings", []))
        data["results"] = [_catalogue.compact_target(r, cat) for r in data.get("results", [])]
        data["schema"] = "cyberaudit/scan/v2"
        data["catalogue"] = cat
        return data


class Assessment(Strict):
    """An assessment. On disk (`cyberaudit/assessment/v2`) its findings share one check catalogue;
    `cyberaudit/assessment/v1` files are read as they are."""

    schema_: Literal["cyberaudit/assessment/v2", "cyberaudit/assessment/v1"] = Field(
        default="cyberaudit/assessment/v2", alias="schema"
    )
    tool_version: str
    generated_at: dt.datetime | None = None
    organisation: Organisation
    findings: list[Finding] = Field(default_factory=_empty_list)
    answers: dict[str, Answer] = Field(default_factory=dict)
    meta: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _read_catalogue(cls, data: Any) -> Any:
        data, cat, opened = _catalogue.opened(data, "assessment")
        if opened:
            data["findings"] = _catalogue.hydrate_list(data.get("findings"), cat)
        return data

    @model_serializer(mode="wrap")
    def _write_catalogue(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data = handler(self)
        if not info.mode_is_json():
            return data
        data["findings"], cat = _catalogue.compacted(data.get("findings", []))
        data["schema"] = "cyberaudit/assessment/v2"
        data["catalogue"] = cat
        return data


SCHEMAS: dict[str, type[BaseModel]] = {
    "organisation": Organisation,
    "finding": Finding,
    "scan": ScanResult,
    "assessment": Assessment,
    "answer": Answer,
}
