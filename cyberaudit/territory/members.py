"""Reading every member of a territory, robustly: a broken member is "not counted", with its reason.

    members, not_counted = read_members(root, territory)

Each member's `organisation.yaml` and committed `assessment.json` are read (no
re-evaluation; evaluation in memory only when assessment.json is missing). A malformed
file, a missing inventory, an unknown profile or a SIREN that does not match its
folder puts the member in the "not counted" list and never stops the others.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CyberauditError, InputError
from ..i18n import t
from ..sanitize import bounded
from .manifest import MEMBERS_DIR, Territory, member_dir

MAX_FILE = 20 * 1024 * 1024  # bytes; a bigger member file is refused, not read

REASONS = {
    "missing_workspace": ("dossier du membre absent", "member folder missing"),
    "missing_inventory": ("inventaire absent (organisation.yaml manquant)", "inventory missing (no organisation.yaml)"),
    "malformed_file": ("fichier illisible ou invalide", "unreadable or invalid file"),
    "unknown_profile": ("type d'organisation (profil) inconnu", "unknown organisation kind (profile)"),
    "siren_mismatch": ("SIREN différent de celui du dossier", "SIREN differs from the folder's"),
    "not_assessed": ("jamais évalué (assessment.json manquant)", "never assessed (no assessment.json)"),
    "not_declared": ("dossier absent de territoire.yaml", "folder not declared in territoire.yaml"),
}


@dataclass
class NotCounted:
    siren: str
    name: str | None
    reason: str  # a key of REASONS
    detail: str

    def as_dict(self) -> dict[str, Any]:
        fr, en = REASONS[self.reason]
        return {"siren": self.siren, "name": None if self.name is None else bounded(self.name, 200), "reason": self.reason, "label": {"fr": fr, "en": en},
                "detail": self.detail}


@dataclass
class MemberState:
    siren: str
    name: str
    kind: str
    population: int | None
    assessed_at: dt.datetime | None  # the interview's last answer (else the evaluation); None: never interviewed
    data: dict[str, Any] = field(repr=False)  # the assessment, as plain JSON data
    score: Any = None  # cyberaudit.scoring.Score, or None when scoring is unavailable
    evaluated: bool = False  # True when assessment.json was missing and evaluated in memory
    evaluated_on: dt.datetime | None = None  # generated_at of the committed assessment.json
    page: str | None = None  # the member's own report (path relative to the territory root)


def _size_ok(path: Path) -> None:
    if path.stat().st_size > MAX_FILE:
        raise InputError(t("fichier trop volumineux", "file too large"), file=str(path))


class _Profiles:
    """Profiles by kind, read once from profiles/ (only the profiles: the question banks are not needed).

    A duck-typed empty profile stands in when a profile cannot be read, so scoring still runs.
    """

    class Empty:
        theme_weights: dict[str, float] = {}
        essential: list[str] = []

    def __init__(self) -> None:
        self.raw: dict[str, Any] = {}
        self.cache: dict[str, Any] = {}
        try:
            from ..content.locate import content_dir
            from ..disk.fileio import load_yaml

            for path in sorted(content_dir("profiles").glob("*.yaml")):
                self.raw[path.stem] = (path, load_yaml(path))
        except (CyberauditError, OSError):
            self.raw = {}

    def _build(self, kind: str):
        from ..content.model import Profile
        from ..disk.fileio import validate

        path, data = self.raw[kind]
        merged = dict(data)
        parent = self.raw.get(str(data.get("extends") or ""))
        if parent is not None:  # one level of `extends`, as in cyberaudit.checklist
            merged = {k: v for k, v in dict(parent[1]).items() if k != "id"}
            for key, value in dict(data).items():
                if key in ("facts", "theme_weights") and isinstance(value, dict) and isinstance(merged.get(key), dict):
                    merged[key] = {**merged[key], **value}
                else:
                    merged[key] = value
        return validate(Profile, merged, str(path))

    def get(self, kind: str):
        if kind not in self.cache:
            try:
                self.cache[kind] = self._build(kind)
            except (CyberauditError, KeyError, AttributeError, TypeError, ImportError):
                self.cache[kind] = self.Empty()
        return self.cache[kind]


def _load_yaml_fast(path: Path):
    """Safe YAML (1.2, duplicate keys refused) without the comment-keeping overhead; errors via load_yaml."""
    from ruamel.yaml.error import YAMLError

    from ..disk.confine import check as check_confined
    from ..disk.fileio import load_yaml
    from . import fastyaml

    check_confined(path)
    try:
        return fastyaml.load(path.read_bytes())  # libyaml, YAML 1.2 core rules
    except (YAMLError, UnicodeError, ValueError):
        return load_yaml(path)  # raises InputError with file and line


def _organisation(folder: Path, siren: str, known_kinds: list[str]):
    from ..disk.fileio import line_of, load_yaml, validate
    from ..disk.workspace import ORGANISATION
    from ..model import Organisation

    path = folder / ORGANISATION
    if not path.is_file():
        raise _Skip("missing_inventory", str(path))
    _size_ok(path)
    data = _load_yaml_fast(path)
    try:
        org = validate(Organisation, data, str(path))
    except InputError:
        data = load_yaml(path)  # again with line numbers, for the message
        org = validate(Organisation, data, str(path))
    if known_kinds and org.kind not in known_kinds:
        data = load_yaml(path)
        line = line_of(data, ("kind",))
        raise _Skip("unknown_profile", f"{path}:{line}: kind {bounded(org.kind, 60)!r}" if line else str(path), org.name)
    if org.siren != siren:
        raise _Skip("siren_mismatch", f"{path}: {org.siren} ≠ {siren}", org.name)
    return org


class _Skip(Exception):
    def __init__(self, reason: str, detail: str, name: str | None = None):
        super().__init__(detail)
        self.reason, self.detail, self.name = reason, detail, name


def _assessment(folder: Path, org, now: dt.datetime | None):
    """(plain data, Assessment model, evaluated?) of a member."""
    from ..disk.fileio import load_json, validate
    from ..disk.workspace import ASSESSMENT
    from ..model import Assessment

    path = folder / ASSESSMENT
    if path.is_file():
        _size_ok(path)
        data = load_json(path)
        model = validate(Assessment, data, str(path))
        if model.organisation.siren != org.siren:
            raise _Skip("siren_mismatch", f"{path}: {model.organisation.siren} ≠ {org.siren}", org.name)
        return data, model, False
    try:
        from ..assessment.evaluate import evaluate
    except ImportError:
        raise _Skip("not_assessed", str(path), org.name) from None
    try:
        model = evaluate(folder, now=now)
    except CyberauditError as exc:
        raise _Skip("not_assessed", f"{path}: {bounded(str(exc), 300)}", org.name) from None
    return model.model_dump(mode="json", by_alias=True, exclude_none=True), model, True


def _page(root: Path, folder: Path) -> str | None:
    reports = folder / "reports"
    if not reports.is_dir():
        return None
    pages = sorted(p for p in reports.glob("*.html") if p.is_file() and not p.is_symlink())
    return pages[-1].relative_to(root).as_posix() if pages else None  # rapport-<date>.html: the newest


def assessed_at(model) -> dt.datetime | None:
    """When the member was last assessed: its newest dated interview answer, else the evaluation date
    when it has answers; None when it was never interviewed (automatic scans alone are no assessment)."""
    if not model.answers:
        return None
    dates = [a.at if a.at.tzinfo else a.at.replace(tzinfo=dt.UTC) for a in model.answers.values() if a.at]
    return max(dates) if dates else model.generated_at


def read_member(root: Path, siren: str, declared_name: str, known_kinds: list[str], profiles: _Profiles,
                now: dt.datetime | None = None) -> MemberState | NotCounted:
    from ..assessment.scoring import score
    from ..disk.confine import confined

    folder = member_dir(root, siren)
    if not folder.is_dir() or folder.is_symlink() or not folder.resolve().is_relative_to(Path(root).resolve()):
        return NotCounted(siren, declared_name, "missing_workspace", str(folder))
    try:
        with confined(folder):  # no file of the member read through a link (another member's, or outside)
            org = _organisation(folder, siren, known_kinds)
            data, model, evaluated = _assessment(folder, org, now)
    except _Skip as skip:
        return NotCounted(siren, skip.name or declared_name, skip.reason, bounded(skip.detail, 400))
    except InputError as exc:
        return NotCounted(siren, declared_name, "malformed_file", bounded(str(exc), 400))
    except (OSError, UnicodeError, RecursionError) as exc:
        return NotCounted(siren, declared_name, "malformed_file", bounded(f"{folder}: {exc}", 400))
    try:
        member_score = score(model, profiles.get(org.kind))
    except Exception:  # scoring trouble on one member must not stop the barometer
        member_score = None
    return MemberState(siren=siren, name=org.name, kind=org.kind, population=org.population,
                       assessed_at=assessed_at(model), data=data, score=member_score, evaluated=evaluated,
                       evaluated_on=None if evaluated else model.generated_at,
                       page=_page(root, folder))


PARALLEL_FROM = 48  # members: below this, one process reads them faster than a pool starts


def _slim(state: MemberState | NotCounted) -> MemberState | NotCounted:
    """What the barometer reads of a member's assessment (a 200 KB file -> a few KB to pass between processes)."""
    from .lite import slim

    if isinstance(state, MemberState):
        state.data = slim(state.data)
    return state


