"""Shared helpers of the report builder: wording of statuses, severities, findings and references."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..assessment.scoring import matches
from ..model import Finding, Text
from ..sanitize import bounded, strip_control
from ..words import COST, EFFORT, FAMILY, OWNER, SEVERITY, SOURCE, STATUS, word  # noqa: F401 (re-exported)
from .evidence import name_ids, sentences, title_lookup
from .view import FindingView, RefView

EVIDENCE_LIMIT = 300
SHORT_LIMIT = 300


def natural(item: str) -> list:
    """Sort key where numbers compare as numbers: '2' < '10' < '10.1' < 'R4'."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", item) if p]


def ref_key(ref: str) -> tuple:
    key, _, item = ref.partition(":")
    return (key, natural(item))


BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")  # direction overrides can disguise text


def clean(value: Any, limit: int | None = None) -> str:
    """A string from outside, made inert: no control characters, terminal escapes or bidi overrides."""
    text = BIDI.sub("", strip_control(str(value), keep_newlines=True))
    return bounded(text, limit) if limit else text


def text(value: Text | None, lang: str) -> str:
    return "" if value is None else clean(value.pick(lang))


def number(value: float | None, lang: str, digits: int = 1) -> str:
    if value is None:
        return "—"
    s = f"{value:.{digits}f}"
    if digits and s.endswith("." + "0" * digits):
        s = s[: -(digits + 1)]
    return s.replace(".", ",") if lang == "fr" else s


def percent(share: float | None, lang: str) -> str:
    return "—" if share is None else f"{number(share * 100, lang, 0)} %" if lang == "fr" else \
        f"{number(share * 100, lang, 0)}%"


def status_of(f: Finding) -> str:
    answer = f.evidence.get("answer")
    if answer in ("unknown", "na"):
        return str(answer)
    return f.status.value


def _dpia_words() -> dict[str, tuple[str, str]]:
    """DPIA criteria, CNIL exemptions and art. 35(3) cases by their codes, in words."""
    from ..register.dpia import ART35_3, CRITERIA_TEXT, EXEMPTIONS

    return {**CRITERIA_TEXT, **EXEMPTIONS, **ART35_3}


@dataclass
class Ctx:
    lang: str
    essential: list[str] = field(default_factory=list)
    frameworks: dict[str, Any] = field(default_factory=dict)
    refs_seen: set[str] = field(default_factory=set)
    content: Any = None  # the checklists: question texts and answer labels
    titles: dict[str, Text] = field(default_factory=dict)  # any finding ID -> its title
    links: dict[str, str] = field(default_factory=dict)  # finding ID -> ID of the measure it belongs to

    def question_text(self, qid: str) -> str:
        q = getattr(self.content, "questions", {}).get(qid)
        return clean(q.text.pick(self.lang)) if q is not None else ""

    def answer_label(self, f: Finding) -> str:
        q = getattr(self.content, "questions", {}).get(f.id)
        if q is None or "answer" not in f.evidence:
            return ""
        try:
            return clean(q.label_of(q.parse_value(f.evidence["answer"])).pick(self.lang)).lower()
        except (ValueError, TypeError, AttributeError):
            return ""

    def ref(self, ref: str) -> RefView:
        self.refs_seen.add(ref)
        return RefView(id=clean(ref), label=self.ref_label(ref))

    def ref_label(self, ref: str) -> str:
        key, _, item = ref.partition(":")
        fw = self.frameworks.get(key)
        if fw is None:
            return ""
        found = fw.item(item) if hasattr(fw, "item") else None
        base = fw.title.pick(self.lang)
        return clean(f"{base} — {found.title.pick(self.lang)}" if found else base)

    def is_essential(self, fid: str) -> bool:
        return matches(fid, self.essential)

    def finding(self, f: Finding) -> FindingView:
        st = status_of(f)
        title_of = title_lookup(self.titles, self.lang, _dpia_words())
        evidence = [clean(line, EVIDENCE_LIMIT).replace("\n", " ")
                    for line in sentences(f, self.lang, title_of, self.answer_label(f))]
        short = " ; ".join(evidence) if self.lang == "fr" else "; ".join(evidence)
        return FindingView(
            id=f.id, title=text(f.title, self.lang), status=st, status_label=word(STATUS, st, self.lang),
            severity=f.severity.value, severity_label=word(SEVERITY, f.severity.value, self.lang),
            target=clean(f.target or "", 200), source_label=word(SOURCE, f.source, self.lang),
            essential=self.is_essential(f.id), explanation=text(f.explanation, self.lang),
            detail="" if f.source == "interview" else name_ids(text(f.detail, self.lang), title_of),  # answer: evidence
            remediation=text(f.remediation, self.lang),
            evidence=evidence, evidence_short=clean(short, SHORT_LIMIT),
            references=[self.ref(r) for r in f.references],
        )
