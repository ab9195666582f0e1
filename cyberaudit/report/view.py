"""The report's view-model: everything a format shows, already worded in one language.

Formats (HTML, Markdown, JSON, PDF) only lay these values out; they take no decision.
Every string that came from outside (DNS records, banners, headers, answers, names) has had
its control characters removed here; each format escapes for its own syntax.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from ..records.report_view import RecordsView


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
    evidence: list[str] = Field(default_factory=list)  # sentences; the raw evidence is in the JSON only
    evidence_short: str = ""  # the same on one line, for compact tables
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
    kind: str = "fix"  # fix: failed or to improve; verify: answered "I don't know", to find out
    question: str = ""  # the interview question, for a measure the interview asks about
    targets: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)  # who saw it: interview, register (activities), probe (targets)
    ids: list[str] = Field(default_factory=list)  # every finding ID merged into this one action
    references: list[RefView] = Field(default_factory=list)


class UnknownView(V):
    """A question answered "I don't know", with its action."""

    id: str
    question: str
    theme_title: str
    essential: bool = False
    action: str = ""
    who: str = ""


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
    note: str = ""  # why the score is what it is (nothing known, essentials missing, families not run)
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
    previous_date: str  # as people read it ('20 novembre 2025')
    previous_iso: str  # the same day for machines ('2025-11-20'), '' when undated
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
    provisional: bool = False
    grade_text: str = ""  # "D", "D (provisoire)" or "non évalué"
    explanation: str = ""  # one paragraph: the score, what capped it, what is unknown
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


class SectionRef(V):
    id: str  # complete/<id>.html.j2 and complete/<id>.md.j2
    title: str


class ElectedView(V):
    """The elected officials' report (at most six A4 pages)."""

    actions: list[ActionView] = Field(default_factory=list)  # at most five first actions
    regulatory: list[str] = Field(default_factory=list)  # the regulatory situation in two lines
    decide: list[str] = Field(default_factory=list)  # what the elected officials decide


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
    records: RecordsView = Field(default_factory=RecordsView)  # breach and request logs (records/report_view.py)
    annex: Annex
    unknowns: list[UnknownView] = Field(default_factory=list)
    elected_report: ElectedView = Field(default_factory=ElectedView)
    # Sections of the complete report, in order: each is a template reports/complete/<id>.html.j2
    # (and .md.j2). Other parts add theirs here (e.g. privacy, breaches) with their own view fields.
    sections: list[SectionRef] = Field(default_factory=list)

    model_config = {"populate_by_name": True}
