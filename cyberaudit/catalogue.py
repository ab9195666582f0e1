"""A check catalogue instead of repeated texts.

On disk, a scan or an assessment carries each finding's ID, status, severity, target, detail and
evidence; the bilingual title, explanation, remediation, references, effort, owner and theme of a
check (and where it comes from: probe, interview, register) appear once per document, in
`catalogue`, keyed by finding ID; in a scan, a finding about its target's own name leaves out
`target`. A finding whose metadata
keeps what differs from its catalogue entry inline (the check's default severity, say, raised for
this case), and `null` for what its entry has but it has not. Files of the first version (`…/v1`,
every finding complete, no catalogue) are read as they are, so old workspaces still open.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

CATALOGUE_FIELDS = ("title", "explanation", "remediation", "references", "effort", "owner", "theme", "source",
                    "severity")


def entry_of(finding: dict[str, Any]) -> dict[str, Any]:
    """The catalogue part of one dumped finding."""
    return {k: finding[k] for k in CATALOGUE_FIELDS if k in finding}


def build(findings: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Catalogue of dumped findings: the first finding of each ID gives its entry."""
    catalogue: dict[str, dict[str, Any]] = {}
    for f in findings:
        catalogue.setdefault(f["id"], entry_of(f))
    return catalogue


def compact(finding: dict[str, Any], catalogue: dict[str, dict[str, Any]], same: Iterable[str] = ()) -> dict[str, Any]:
    """The finding without what its catalogue entry already says (`same`: fields left out of the dumped
    finding because the caller knows they equal the entry's)."""
    entry = catalogue.get(finding["id"])
    if entry is None:
        return finding
    out = {k: v for k, v in finding.items() if k not in entry or entry[k] != v}
    for k in entry:
        if k not in finding and k not in same:
            out[k] = None  # the entry has it, this finding has not
    return out


def hydrate(finding: Any, catalogue: dict[str, Any]) -> Any:
    """A complete finding again: its entry's metadata, then what the finding itself says."""
    if not isinstance(finding, dict):
        return finding
    entry = catalogue.get(finding.get("id"))
    if not isinstance(entry, dict):
        return finding
    merged = {**entry, **finding}
    return {k: v for k, v in merged.items() if v is not None or k not in entry}


def hydrate_list(findings: Any, catalogue: Any) -> Any:
    if not isinstance(findings, list) or not isinstance(catalogue, dict):
        return findings
    return [hydrate(f, catalogue) for f in findings]


def compact_target(target: dict[str, Any], catalogue: dict[str, dict[str, Any]],
                   same: dict[int, set[str]] | None = None) -> dict[str, Any]:
    """One dumped TargetResult of a scan: compact findings, `target` left out where it is the target's
    (`same`: finding index -> fields left out of the dump because they equal the entry's, see `compact`)."""
    name = target.get("target")
    found = []
    for i, f in enumerate(target.get("findings", [])):
        f = compact(f, catalogue, same.get(i, ()) if same else ())
        if f.get("target") == name:
            f = {k: v for k, v in f.items() if k != "target"}
        found.append(f)
    return {**target, "findings": found}


def hydrate_target(target: Any, catalogue: Any) -> Any:
    if not isinstance(target, dict) or not isinstance(target.get("findings"), list):
        return target
    name = target.get("target")
    found = [hydrate(f, catalogue) if isinstance(catalogue, dict) else f for f in target["findings"]]
    found = [{"target": name, **f} if isinstance(f, dict) and "target" not in f and name else f for f in found]
    return {**target, "findings": found}


def opened(data: Any, kind: str) -> tuple[Any, dict | None, bool]:
    """A `kind` document read from disk: (data without its catalogue, the catalogue, whether it was a
    catalogue or v1 document at all); data is then relabelled `cyberaudit/<kind>/v2`."""
    if not isinstance(data, dict) or ("catalogue" not in data and data.get("schema") != f"cyberaudit/{kind}/v1"):
        return data, None, False
    data = dict(data)
    cat = data.pop("catalogue", None)
    data["schema"] = f"cyberaudit/{kind}/v2"
    return data, cat, True


def compacted(findings: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Dumped findings in their compact form, and the catalogue they share."""
    cat = build(findings)
    return [compact(f, cat) for f in findings], cat
