"""answers.yaml: one entry per question ID, written atomically the moment an answer is given.

    schema: cyberaudit/answers/v1
    answers:
      gov.dpo.designated:
        value: "yes"              # yes/partial/no/unknown/na, a choice key, a number or a date
        note: "délibération du 12 mars 2024"
        evidence_link: "https://…"
        by: "Marie Dupont"
        at: "2026-11-29T09:12:00+00:00"

A hand-written file may also use the short form `gov.dpo.designated: "yes"`. Comments a person
adds are kept when the tool rewrites the file (ruamel round-trip).
"""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..content import migrations
from ..disk.fileio import atomic_write, line_of, load_yaml, validate
from ..disk.yaml_rt import dumps_yaml, load_yaml_rt, merge_into
from ..errors import InputError
from ..i18n import t
from ..model import Answer

SCHEMA = "cyberaudit/answers/v1"
HEADER = (
    "# Réponses à l'entretien cyberaudit (schéma cyberaudit/answers/v1), une entrée par question.\n"
    "# Écrit après chaque réponse par `cyberaudit assess` ; modifiable à la main (les commentaires sont conservés).\n"
)


def _path(ws) -> Path:
    from ..disk.workspace import ANSWERS

    return ws.path(ANSWERS)


def _entries(data: Any, filename: str) -> tuple[Any, tuple]:
    """The mapping of answers inside a loaded file, and its location path."""
    if data is None:
        return {}, ()
    if not isinstance(data, dict):
        raise InputError(t("le fichier de réponses doit être un dictionnaire", "the answers file must be a mapping"),
                         file=filename, line=1)
    if "answers" in data:
        entries = data["answers"]
        if entries is None:
            return {}, ("answers",)
        if not isinstance(entries, dict):
            raise InputError(t("« answers » doit être un dictionnaire question → réponse",
                               "'answers' must map question IDs to answers"),
                             file=filename, line=line_of(data, ("answers",)), field="answers")
        return entries, ("answers",)
    return {k: v for k, v in data.items() if k not in ("schema", "revision", "superseded")}, ()


def parse(data: Any, filename: str) -> tuple[dict[str, Answer], dict[str, int | None]]:
    """Answers of a loaded file, with the line of each entry (structure only, not content)."""
    entries, base = _entries(data, filename)
    if isinstance(data, dict) and data.get("schema") not in (None, SCHEMA):
        raise InputError(t(f"schéma inconnu {data.get('schema')!r} (attendu {SCHEMA})",
                           f"unknown schema {data.get('schema')!r} (expected {SCHEMA})"),
                         file=filename, line=line_of(data, ("schema",)), field="schema")
    table = migrations.load_table()
    migrated = migrations.migrate_entries({str(k): v for k, v in entries.items()},
                                          migrations.file_revision(data, table.revision), table)
    answers: dict[str, Answer] = {}
    lines: dict[str, int | None] = {}
    for qid, entry in migrated.entries.items():
        line = line_of(data, (*base, migrated.sources.get(qid, qid)))
        lines[qid] = line
        raw = entry if isinstance(entry, dict) else {"value": entry}
        try:
            answers[qid] = validate(Answer, dict(raw), filename)
        except InputError as exc:
            at = line_of(data, (*base, qid, exc.field)) if exc.field and isinstance(entry, dict) else None
            raise InputError(exc.bare_message, file=filename, line=at or line,
                             field=f"{qid}.{exc.field}" if exc.field else qid) from None
    return answers, lines


MAX_FILE = 8 * 1024 * 1024  # bytes of an answers file: 122 questions with long notes fit many times over


