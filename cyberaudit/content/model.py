"""Pydantic models of the interview content: banks, questions, frameworks, profiles.

Files (documented in checklists/README.md):

  checklists/<bank>.yaml            a bank: `id`, `order`, `title`, `questions: [...]`
  checklists/frameworks/<key>.yaml  a reference framework: `key`, `title`, optional `items`
  profiles/<kind>.yaml              an organisation kind: banks, skips, weights, essential measures, facts

Question IDs have three dotted segments; the first one names the theme (THEME_PREFIX),
and never a probe family, so an interview finding cannot collide with a probe finding.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from ..i18n import t
from ..model import Ref, Severity, Strict, Text
from ..themes import THEMES

QUESTION_ID = re.compile(r"^[a-z][a-z0-9]*\.[a-z0-9_]+\.[a-z0-9_]+$")
KEY = re.compile(r"^[a-z0-9][a-z0-9_]*$")

# theme -> first segment of the question IDs of that theme
THEME_PREFIX: dict[str, str] = {
    "governance": "gov",
    "rgpd": "priv",
    "identity": "iam",
    "mail": "msg",
    "web": "site",
    "exposure": "net",
    "systems": "sys",
    "continuity": "bcp",
    "awareness": "trn",
    "sobriety": "eco",
}
YESNO_VALUES = ("yes", "partial", "no", "unknown", "na")
DEFAULT_YESNO_SCORES = {"yes": 1.0, "partial": 0.5, "no": 0.0}
Owner = Literal["dpo", "it_provider", "elected", "agent"]
Effort = Literal["low", "medium", "high"]


def _score(v: float) -> float:
    if not 0.0 <= v <= 1.0:
        raise ValueError(f"score {v} must be between 0 and 1")
    return float(v)


class Choice(Strict):
    key: str
    label: Text
    score: float

    @field_validator("key")
    @classmethod
    def _key(cls, v: str) -> str:
        if not KEY.match(v) or v in ("unknown", "na"):
            raise ValueError(f"choice key {v!r} must be lowercase snake_case (not 'unknown'/'na')")
        return v

    _s = field_validator("score")(classmethod(lambda cls, v: _score(v)))


class ScaleStep(Strict):
    """Number answers: the score of the highest `min` not above the value."""

    min: float
    score: float
    _s = field_validator("score")(classmethod(lambda cls, v: _score(v)))


class AgeStep(Strict):
    """Date answers ("when was it last done?"): the first step whose `max_days` covers the age."""

    max_days: int = Field(ge=0)
    score: float
    _s = field_validator("score")(classmethod(lambda cls, v: _score(v)))


class Condition(Strict):
    """Asked only if another answer (`q`) or a profile fact (`fact`) has one of the listed values."""

    q: str | None = None
    fact: str | None = None
    in_: list[Any] = Field(alias="in", min_length=1)

    @model_validator(mode="after")
    def _one(self) -> Condition:
        if (self.q is None) == (self.fact is None):
            raise ValueError("a condition names exactly one of 'q' (question ID) or 'fact'")
        return self


class Question(Strict):
    id: str
    theme: str
    title: Text  # short statement for findings and reports ("DPO désigné")
    text: Text  # the question as asked
    help: Text  # why it matters for a collectivité, how to check, what a good answer looks like
    answer: Literal["yesno", "choice", "number", "date"] = "yesno"
    scores: dict[str, float] | None = None  # yesno: yes/partial/no -> 0..1
    choices: list[Choice] = Field(default_factory=list)
    scale: list[ScaleStep] = Field(default_factory=list)
    age: list[AgeStep] = Field(default_factory=list)
    unit: Text | None = None
    allow_na: bool = False
    severity: Severity
    applies_to: list[str] = Field(default_factory=list)  # profile IDs; empty = every profile
    when: list[Condition] = Field(default_factory=list)
    refs: list[Ref] = Field(min_length=1)
    remediation: Text
    effort: Effort
    owner: Owner
    confirms: list[str] = Field(default_factory=list)  # probe finding IDs (see joins.py)
    refutes: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not QUESTION_ID.match(v):
            raise ValueError(f"question ID {v!r} must have three dotted lowercase segments, e.g. 'gov.dpo.designated'")
        return v

    @field_validator("theme")
    @classmethod
    def _theme(cls, v: str) -> str:
        if v not in THEMES:
            raise ValueError(f"unknown theme {v!r}; known: {', '.join(THEMES)}")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        prefix = THEME_PREFIX[self.theme]
        if self.id.split(".", 1)[0] != prefix:
            raise ValueError(f"question {self.id!r} of theme {self.theme!r} must start with '{prefix}.'")
        if self.answer == "yesno":
            scores = self.scores or DEFAULT_YESNO_SCORES
            unknown = set(scores) - {"yes", "partial", "no"}
            if unknown or "yes" not in scores or "no" not in scores:
                raise ValueError("yesno scores take the keys yes, partial (optional) and no")
            for v in scores.values():
                _score(v)
        elif self.scores is not None:
            raise ValueError("'scores' is for yesno answers; choices carry their own score")
        if self.answer == "choice":
            keys = [c.key for c in self.choices]
            if len(keys) < 2 or len(set(keys)) != len(keys):
                raise ValueError("a choice question needs at least two choices with distinct keys")
        elif self.choices:
            raise ValueError("'choices' only go with answer: choice")
        if self.answer == "number" and not self.scale:
            raise ValueError("a number question needs a 'scale' (min -> score)")
        if self.answer == "date" and not self.age:
            raise ValueError("a date question needs an 'age' table (max_days -> score)")
        return self

    # ------------------------------------------------------------------ answers

    def yesno_scores(self) -> dict[str, float]:
        return dict(self.scores or DEFAULT_YESNO_SCORES)

    def allowed_keys(self) -> list[str]:
        """The keyed values an answer may take (numbers and dates aside)."""
        if self.answer == "yesno":
            keys = [k for k in ("yes", "partial", "no") if k in self.yesno_scores()]
        elif self.answer == "choice":
            keys = [c.key for c in self.choices]
        elif self.answer == "date":
            keys = ["never"]  # "it never happened": scored like a very old date
        else:
            keys = []
        keys.append("unknown")
        if self.allow_na:
            keys.append("na")
        return keys

    def parse_value(self, value: Any) -> Any:
        """Normalise an answer value; ValueError with a plain reason when it is not allowed."""
        if isinstance(value, bool):  # YAML 1.1 writers may turn yes/no into booleans
            value = "yes" if value else "no"
        if isinstance(value, str):
            value = value.strip()
            if value == "never" and self.answer == "date":
                return value
            if value in ("unknown", "na"):
                if value == "na" and not self.allow_na:
                    raise ValueError(t("« non applicable » n'est pas possible pour cette question",
                                       "'na' (not applicable) is not allowed for this question"))
                return value
        if self.answer in ("yesno", "choice"):
            if value not in self.allowed_keys():
                raise ValueError(t(f"{value!r} n'est pas une réponse possible ({', '.join(self.allowed_keys())})",
                                   f"{value!r} is not one of {', '.join(self.allowed_keys())}"))
            return value
        if self.answer == "number":
            if isinstance(value, str):
                try:
                    value = float(value.replace(",", ".")) if "." in value or "," in value else int(value)
                except ValueError:
                    raise ValueError(t(f"{value!r} n'est pas un nombre", f"{value!r} is not a number")) from None
            if not isinstance(value, (int, float)) or value < 0:
                raise ValueError(t(f"{value!r} n'est pas un nombre positif", f"{value!r} is not a number >= 0"))
            return value
        # date
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, str):
            value = parse_date(value)
        if not isinstance(value, dt.date):
            raise ValueError(t(f"{value!r} n'est pas une date (AAAA-MM-JJ)", f"{value!r} is not a date (YYYY-MM-DD)"))
        if value > dt.date.today() + dt.timedelta(days=1):
            raise ValueError(t(f"la date {value.isoformat()} est dans le futur", f"date {value.isoformat()} is in the future"))
        return value

    def score_of(self, value: Any, today: dt.date | None = None) -> float | None:
        """Score 0..1 of a parsed value; None for unknown / not applicable."""
        if value in ("unknown", "na"):
            return None
        if value == "never":
            return 0.0
        if self.answer == "yesno":
            return self.yesno_scores()[value]
        if self.answer == "choice":
            return next(c.score for c in self.choices if c.key == value)
        if self.answer == "number":
            steps = sorted(self.scale, key=lambda s: s.min)
            score = 0.0
            for step in steps:
                if value >= step.min:
                    score = step.score
            return score
        days = ((today or dt.date.today()) - value).days
        for step in sorted(self.age, key=lambda s: s.max_days):
            if days <= step.max_days:
                return step.score
        return 0.0

    def label_of(self, value: Any) -> Text:
        """Human label of an answer value."""
        if value in YESNO_LABELS:
            return YESNO_LABELS[value]
        for c in self.choices:
            if c.key == value:
                return c.label
        if isinstance(value, dt.date):
            return Text(fr=value.strftime("%d/%m/%Y"), en=value.isoformat())
        unit_fr = f" {self.unit.fr}" if self.unit else ""
        unit_en = f" {self.unit.en}" if self.unit else ""
        return Text(fr=f"{value}{unit_fr}", en=f"{value}{unit_en}")


_FR_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(text: str) -> dt.date:
    """2024-03-15 (ISO) or 15/03/2024, 15-03-2024, 15.03.2024 (day first, as written in France)."""
    text = text.strip()
    try:
        m = _FR_DATE.match(text)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(t(f"{text!r} n'est pas une date (15/03/2024 ou 2024-03-15), ni « jamais »",
                           f"{text!r} is not a date (2024-03-15 or 15/03/2024), nor 'never'")) from None


YESNO_LABELS: dict[str, Text] = {
    "never": Text(fr="Jamais", en="Never"),
    "yes": Text(fr="Oui", en="Yes"),
    "partial": Text(fr="En partie", en="Partly"),
    "no": Text(fr="Non", en="No"),
    "unknown": Text(fr="Je ne sais pas", en="I don't know"),
    "na": Text(fr="Non applicable", en="Not applicable"),
}


class Bank(Strict):
    id: str
    order: int
    title: Text
    description: Text
    questions: list[Question] = Field(min_length=1)


class FrameworkItem(Strict):
    id: str
    title: Text
    level: Literal["S", "S+R", "R"] | None = None
    section: str | None = None
    parts: list[str] = Field(default_factory=list)  # every citable sub-reference, written in full: "30(1)(f)", "8.3"


class Framework(Strict):
    key: str
    title: Text
    source: str | None = None
    version: str | None = None
    # numbered: item IDs are the source's own numbers; topics: our labels for a source cited by topic
    numbering: Literal["numbered", "topics"] = "numbered"
    items: list[FrameworkItem] = Field(min_length=1)

    def item(self, ref_item: str) -> FrameworkItem | None:
        """The listed item a reference points at: the item itself, or the item one of whose parts it is."""
        for i in self.items:
            if ref_item == i.id or ref_item in i.parts:
                return i
        return None


class PopulationRange(Strict):
    min: int = Field(ge=0, default=0)
    max: int | None = None


class Nis2(Strict):
    status: Literal["essential", "important", "not_covered", "to_check"]
    note: Text


class Facts(Strict):
    dpo_mandatory: bool
    population: PopulationRange
    # REEN law art. 35: a responsible-digital strategy for communes and EPCI over 50,000 inhabitants
    reen_strategy: Literal["required", "not_required", "above_threshold"]
    reen_threshold: int = 50000
    reen_note: Text | None = None  # the rule and its dates, for reports
    nis2: Nis2
    it_staff: bool | None = None  # usual case: in-house IT staff or not


class Profile(Strict):
    id: str
    title: Text
    description: Text
    extends: str | None = None
    banks: list[str] = Field(min_length=1)
    skip: list[str] = Field(default_factory=list)
    theme_weights: dict[str, float]
    essential: list[str] = Field(default_factory=list)
    facts: Facts

    @field_validator("theme_weights")
    @classmethod
    def _weights(cls, v: dict[str, float]) -> dict[str, float]:
        unknown = set(v) - set(THEMES)
        if unknown:
            raise ValueError(f"unknown themes in theme_weights: {', '.join(sorted(unknown))}")
        if any(w < 0 for w in v.values()):
            raise ValueError("theme weights must be >= 0")
        return v

    def fact_value(self, name: str, population: int | None = None) -> Any:
        """A fact resolved for an organisation; `reen_required` applies the population threshold."""
        if name == "reen_required":
            rule = self.facts.reen_strategy
            if rule == "above_threshold":
                return None if population is None else population > self.facts.reen_threshold
            return rule == "required"
        if name == "nis2":
            return self.facts.nis2.status
        return getattr(self.facts, name)
