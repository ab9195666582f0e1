"""The report's view-model: everything a format shows, already worded in one language.

Formats (HTML, Markdown, JSON, PDF) only lay these values out; they take no decision.
Every string that came from outside (DNS records, banners, headers, answers, names) has had
its control characters removed here; each format escapes for its own syntax.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class V(BaseModel):
    pass


class KV(V):
    key: str
    value: str


class RefView(V):
    id: str
    label: str = ""


class FindingView(V):
    id: str
    title: str
    status: str  # pass / warn / fail / info / error / unknown
    status_label: str
    severity: str
    severity_label: str
    target: str = ""
    source_label: str = ""
    essential: bool = False
    explanation: str = ""
    detail: str = ""
    remediation: str = ""
    evidence: list[KV] = Field(default_factory=list)
    evidence_short: str = ""  # one line: compact tables and interview answers
    evidence_table: bool = True  # show the evidence as a key/value table (probe and register findings)
    references: list[RefView] = Field(default_factory=list)


class ActionView(V):
    rank: int
    id: str
    title: str
    priority: str  # P1 / P2 / P3
    impact: float
    theme: str
    theme_title: str
    severity: str
    severity_label: str
    status: str
    essential: bool = False
    owner: str  # dpo / it_provider / elected / agent / unassigned
    owner_label: str
    effort: str
    effort_label: str
    cost_label: str
    remediation: str = ""
    targets: list[str] = Field(default_factory=list)
    references: list[RefView] = Field(default_factory=list)


class BarView(V):
    theme: str
    title: str
    score: float | None
    score_text: str
    y: int
    width: int  # bar width in the SVG (0-300)
    text_x: int
    css_class: str
    fill: str  # colour of the bar (SVG presentation attribute: works in browsers and WeasyPrint)


class ThemeView(V):
    theme: str
    title: str
    score: float | None
    score_text: str
    weight: str
    coverage_text: str
    counts_text: str
    not_scanned: list[str] = Field(default_factory=list)
    findings: list[FindingView] = Field(default_factory=list)  # to act on or to find out: in full
    passed: list[FindingView] = Field(default_factory=list)  # passed, informative, not applicable: compact


class PriorityView(V):
    number: str
    title: str
    status: str  # done / partial / todo / unknown
    status_label: str
    open_points: list[str] = Field(default_factory=list)
    cost_label: str = ""


class RowView(V):
    label: str
    value: str
    note: str = ""


class EvolutionView(V):
    previous_date: str
    score_before: str
    score_after: str
    grade_before: str
    grade_after: str
    delta_text: str
    themes: list[RowView] = Field(default_factory=list)
    better: list[str] = Field(default_factory=list)
    worse: list[str] = Field(default_factory=list)
    new: list[str] = Field(default_factory=list)
    fixed: list[str] = Field(default_factory=list)


class ScopeRow(V):
    name: str
    kind: str
    scope: str
    authorization: str


class Cover(V):
    organisation: str
    siren: str
    profile: str
    population: str
    address: str
    dpo: str
    it_provider: str
    assessor: str
    generated: str
    generated_iso: str
    tool_version: str


class Summary(V):
    grade: str
    grade_class: str
    band_grade: str
    score_text: str
    cap_text: str = ""
    coverage_text: str
    reassess_text: str
    essential_text: str
    headline: str
    chart_height: int
    bars: list[BarView] = Field(default_factory=list)
    coverage_rows: list[RowView] = Field(default_factory=list)


class ActivityRow(V):
    id: str
    name: str
    status: str
    failed: int = 0
    warned: int = 0
    issues: str = ""  # titles of the failed and warned checks


class Rgpd(V):
    dpo_rows: list[RowView] = Field(default_factory=list)
    dpo_findings: list[FindingView] = Field(default_factory=list)
    register_text: str
    activities: list[ActivityRow] = Field(default_factory=list)
    register_findings: list[FindingView] = Field(default_factory=list)
    dpias: list[FindingView] = Field(default_factory=list)
    breach: list[FindingView] = Field(default_factory=list)


class RefGroup(V):
    """The items cited from one framework."""

    key: str
    title: str = ""
    items: list[str] = Field(default_factory=list)


class Annex(V):
    methodology: list[str] = Field(default_factory=list)
    scoring_rules: list[str] = Field(default_factory=list)
    references: list[RefGroup] = Field(default_factory=list)
    scope: list[ScopeRow] = Field(default_factory=list)
    scan_text: str


class Report(V):
    schema_: str = Field(default="cyberaudit/report/v2", alias="schema")
    lang: str
    title: str
    L: dict[str, str]
    cover: Cover
    elected: list[PriorityView]
    elected_actions: list[str] = Field(default_factory=list)
    summary: Summary
    top5: list[ActionView]
    actions: list[ActionView]
    cost_legend: list[str] = Field(default_factory=list)
    themes: list[ThemeView]
    rgpd: Rgpd
    website: Any = None  # report/website.py WebsiteView; None when no privacy scan was run
    regulatory: list[RowView]
    evolution: EvolutionView | None = None
    annex: Annex

    model_config = {"populate_by_name": True}