def _size_ok(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError:
        return  # missing: the loader says so
    if size > MAX_FILE:
        raise InputError(t(f"fichier trop gros ({size // (1024 * 1024)} Mio, au plus {MAX_FILE // (1024 * 1024)} Mio)",
                           f"file too large ({size // (1024 * 1024)} MiB, at most {MAX_FILE // (1024 * 1024)} MiB)"),
                         file=str(path))


def load(ws) -> dict[str, Answer]:
    """The workspace's answers (empty when none were given yet)."""
    path = _path(ws)
    _size_ok(path)
    data = load_yaml(path, missing_ok=True)
    return parse(data, str(path))[0]


def load_file(path: str | Path) -> tuple[dict[str, Answer], dict[str, int | None]]:
    path = Path(path)
    _size_ok(path)
    return parse(load_yaml(path), str(path))


def _entry_data(answer: Answer) -> dict:
    data = answer.model_dump(mode="json", exclude_none=True)
    value = answer.value
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    if isinstance(value, str):  # quoted, so that YAML 1.1 readers never see yes/no as booleans
        value = DoubleQuotedScalarString(value)
    data["value"] = value
    return data


def _write(ws, updates: dict[str, Answer | None]) -> None:
    """Apply updates (None removes an entry) to answers.yaml, keeping comments; one atomic write."""
    path = _path(ws)
    data = load_yaml_rt(path, missing_ok=True)
    if not isinstance(data, CommentedMap):
        data = CommentedMap()
    data["schema"] = SCHEMA
    entries = data.get("answers")
    if not isinstance(entries, CommentedMap):
        entries = CommentedMap()
        data["answers"] = entries
    _migrate_file(data, entries)
    entries = data["answers"]
    for qid, answer in updates.items():
        if answer is None:
            entries.pop(qid, None)
            continue
        new = _entry_data(answer)
        old = entries.get(qid)
        if isinstance(old, CommentedMap):
            merge_into(old, new)
        else:
            entries[qid] = CommentedMap(new)
    text = dumps_yaml(data)
    if not text.startswith("#"):
        text = HEADER + text
    atomic_write(path, text)


def _migrate_file(data: CommentedMap, entries: CommentedMap) -> None:
    """Bring a file written for an older bank revision up to date before writing to it (in place).

    Old entries that no longer answer a live question move under `superseded`; what they still say
    is carried to the new questions (content/migrations.py). The file then records its revision.
    """
    table = migrations.load_table()
    rev = migrations.file_revision(data, table.revision) if entries else table.revision
    if rev < table.revision:
        res = migrations.migrate_entries(dict(entries), rev, table, copy=lambda e: CommentedMap(e.items()))
        data["answers"] = CommentedMap(res.entries.items())
        if res.superseded:
            kept = data.get("superseded")
            kept = kept if isinstance(kept, CommentedMap) else CommentedMap()
            kept.update(res.superseded)
            data["superseded"] = kept
    if "revision" not in data:
        data.insert(1, "revision", table.revision)
    else:
        data["revision"] = table.revision


def stamp(answer: Answer, by: str | None = None, now: dt.datetime | None = None) -> Answer:
    """Fill who/when when missing."""
    return answer.model_copy(update={
        "by": answer.by or by or default_author(),
        "at": answer.at or (now or dt.datetime.now(dt.UTC)).replace(microsecond=0),
    })


def default_author() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers)
        return None


def save_answer(ws, qid: str, answer: Answer) -> None:
    """Save one answer now (atomic rewrite of answers.yaml under the workspace lock)."""
    with ws.lock():
        _write(ws, {qid: answer})


def save_many(ws, answers: dict[str, Answer]) -> None:
    with ws.lock():
        _write(ws, dict(answers))


def remove_answer(ws, qid: str) -> None:
    with ws.lock():
        _write(ws, {qid: None})


def check_answers(content, profile, new: dict[str, Answer], lines: dict[str, int | None], filename: str,
                  existing: dict[str, Answer] | None = None, population: int | None = None) -> dict[str, Answer]:
    """Validate answers from a file against the content; InputError (file, line) on the first problem.

    Unknown question IDs, values a question does not accept, and answers to questions that do not
    apply (profile, skipped, or a condition not met once all answers are known) are refused.
    Returns the answers with normalised values.
    """
    from .engine import applicable

    out: dict[str, Answer] = {}
    for qid, answer in new.items():
        q = content.questions.get(qid)
        if q is None:
            raise InputError(t(f"question inconnue {qid!r}", f"unknown question {qid!r}"),
                             file=filename, line=lines.get(qid), field=qid)
        try:
            value = q.parse_value(answer.value)
        except ValueError as exc:
            raise InputError(t(f"réponse invalide pour {qid} : {exc}", f"invalid answer for {qid}: {exc}"),
                             file=filename, line=lines.get(qid), field=f"{qid}.value") from None
        if isinstance(value, dt.date):
            value = value.isoformat()
        out[qid] = answer.model_copy(update={"value": value})
    merged = {**(existing or {}), **out}
    asked = {q.id for q in applicable(content, profile, merged, population)}
    for qid in out:
        if qid not in asked:
            raise InputError(
                t(f"la question {qid} ne s'applique pas à ce profil ({profile.id}) ou à ces réponses",
                  f"question {qid} does not apply to this profile ({profile.id}) or these answers"),
                file=filename, line=lines.get(qid), field=qid)
    return out


class AnswersFile(BaseModel):
    """Shape of answers.yaml (long form); `cyberaudit schema answers` exports its JSON Schema."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["cyberaudit/answers/v1"] = Field(default=SCHEMA, alias="schema")
    revision: int | None = None  # revision of the question bank the answers were given for
    answers: dict[str, Answer] = Field(default_factory=dict)
    superseded: dict[str, Answer] = Field(default_factory=dict)  # "<id>@<revision>": old answers kept