def _read_chunk(root: Path, items: list[tuple[str, str]], now: dt.datetime | None) -> list:
    from ..content.locate import profile_ids

    known, profiles = profile_ids(), _Profiles()
    return [_slim(read_member(root, siren, name, known, profiles, now)) for siren, name in items]


def _read_parallel(root: Path, territory: Territory, now: dt.datetime | None) -> list | None:
    """Members read by one process per core (a large territory); None: read them here, one by one."""
    import multiprocessing
    import os
    import threading
    from concurrent.futures import ProcessPoolExecutor

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    items = [(m.siren, m.name) for m in territory.members]
    if cores < 2 or len(items) < PARALLEL_FROM:
        return None
    workers = min(cores, 8)
    method = "fork" if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods() \
        else "spawn"
    chunks = [items[i::workers] for i in range(workers)]
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
            parts = list(pool.map(_read_chunk, [root] * workers, chunks, [now] * workers))
    except Exception:  # no pool here (sandbox, no /dev/shm...): read them one by one
        return None
    by_siren = {siren: state for chunk, part in zip(chunks, parts, strict=True)
                for (siren, _), state in zip(chunk, part, strict=True)}
    return [by_siren[siren] for siren, _ in items]


def read_members(root: str | Path, territory: Territory, *, now: dt.datetime | None = None,
                 evaluate_missing: bool = True) -> tuple[list[MemberState], list[NotCounted]]:
    """Every declared member (sorted by SIREN) plus undeclared folders, split into counted / not counted."""
    from ..content.locate import profile_ids

    root = Path(root)
    known = profile_ids()
    profiles = _Profiles()
    counted: list[MemberState] = []
    skipped: list[NotCounted] = []
    states = _read_parallel(root, territory, now)
    if states is None:
        states = [read_member(root, m.siren, m.name, known, profiles, now) for m in territory.members]
    for member, state in zip(territory.members, states, strict=True):
        if isinstance(state, MemberState) and state.evaluated and not evaluate_missing:
            state = NotCounted(member.siren, state.name, "not_assessed", str(member_dir(root, member.siren)))
        (counted if isinstance(state, MemberState) else skipped).append(state)
    declared = set(territory.sirens())
    base = root / MEMBERS_DIR
    if base.is_dir():
        for entry in sorted(base.iterdir()):
            if entry.is_dir() and entry.name not in declared and not entry.name.startswith("."):
                label = entry.name if re.fullmatch(r"[\w.-]{1,64}", entry.name) else bounded(repr(entry.name), 80)
                skipped.append(NotCounted(label, None, "not_declared", f"{MEMBERS_DIR}/{label}"))
    return counted, sorted(skipped, key=lambda n: (n.siren, n.reason))
