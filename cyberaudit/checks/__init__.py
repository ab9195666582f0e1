"""Registry of probe checks: each check is declared once, with its metadata.

    from cyberaudit.checks import check, Verdict

    DMARC_POLICY = check(
        "mail.dmarc.policy", severity="high",
        title=Text(fr="Politique DMARC appliquée", en="DMARC policy enforced"),
        explanation=Text(fr="...", en="..."),
        remediation=Text(fr="...", en="..."),
        refs=["rfc:9989", "anssi-pa-066:R48+"],
    )
    ...
    finding = DMARC_POLICY.finding("fail", target="exemple.fr", evidence={...}, detail=Text(...))

`check()` registers the metadata in REGISTRY (a duplicate ID is an error at import);
`.finding()` builds a `Finding` sharing that metadata. Families that are
templated from data (ports, headers, portals) call `check()` once per data row.
Check modules never do network I/O: they judge observations gathered by `probes/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model import Finding, Severity, Status, Text, finding_of
from ..themes import FAMILY_THEME

PROBE_ID = re.compile(r"^[a-z]+\.[a-z0-9_]+\.[a-z0-9_]+$")

# Retired IDs -> current IDs (like ruff's rule redirects): old files still render.
REDIRECTS: dict[str, str] = {}


@dataclass(frozen=True)
class CheckInfo:
    id: str
    severity: Severity
    title: Text
    explanation: Text
    remediation: Text
    refs: tuple[str, ...] = ()
    effort: str | None = None
    owner: str | None = "it_provider"
    template: str | None = None  # checks made from one function and data rows share a template name
    family: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "family", self.id.split(".", 1)[0])

    def finding(
        self,
        status: Status | str,
        *,
        target: str | None = None,
        evidence: dict[str, Any] | None = None,
        detail: Text | None = None,
        severity: Severity | str | None = None,
    ) -> Finding:
        """A Finding for this check. `severity` overrides the default (e.g. bogus DNSSEC)."""
        status = Status(status)
        sev = Severity(severity) if severity is not None else self.severity
        if status in (Status.PASS, Status.INFO) and severity is None:
            sev = Severity.INFO if status is Status.INFO else self.severity
        return finding_of(self, status, source="probe", theme=FAMILY_THEME.get(self.family), severity=sev,
                          target=target, evidence=evidence, detail=detail, remediation=self.remediation)


REGISTRY: dict[str, CheckInfo] = {}


def check(
    id: str,
    *,
    severity: str,
    title: Text,
    explanation: Text,
    remediation: Text,
    refs: list[str] | tuple[str, ...] = (),
    effort: str | None = None,
    owner: str | None = "it_provider",
    template: str | None = None,
) -> CheckInfo:
    if not PROBE_ID.match(id):
        raise ValueError(f"probe check ID {id!r} must have three dotted segments (family.subject.test)")
    if id in REGISTRY:
        raise ValueError(f"duplicate check ID {id!r}")
    info = CheckInfo(id, Severity(severity), title, explanation, remediation, tuple(refs), effort, owner, template)
    REGISTRY[id] = info
    return info


def probe_error_check(family: str) -> CheckInfo:
    """`<family>.probe.error`: the probe of a family could not complete (timeout, crash) on a target."""
    cid = f"{family}.probe.error"
    if cid in REGISTRY:
        return REGISTRY[cid]
    return check(
        cid, severity="info",
        title=Text(fr=f"Contrôles {family} non réalisés", en=f"{family} checks not performed"),
        explanation=Text(
            fr="La sonde n'a pas pu aller au bout : ce n'est pas une faille, mais ce point reste inconnu.",
            en="The probe could not complete: this is not a weakness, but this point remains unknown.",
        ),
        remediation=Text(fr="Vérifier la connectivité puis relancer l'analyse.",
                         en="Check connectivity and run the scan again."),
        template="probe.error",
    )


def load_all() -> dict[str, CheckInfo]:
    """Import every check module so REGISTRY is complete (for `checklists`, reports, lint)."""
    import importlib
    import pkgutil

    for mod in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{mod.name}")
    for family in FAMILY_THEME:  # every probe family has a theme (themes.py), hence an error check
        probe_error_check(family)
    return REGISTRY


def known_ids(content=None) -> set[str]:
    """Every probe-check ID, plus every question ID of `content` (a loaded checklist) when given."""
    return set(load_all()) | (set(content.questions) if content is not None else set())
