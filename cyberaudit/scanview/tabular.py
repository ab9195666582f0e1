"""The rows of `scan --format csv` and the test cases of `scan --format junit`, as plain strings.

CSV: one row per finding of the view (the non-passing ones, every one with `--all`), in the details'
order, under headers in the user's language. Cells are returned raw: the writer guards them
(`sanitize.spreadsheet_cell`).

JUnit: one test suite per target, one test case per check and host; a failed check is a JUnit
`failure`, an untested one (`error`) a JUnit `error`, the rest pass (warnings are listed in the suite's
standard output, which CI dashboards show beside it). Every finding kept by `--only` is a test case,
passing ones included (a test report counts what passed).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import get_lang, t
from ..model import Finding, Status
from ..words import HOST_ROLE, SEVERITY, STATUS, word
from .triage import Row, TargetView


def text_of(f: Finding, lang: str | None = None) -> str:
    """Title, then what was found: "Titre — constat"."""
    lang = lang or get_lang()
    return f.title.pick(lang) + (" — " + f.detail.pick(lang) if f.detail else "")


def where(row: Row) -> str:
    """`www.exemple.fr (www) 192.0.2.1:443`: the host, its role and the endpoint when known."""
    loc = row.location
    return f"{loc.host} ({word(HOST_ROLE, loc.role)})" + (f" {loc.endpoint}" if loc.endpoint else "")


def csv_headers() -> list[str]:
    return [t("Cible", "Target"), t("Hôte", "Host"), t("Rôle de l'hôte", "Host role"), t("Adresse", "Address"),
            t("Port", "Port"), t("Identifiant", "Check ID"), t("Contrôle", "Check"), t("Résultat", "Result"),
            t("Sévérité", "Severity"), t("Constat", "Finding"), t("Que faire", "What to do"),
            t("Références", "References")]


def csv_row(target: str, row: Row) -> list[str]:
    f, loc = row.finding, row.location
    return [target, loc.host, word(HOST_ROLE, loc.role), loc.address or "", str(loc.port or ""), f.id,
            f.title.pick(), word(STATUS, f.status.value), word(SEVERITY, f.severity.value),
            f.detail.pick() if f.detail else "", f.remediation.pick() if f.remediation else "",
            " ".join(f.references)]


@dataclass(frozen=True)
class Case:
    classname: str
    name: str
    outcome: str | None  # None (passed), "failure" or "error"
    type: str = ""
    message: str = ""
    text: str = ""


@dataclass(frozen=True)
class Suite:
    name: str
    cases: list[Case]
    failures: int
    errors: int
    warnings: list[str]  # the suite's standard output: one line per warning


def junit_suite(tv: TargetView) -> Suite:
    cases, warnings = [], []
    for row in tv.rows:
        f = row.finding
        outcome = {Status.FAIL: "failure", Status.ERROR: "error"}.get(f.status)
        body = ""
        if outcome:
            lines = [where(row), text_of(f)]
            if f.remediation:
                lines.append(t("Que faire : ", "What to do: ") + f.remediation.pick())
            if f.references:
                lines.append(t("Références : ", "References: ") + ", ".join(f.references))
            body = "\n".join(lines)
        if f.status is Status.WARN:
            warnings.append(f"{word(STATUS, 'warn')} [{word(SEVERITY, f.severity.value)}] {f.id} {where(row)}: "
                            f"{text_of(f)}")
        cases.append(Case(classname=row.location.host, name=f.id, outcome=outcome,
                          type=f"{f.status.value}:{f.severity.value}" if outcome else "",
                          message=text_of(f) if outcome else "", text=body))
    return Suite(tv.target, cases, sum(c.outcome == "failure" for c in cases),
                 sum(c.outcome == "error" for c in cases), warnings)
