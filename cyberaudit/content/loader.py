"""Loads the interview content (banks, frameworks, profiles) and checks it.

    content = load_content()            # cached; InputError (file:line) on bad content
    content.questions["gov.dpo.designated"]
    content.profile("commune")          # `extends` resolved (one level)

`lint(...)` returns every problem instead of raising on the first one; it is what
`cyberaudit checklists lint` prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..disk.fileio import line_of, load_yaml, validate
from ..errors import InputError
from ..i18n import t
from ..themes import THEMES
from .model import Bank, Framework, Profile, Question
from .regulation import expand, literal_mentions


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass
class Content:
    banks: dict[str, Bank] = field(default_factory=dict)  # in interview order
    questions: dict[str, Question] = field(default_factory=dict)  # in interview order
    frameworks: dict[str, Framework] = field(default_factory=dict)
    profiles: dict[str, Profile] = field(default_factory=dict)  # extends resolved
    where: dict[str, tuple[str, int | None]] = field(default_factory=dict)  # id -> (file, line)
    bank_of: dict[str, str] = field(default_factory=dict)  # question id -> bank id

    def profile(self, kind: str) -> Profile:
        try:
            return self.profiles[kind]
        except KeyError:
            known = ", ".join(sorted(self.profiles))
            raise InputError(t(f"type d'organisation inconnu {kind!r} ; valeurs possibles : {known}",
                               f"unknown organisation kind {kind!r}; known: {known}"), field="kind") from None

    def questions_of_theme(self, theme: str) -> list[Question]:
        return [q for q in self.questions.values() if q.theme == theme]


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


def _read(path: Path, problems: list[Problem]):
    try:
        return load_yaml(path)
    except InputError as exc:
        problems.append(Problem(str(path), exc.line, exc.bare_message))
        return None


def _read_text(path: Path, problems: list[Problem]):
    """A framework, bank or profile: read, refuse the NIS2 bill written out (regulation.py), expand its tokens."""
    data = _read(path, problems)
    if data is None:
        return None
    for where, _ in literal_mentions(data):
        problems.append(Problem(str(path), line_of(data, where[:-1]) or line_of(data, where),
                                "write the NIS2 basis as [[nis2]] (cyberaudit/content/regulation.py), "
                                "not « projet de loi » / « bill » spelled out, so that one change updates it"))
    return expand(data)


def _validate(model, data, path: Path, problems: list[Problem]):
    try:
        return validate(model, data, str(path))
    except InputError as exc:
        msg = exc.bare_message + (f" [{exc.field}]" if exc.field else "")
        problems.append(Problem(str(path), exc.line, msg))
        return None


def _merge_profile(parent: dict, child: dict) -> dict:
    merged = {k: v for k, v in parent.items() if k != "id"}
    for key, value in child.items():
        if key in ("facts", "theme_weights") and isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def collect(checklists_dir: Path, profiles_dir: Path) -> tuple[Content, list[Problem]]:
    """Load everything it can, and list every problem found (parsing, schema, cross-references)."""
    from .lint import lint_content

    problems: list[Problem] = []
    content = Content()
    # frameworks
    for path in _yaml_files(checklists_dir / "frameworks"):
        data = _read_text(path, problems)
        fw = _validate(Framework, data, path, problems) if data is not None else None
        if fw is None:
            continue
        if fw.key != path.stem:
            problems.append(Problem(str(path), line_of(data, ("key",)), f"key {fw.key!r} must match the file name"))
        seen: set[str] = set()
        for i, item in enumerate(fw.items):
            if item.id in seen:
                problems.append(Problem(str(path), line_of(data, ("items", i, "id")),
                                        f"duplicate item {item.id!r}"))
            seen.add(item.id)
        content.frameworks[fw.key] = fw
    # banks
    loaded: list[tuple[Bank, Path, object]] = []
    for path in _yaml_files(checklists_dir):
        data = _read_text(path, problems)
        if data is None:
            continue
        bank = _validate(Bank, data, path, problems)
        if bank is None:
            continue
        if bank.id != path.stem:
            problems.append(Problem(str(path), line_of(data, ("id",)), f"bank id {bank.id!r} must match the file name"))
        loaded.append((bank, path, data))
    for bank, path, data in sorted(loaded, key=lambda b: (b[0].order, b[0].id)):
        content.banks[bank.id] = bank
        for i, q in enumerate(bank.questions):
            line = line_of(data, ("questions", i, "id"))
            if q.id in content.questions:
                first = content.where[q.id]
                problems.append(Problem(str(path), line,
                                        f"duplicate question ID {q.id!r} (first at {first[0]}:{first[1]})"))
                continue
            content.questions[q.id] = q
            content.where[q.id] = (str(path), line)
            content.bank_of[q.id] = bank.id
    # interview order: by theme (THEMES order), then bank order, then position in the file
    theme_rank = {t: i for i, t in enumerate(THEMES)}
    ordered = sorted(enumerate(content.questions.values()), key=lambda iq: (theme_rank[iq[1].theme], iq[0]))
    content.questions = {q.id: q for _, q in ordered}
    # profiles (one level of `extends`)
    raw: dict[str, tuple[Path, object]] = {}
    for path in _yaml_files(profiles_dir):
        data = _read_text(path, problems)
        if data is not None:
            raw[path.stem] = (path, data)
    for pid, (path, data) in sorted(raw.items()):
        if not isinstance(data, dict):
            problems.append(Problem(str(path), None, "a profile is a mapping"))
            continue
        merged = dict(data)
        parent_id = data.get("extends")
        if parent_id:
            parent = raw.get(parent_id)
            if parent is None:
                problems.append(Problem(str(path), line_of(data, ("extends",)),
                                        f"extends unknown profile {parent_id!r}"))
                continue
            if isinstance(parent[1], dict) and parent[1].get("extends"):
                problems.append(Problem(str(path), line_of(data, ("extends",)),
                                        "extends a profile that itself extends another (one level only)"))
                continue
            merged = _merge_profile(dict(parent[1]), dict(data))
        try:
            profile = validate(Profile, merged, str(path))
        except InputError as exc:
            line = line_of(data, tuple(exc.field.split("."))) if exc.field else None
            problems.append(Problem(str(path), line or exc.line, exc.bare_message
                                    + (f" [{exc.field}]" if exc.field else "")))
            continue
        if profile.id != pid:
            problems.append(Problem(str(path), line_of(data, ("id",)), f"profile id {profile.id!r} must match the file name"))
        content.profiles[profile.id] = profile
        content.where[f"profile:{profile.id}"] = (str(path), line_of(data, ("id",)))
    problems.extend(lint_content(content, raw))
    return content, problems


def default_dirs() -> tuple[Path, Path]:
    from .locate import content_dir

    return content_dir("checklists"), content_dir("profiles")


def load_from(checklists_dir: Path, profiles_dir: Path) -> Content:
    """Load content from given folders (uncached); InputError on the first problem."""
    content, problems = collect(Path(checklists_dir), Path(profiles_dir))
    if problems:
        p = problems[0]
        more = f" (+{len(problems) - 1} more; run `cyberaudit checklists lint`)" if len(problems) > 1 else ""
        raise InputError(p.message + more, file=p.file, line=p.line)
    return content


@cache
def load_content() -> Content:
    """The shipped content, loaded once per process."""
    return load_from(*default_dirs())


def lint(checklists_dir: Path | None = None, profiles_dir: Path | None = None) -> tuple[Content, list[Problem]]:
    c_dir, p_dir = default_dirs() if checklists_dir is None else (Path(checklists_dir), Path(profiles_dir))
    return collect(c_dir, p_dir)
