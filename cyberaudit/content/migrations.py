"""Old answers, new questions: answers.yaml files written before a revision of the question bank.

checklists/maintenance/migrations.yaml lists, for each revision, the questions that changed: the
questions that replace each one (`parts`) and, per part, the old answer values that are still true
of that part (`carry`). `migrate_entries` applies it to the entries of an answers file:

  - the old entry leaves the live answers (it answered a question that is no longer asked as such)
    and is kept under `superseded` as `<id>@<revision it answered>`: nothing is lost;
  - each part whose `carry` lists the old value gets a copy of the old entry, its note saying where
    the answer comes from; a part already answered in the file is never overwritten;
  - every other part is unanswered, so the interview asks it again.

Pure functions on plain data (the answers module reads and writes the file). Files carry the revision
they were written for (`revision:`); a file written by cyberaudit before revisions existed (it has a
`schema:` key but no `revision:`) is revision 1; a hand-written file without `schema:` (short or long
form) is taken as written for the current bank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator

from ..model import Strict, Text

FILE = ("maintenance", "migrations.yaml")
FIRST_REVISION = 1


class Change(Strict):
    question: str  # the ID as it was asked before `revision`
    revision: int = Field(ge=2)  # the revision that changed it
    kind: Literal["split", "reworded"]
    old_text: Text
    parts: list[str] = Field(min_length=1)
    carry: dict[str, list[str]]  # part -> old values still true of that part
    why: Text

    @field_validator("carry")
    @classmethod
    def _values(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for part, values in v.items():
            bad = [x for x in values if x not in ("yes", "partial", "no", "unknown", "na")]
            if bad:
                raise ValueError(f"carry for {part!r}: {bad} are not yes/partial/no/unknown/na")
        return v


class Table(Strict):
    revision: int = Field(ge=FIRST_REVISION)  # the current revision of the bank
    changes: list[Change] = Field(default_factory=list)


@dataclass
class Result:
    entries: dict[str, Any]  # the live entries, migrated
    superseded: dict[str, Any] = field(default_factory=dict)  # "<id>@<rev>" -> old entry
    sources: dict[str, str] = field(default_factory=dict)  # carried part -> the old ID it came from


@cache
def load_table(path: str | None = None) -> Table:
    """The shipped migration table (InputError with file and line when it is malformed)."""
    from ..disk.fileio import load_yaml, validate
    from .locate import content_dir

    p = Path(path) if path else content_dir("checklists").joinpath(*FILE)
    return validate(Table, load_yaml(p), str(p))


def file_revision(data: Any, current: int) -> int:
    """The bank revision an answers file was written for (see the module docstring)."""
    if isinstance(data, dict):
        rev = data.get("revision")
        if isinstance(rev, int) and not isinstance(rev, bool):
            return rev
        if "schema" in data:  # cyberaudit always writes it: a file it wrote before revisions existed
            return FIRST_REVISION
    return current


def value_of(entry: Any) -> Any:
    """The answer value of a raw entry (long or short form), normalised for comparison."""
    value = entry.get("value") if isinstance(entry, dict) else entry
    if isinstance(value, bool):  # YAML 1.1 writers
        value = "yes" if value else "no"
    return value.strip() if isinstance(value, str) else value


def _carried(entry: Any, change: Change, copy) -> Any:
    """The old entry, copied for a part, with a note saying where it comes from."""
    marker = f"Réponse reprise de l'ancienne question {change.question} (révision {change.revision - 1})."
    if not isinstance(entry, dict):
        return {"value": entry, "note": marker}
    new = copy(entry)
    note = new.get("note")
    new["note"] = f"{note} — {marker}" if note else marker
    return new


def migrate_entries(entries: dict[str, Any], from_revision: int, table: Table, copy=dict) -> Result:
    """Apply every change newer than `from_revision` to the raw entries (a new dict is returned).

    `copy` copies one long-form entry (dict, or ruamel's CommentedMap when rewriting a file).
    """
    live = dict(entries)
    result = Result(entries=live)
    for change in sorted(table.changes, key=lambda c: c.revision):
        if change.revision <= from_revision or change.question not in live:
            continue
        old = live.pop(change.question)
        result.superseded[f"{change.question}@{change.revision - 1}"] = old
        value = value_of(old)
        for part in change.parts:
            if part in live or value not in change.carry.get(part, []):
                continue
            live[part] = _carried(old, change, copy)
            result.sources[part] = change.question
    return result


def check_table(table: Table, questions: dict) -> list[str]:
    """Reasons a table does not fit the content (parts exist, carried values are answers of the part)."""
    problems = []
    seen: set[tuple[str, int]] = set()
    for ch in table.changes:
        key = (ch.question, ch.revision)
        if key in seen:
            problems.append(f"{ch.question}: two changes for revision {ch.revision}")
        seen.add(key)
        if ch.revision > table.revision:
            problems.append(f"{ch.question}: change for revision {ch.revision}, but the bank is at {table.revision}")
        if ch.kind == "reworded" and ch.parts != [ch.question]:
            problems.append(f"{ch.question}: a reworded question keeps its own ID as its only part")
        for part in ch.parts:
            q = questions.get(part)
            if q is None:
                problems.append(f"{ch.question}: part {part!r} is not a question")
                continue
            bad = [v for v in ch.carry.get(part, []) if v not in q.allowed_keys()]
            if bad:
                problems.append(f"{ch.question}: carries {bad} to {part}, which does not accept them")
        extra = set(ch.carry) - set(ch.parts)
        if extra:
            problems.append(f"{ch.question}: carry names {sorted(extra)}, which are not parts")
    return problems
