"""Shared helpers of the report builder: wording of statuses, severities, findings and references."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..assessment.scoring import matches
from ..model import Finding, Text
from ..sanitize import bounded, strip_control
from .view import KV, FindingView, RefView

STATUS = {
    "pass": ("Conforme", "Pass"), "warn": ("À améliorer", "To improve"), "fail": ("Non conforme", "Fail"),
    "info": ("Information", "Information"), "error": ("Non testé", "Not tested"),
    "unknown": ("Inconnu", "Unknown"), "na": ("Non applicable", "Not applicable"),
}
SEVERITY = {
    "critical": ("Critique", "Critical"), "high": ("Haute", "High"), "medium": ("Moyenne", "Medium"),
    "low": ("Basse", "Low"), "info": ("Info", "Info"),
}
SOURCE = {"probe": ("Test technique", "Technical test"), "interview": ("Entretien", "Interview"),
          "register": ("Registre", "Register")}
OWNER = {"dpo": ("DPO", "DPO"), "it_provider": ("Prestataire informatique", "IT provider"),
         "elected": ("Élus", "Elected officials"), "agent": ("Agents, secrétariat", "Staff"),
         "unassigned": ("À désigner", "To be assigned")}
EFFORT = {"low": ("Faible", "Low"), "medium": ("Moyen", "Medium"), "high": ("Élevé", "High")}
COST = {
    "low": ("Faible : quelques heures de travail, sans achat", "Low: a few hours of work, no purchase"),
    "medium": ("Moyen : quelques jours ou un devis de l'ordre de 1 000 à 5 000 €",
               "Medium: a few days, or a quote around €1,000-5,000"),
    "high": ("Élevé : un projet à budgéter (plus de 5 000 €)", "High: a project to budget (over €5,000)"),
}
EVIDENCE_LIMIT = 400
SHORT_LIMIT = 300


def natural(item: str) -> list:
    """Sort key where numbers compare as numbers: '2' < '10' < '10.1' < 'R4'."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", item) if p]


def ref_key(ref: str) -> tuple:
    key, _, item = ref.partition(":")
    return (key, natural(item))


def word(table: dict[str, tuple[str, str]], key: str | None, lang: str) -> str:
    pair = table.get(key or "")
    if pair is None:
        return clean(key or "")
    return pair[1] if lang == "en" else pair[0]


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


def evidence_rows(evidence: dict[str, Any]) -> list[KV]:
    rows = []
    for key in sorted(evidence, key=str):
        value = evidence[key]
        if isinstance(value, str):
            shown = value
        else:
            shown = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        rows.append(KV(key=clean(key, 80), value=clean(shown, EVIDENCE_LIMIT).replace("\n", " ")))
    return rows


def status_of(f: Finding) -> str:
    answer = f.evidence.get("answer")
    if answer in ("unknown", "na"):
        return str(answer)
    return f.status.value


@dataclass
class Ctx:
    lang: str
    essential: list[str] = field(default_factory=list)
    frameworks: dict[str, Any] = field(default_factory=dict)
    refs_seen: set[str] = field(default_factory=set)

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
        evidence = evidence_rows(f.evidence)
        short = "; ".join(f"{kv.key}: {kv.value}" for kv in evidence if kv.key != "score")
        return FindingView(
            id=f.id, title=text(f.title, self.lang), status=st, status_label=word(STATUS, st, self.lang),
            severity=f.severity.value, severity_label=word(SEVERITY, f.severity.value, self.lang),
            target=clean(f.target or "", 200), source_label=word(SOURCE, f.source, self.lang),
            essential=self.is_essential(f.id), explanation=text(f.explanation, self.lang),
            detail=text(f.detail, self.lang), remediation=text(f.remediation, self.lang),
            evidence=evidence, evidence_short=clean(short, SHORT_LIMIT), evidence_table=f.source != "interview",
            references=[self.ref(r) for r in f.references],
        )
