"""The two file kinds: a personal-data breach (GDPR art. 33(3) and 33(5)) and a data-subject request (art. 12).

Times are ISO 8601 with their offset (the organisation's zone when typed as local time). Checks that
need the present moment (nothing in the future) read it from the validation context `{"now": datetime}`,
or the clock when none is given. A request keeps only what following it needs: no name, no copy of an
identity document, only `reference` (where the request itself is filed).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from ..i18n import t
from ..register.model import ACTIVITY_ID, DATA_CATEGORIES, SPECIAL_TYPES, SUBJECTS

BREACH_ID = re.compile(r"^V-\d{4}-\d{3}$")
REQUEST_ID = re.compile(r"^D-\d{4}-\d{3}$")
NATURES = {"confidentiality": ("Confidentialité (divulgation, accès non autorisé)", "Confidentiality"),
           "integrity": ("Intégrité (modification non autorisée)", "Integrity"),
           "availability": ("Disponibilité (perte, destruction, indisponibilité)", "Availability")}
ORIGINS = {"lost_device": ("Perte ou vol d'un appareil", "Lost or stolen device"),
           "lost_paper": ("Perte ou vol de documents papier", "Lost or stolen paper"),
           "wrong_recipient": ("Envoi au mauvais destinataire", "Sent to the wrong recipient"),
           "publication": ("Publication ou diffusion par erreur", "Published by mistake"),
           "hacking": ("Piratage, intrusion, compte compromis", "Hacking, intrusion, compromised account"),
           "phishing": ("Hameçonnage", "Phishing"),
           "ransomware": ("Rançongiciel, logiciel malveillant", "Ransomware, malware"),
           "internal_misuse": ("Accès ou usage abusif en interne", "Internal misuse"),
           "other": ("Autre", "Other")}
DATA_KINDS = {**DATA_CATEGORIES, **SPECIAL_TYPES}
RIGHTS = {"access": ("Accès (art. 15)", "Access (art. 15)"), "rectification": ("Rectification (art. 16)", "Rectification (art. 16)"),
          "erasure": ("Effacement (art. 17)", "Erasure (art. 17)"), "restriction": ("Limitation (art. 18)", "Restriction (art. 18)"),
          "portability": ("Portabilité (art. 20)", "Portability (art. 20)"), "objection": ("Opposition (art. 21)", "Objection (art. 21)"),
          "automated_decision": ("Décision automatisée (art. 22)", "Automated decision (art. 22)")}
RIGHT_ARTICLE = {"access": "gdpr:15", "rectification": "gdpr:16", "erasure": "gdpr:17", "restriction": "gdpr:18",
                 "portability": "gdpr:20", "objection": "gdpr:21", "automated_decision": "gdpr:22"}
OUTCOMES = {"granted": ("Satisfaite", "Granted"), "partial": ("Satisfaite en partie", "Partly granted"),
            "refused": ("Refusée (motivée)", "Refused (with reasons)"), "no_data": ("Aucune donnée détenue", "No data held"),
            "withdrawn": ("Retirée par la personne", "Withdrawn"),
            "identity_unconfirmed": ("Identité non confirmée", "Identity not confirmed")}
MAX_TEXT = 4000


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def _now(info: ValidationInfo) -> tuple[dt.datetime, dt.date]:
    """The present moment and today's date in the organisation's zone (context keys "now" and "tz")."""
    ctx = info.context or {}
    now = ctx.get("now") or dt.datetime.now(dt.UTC)
    tz = ctx.get("tz")
    return now, (now.astimezone(tz) if tz is not None else now.astimezone()).date()


def _not_future(value: dt.datetime | dt.date | None, what: tuple[str, str], now: tuple[dt.datetime, dt.date]) -> None:
    if value is None:
        return
    # a time may be 5 minutes ahead (two machines' clocks disagree a little); a day, not after today
    late = value > now[0] + dt.timedelta(minutes=5) if isinstance(value, dt.datetime) else value > now[1]
    if late:
        raise ValueError(t(f"{what[0]} est dans le futur ({value.isoformat()})",
                           f"{what[1]} is in the future ({value.isoformat()})"))


def _ids(v: list[str]) -> list[str]:
    for x in v:
        if not ACTIVITY_ID.match(x):
            raise ValueError(t(f"activité {x!r} invalide (forme T-001)", f"invalid activity {x!r} (form T-001)"))
    return sorted(set(v))


def _aware(v: dt.datetime | None) -> dt.datetime | None:
    if v is not None and v.tzinfo is None:
        raise ValueError(t("heure sans décalage horaire : écrire 2026-03-28T14:30:00+01:00",
                           "time without a UTC offset: write 2026-03-28T14:30:00+01:00"))
    # a fixed offset: arithmetic and comparisons on zone-bound datetimes would follow the wall clock
    return None if v is None else v.astimezone(dt.timezone(v.utcoffset()))


class CnilNotice(Model):
    notified: bool | None = None  # None: not decided yet
    notified_at: dt.datetime | None = None
    reference: str | None = Field(default=None, max_length=200)  # number given by the CNIL's teleservice
    reason_not: str | None = Field(default=None, max_length=MAX_TEXT)  # why no notification (art. 33(1))
    delay_reason: str | None = Field(default=None, max_length=MAX_TEXT)  # reasons for a delay beyond 72 h
    _tz = field_validator("notified_at")(classmethod(lambda cls, v: _aware(v)))


class PeopleNotice(Model):
    informed: bool | None = None
    informed_at: dt.datetime | None = None
    how: str | None = Field(default=None, max_length=MAX_TEXT)  # letter, e-mail, public notice (art. 34(3)(c))
    reason_not: str | None = Field(default=None, max_length=MAX_TEXT)  # art. 34(3) exception or low risk
    _tz = field_validator("informed_at")(classmethod(lambda cls, v: _aware(v)))


class Nis2Report(Model):
    """Reports to the ANSSI under the NIS2 bill (early warning, notification, final report)."""

    significant: bool | None = None  # a significant incident in the bill's sense; None: not assessed
    early_warning_at: dt.datetime | None = None
    notification_at: dt.datetime | None = None
    report_at: dt.datetime | None = None
    _tz = field_validator("early_warning_at", "notification_at", "report_at")(classmethod(lambda cls, v: _aware(v)))


class Breach(Model):
    id: str
    title: str = Field(min_length=1, max_length=300)
    occurred_at: dt.datetime
    aware_at: dt.datetime
    origin: Literal[tuple(ORIGINS)] | None = None  # type: ignore[valid-type]
    nature: list[Literal["confidentiality", "integrity", "availability"]] = Field(default_factory=list)
    description: str | None = Field(default=None, max_length=MAX_TEXT)
    data_categories: list[Literal[tuple(DATA_KINDS)]] = Field(default_factory=list)  # type: ignore[valid-type]
    subject_categories: list[Literal[tuple(SUBJECTS)]] = Field(default_factory=list)  # type: ignore[valid-type]
    people_count: int | None = Field(default=None, ge=0)  # approximate number of people (art. 33(3)(a))
    records_count: int | None = Field(default=None, ge=0)  # approximate number of records
    consequences: str | None = Field(default=None, max_length=MAX_TEXT)
    measures_taken: str | None = Field(default=None, max_length=MAX_TEXT)
    measures_proposed: str | None = Field(default=None, max_length=MAX_TEXT)
    encrypted: bool | None = None  # data unintelligible to whoever got them (art. 34(3)(a))
    risk: Literal["none", "risk", "high"] | None = None  # the DPO's assessment (the screening only suggests)
    cnil: CnilNotice = Field(default_factory=CnilNotice)
    people: PeopleNotice = Field(default_factory=PeopleNotice)
    nis2: Nis2Report = Field(default_factory=Nis2Report)
    activities: list[str] = Field(default_factory=list)
    handler: str | None = Field(default=None, max_length=200)
    closed_on: dt.date | None = None
    created: dt.date | None = None
    updated: dt.date | None = None

    _acts = field_validator("activities")(classmethod(lambda cls, v: _ids(v)))
    _tz = field_validator("occurred_at", "aware_at")(classmethod(lambda cls, v: _aware(v)))

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not BREACH_ID.match(v):
            raise ValueError(t(f"identifiant de violation {v!r} invalide (forme V-2026-001)",
                               f"invalid breach ID {v!r} (form V-2026-001)"))
        return v

    @model_validator(mode="after")
    def _times(self, info: ValidationInfo) -> Breach:
        now = _now(info)
        if self.aware_at < self.occurred_at:
            raise ValueError(t("la prise de connaissance (aware_at) précède la violation (occurred_at)",
                               "awareness (aware_at) is before the breach (occurred_at)"))
        for value, what in ((self.occurred_at, ("la violation", "the breach")),
                            (self.aware_at, ("la prise de connaissance", "awareness")),
                            (self.cnil.notified_at, ("la notification à la CNIL", "the CNIL notification")),
                            (self.people.informed_at, ("l'information des personnes", "informing the people")),
                            (self.nis2.early_warning_at, ("l'alerte précoce NIS 2", "the NIS2 early warning")),
                            (self.nis2.notification_at, ("la notification NIS 2", "the NIS2 notification")),
                            (self.nis2.report_at, ("le rapport final NIS 2", "the NIS2 final report")),
                            (self.closed_on, ("la clôture", "closing"))):
            _not_future(value, what, now)
        for value, what in ((self.cnil.notified_at, ("la notification à la CNIL", "the CNIL notification")),
                            (self.people.informed_at, ("l'information des personnes", "informing the people")),
                            (self.nis2.early_warning_at, ("l'alerte précoce NIS 2", "the NIS2 early warning")),
                            (self.nis2.notification_at, ("la notification NIS 2", "the NIS2 notification"))):
            if value is not None and value < self.aware_at:
                raise ValueError(t(f"{what[0]} précède la prise de connaissance", f"{what[1]} is before awareness"))
        if self.cnil.notified and self.cnil.notified_at is None:
            raise ValueError(t("notification à la CNIL : préciser quand (cnil.notified_at)",
                               "CNIL notification: say when (cnil.notified_at)"))
        if self.people.informed and self.people.informed_at is None:
            raise ValueError(t("information des personnes : préciser quand (people.informed_at)",
                               "people informed: say when (people.informed_at)"))
        if self.closed_on is not None and self.closed_on < self.aware_at.date():
            raise ValueError(t("la clôture précède la prise de connaissance", "closing is before awareness"))
        return self


class Extension(Model):
    decided_on: dt.date
    told_on: dt.date  # when the person was told, with the reasons (art. 12(3))
    reason: str | None = Field(default=None, max_length=MAX_TEXT)


class Request(Model):
    id: str
    right: Literal[tuple(RIGHTS)]  # type: ignore[valid-type]
    received_on: dt.date
    reference: str = Field(min_length=1, max_length=300)  # where the request is filed (mail register, GED number)
    channel: Literal["letter", "email", "form", "counter", "other"] | None = None
    identity_checked: bool | None = None  # checked or not: never a copy of the document
    activities: list[str] = Field(default_factory=list)
    extension: Extension | None = None
    answered_on: dt.date | None = None
    outcome: Literal[tuple(OUTCOMES)] | None = None  # type: ignore[valid-type]
    refusal_reason: str | None = Field(default=None, max_length=MAX_TEXT)
    handler: str | None = Field(default=None, max_length=200)
    notes: str | None = Field(default=None, max_length=MAX_TEXT)
    created: dt.date | None = None
    updated: dt.date | None = None

    _acts = field_validator("activities")(classmethod(lambda cls, v: _ids(v)))

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not REQUEST_ID.match(v):
            raise ValueError(t(f"identifiant de demande {v!r} invalide (forme D-2026-001)",
                               f"invalid request ID {v!r} (form D-2026-001)"))
        return v

    @property
    def closed(self) -> bool:
        return self.answered_on is not None

    @model_validator(mode="after")
    def _dates(self, info: ValidationInfo) -> Request:
        now = _now(info)
        _not_future(self.received_on, ("la réception", "receipt"), now)
        ext = self.extension
        for value, what in ((ext.decided_on if ext else None, ("la décision de prolonger", "the extension decision")),
                            (ext.told_on if ext else None, ("l'information de la prolongation", "telling the person")),
                            (self.answered_on, ("la réponse", "the answer"))):
            _not_future(value, what, now)
            if value is not None and value < self.received_on:
                raise ValueError(t(f"{what[0]} précède la réception de la demande ({value.isoformat()})",
                                   f"{what[1]} is before the request was received ({value.isoformat()})"))
        if ext and ext.told_on < ext.decided_on:
            raise ValueError(t("la personne est prévenue avant la décision de prolonger",
                               "the person is told before the extension was decided"))
        if (self.answered_on is None) != (self.outcome is None):
            raise ValueError(t("date de réponse (answered_on) et issue (outcome) vont ensemble",
                               "answer date (answered_on) and outcome go together"))
        if self.outcome == "refused" and not self.refusal_reason:
            raise ValueError(t("un refus doit être motivé (refusal_reason, art. 12(4))",
                               "a refusal needs its reasons (refusal_reason, art. 12(4))"))
        return self


def dump(item: BaseModel) -> dict[str, Any]:
    """Plain data in field order, without empty values (the YAML file)."""
    from ..register.model import _prune

    return _prune(item.model_dump(mode="json", exclude_none=True))
