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
    facts: Any = field(repr=False)  # judging.Facts: what the indicators read in the assessment
    known: bool = False  # judging.known: anything known of the member (else "not assessed")
    score: Any = None  # cyberaudit.scoring.Score, or None when scoring is unavailable
    evaluated: bool = False  # True when assessment.json was missing and evaluated in memory
    evaluated_on: dt.datetime | None = None  # generated_at of the committed assessment.json
    page: str | None = None  # the member's own report (path relative to the territory root)
    cache_key: str | None = None  # content key of its files (cache.py), when its state may be cached
    blob: str | None = None  # git blob ID of its assessment.json (the trend reuses its facts for that blob)
    trend_schema: bool = False  # the file names a schema the trend reads (history.ASSESSMENT_SCHEMAS)


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


def _load_yaml_fast(path: Path, body: bytes | None = None):
    """Safe YAML (1.2, duplicate keys refused) without the comment-keeping overhead; errors via load_yaml.
    `body`: the file's bytes, when already read."""
    from ruamel.yaml.error import YAMLError

    from ..disk.confine import check as check_confined
    from ..disk.fileio import load_yaml
    from . import fastyaml

    check_confined(path)
    try:
        return fastyaml.load(path.read_bytes() if body is None else body)  # libyaml, YAML 1.2 core rules
    except (YAMLError, UnicodeError, ValueError):
        return load_yaml(path)  # raises InputError with file and line


def _organisation(folder: Path, siren: str, known_kinds: list[str], body: bytes | None = None):
    from ..disk.fileio import line_of, load_yaml, validate
    from ..disk.workspace import ORGANISATION
    from ..model import Organisation

    path = folder / ORGANISATION
    if not path.is_file():
        raise _Skip("missing_inventory", str(path))
    _size_ok(path)
    data = _load_yaml_fast(path, body)
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


def _assessment(folder: Path, org, now: dt.datetime | None, body: bytes | None = None):
    """(what the barometer reads of it (lite.slim), Assessment model or what scoring reads of it (fastmember),
    evaluated?) of a member; `body`: the bytes of assessment.json, read."""
    from ..disk.fileio import load_json, validate
    from ..disk.workspace import ASSESSMENT
    from ..model import Assessment
    from .fastmember import fast_assessment
    from .lite import slim

    path = folder / ASSESSMENT
    if path.is_file():
        _size_ok(path)
        fast = fast_assessment(body) if body is not None else None  # the usual shape, checked without the model
        if fast is not None:
            lite, model = fast
        else:  # anything else: the model decides, and names file and line
            data = load_json(path) if body is None else _parse_json(path, body)
            model = validate(Assessment, data, str(path))
            lite = slim(data)
        if model.organisation.siren != org.siren:
            raise _Skip("siren_mismatch", f"{path}: {model.organisation.siren} ≠ {org.siren}", org.name)
        return lite, model, False
    from ..assessment.evaluate import evaluate

    try:
        model = evaluate(folder, now=now)
    except CyberauditError as exc:
        raise _Skip("not_assessed", f"{path}: {bounded(str(exc), 300)}", org.name) from None
    return slim(model.model_dump(mode="json", by_alias=True, exclude_none=True)), model, True


def _parse_json(path: Path, body: bytes) -> Any:
    """assessment.json's data from its bytes: msgspec (the same values as json, or an error), else json;
    a file that is not JSON is reported by load_json (file and line)."""
    import json

    try:
        import msgspec

        return msgspec.json.decode(body)
    except Exception:  # not installed, or a value msgspec refuses (NaN, lone surrogates...): json decides
        pass
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeError, ValueError):
        from ..disk.fileio import load_json

        return load_json(path)  # raises InputError naming the file and line


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
                now: dt.datetime | None = None, cached: dict[str, Any] | None = None) -> MemberState | NotCounted:
    """One member; `cached`: entries of the barometer cache (cache.py), whose key is the content read."""
    from ..disk.confine import confined

    folder = member_dir(root, siren)
    if not folder.is_dir() or folder.is_symlink() or not folder.resolve().is_relative_to(Path(root).resolve()):
        return NotCounted(siren, declared_name, "missing_workspace", str(folder))
    from .member_cache import content_key_of, from_cache

    key = None
    try:
        with confined(folder):  # no file of the member read through a link (another member's, or outside)
            key, bodies = content_key_of(folder, siren, known_kinds)
            if cached is not None and key is not None and (state := from_cache(cached.get(key), siren)):
                state.page, state.cache_key = _page(root, folder), key
                state.blob = _blob_id(bodies[1]) if state.trend_schema else None
                return state
            org = _organisation(folder, siren, known_kinds, bodies[0])
            data, model, evaluated = _assessment(folder, org, now, bodies[1])  # the bytes behind the key
    except _Skip as skip:
        return NotCounted(siren, skip.name or declared_name, skip.reason, bounded(skip.detail, 400))
    except InputError as exc:
        return NotCounted(siren, declared_name, "malformed_file", bounded(str(exc), 400))
    except (OSError, UnicodeError, RecursionError) as exc:
        return NotCounted(siren, declared_name, "malformed_file", bounded(f"{folder}: {exc}", 400))
    state = _state(siren, org, data, model, evaluated, profiles, page=_page(root, folder))
    if not evaluated:  # evaluated in memory: depends on more than these two files
        state.cache_key = key
        state.trend_schema = isinstance(data, dict) and data.get("schema") in ASSESSMENT_SCHEMAS
        state.blob = _blob_id(bodies[1]) if bodies[1] is not None and state.trend_schema else None
    return state


ASSESSMENT_SCHEMAS = ("cyberaudit/assessment/v1", "cyberaudit/assessment/v2")  # those the trend reads


def _blob_id(body: bytes) -> str:
    """The ID git gives a file with these bytes (SHA-1 of "blob <size>\\0" + bytes)."""
    import hashlib

    return hashlib.sha1(b"blob %d\0" % len(body) + body, usedforsecurity=False).hexdigest()


def _state(siren: str, org, lite: dict[str, Any], model, evaluated: bool, profiles: _Profiles,
           page: str | None) -> MemberState:
    from ..assessment.scoring import score
    from .history import reads_of
    from .indicators import load_indicators
    from .judging import Facts, known

    try:
        member_score = score(model, profiles.get(org.kind))
    except Exception:  # scoring trouble on one member must not stop the barometer
        member_score = None
    return MemberState(siren=siren, name=org.name, kind=org.kind, population=org.population,
                       assessed_at=assessed_at(model), facts=Facts.from_assessment(lite, reads_of(load_indicators())),
                       known=known(lite), score=member_score, evaluated=evaluated,
                       evaluated_on=None if evaluated else model.generated_at, page=page)


PARALLEL_FROM = 48  # members: below this, one process reads them faster than a pool starts


def _read_chunk(items: list[tuple[str, str]], root: Path, now: dt.datetime | None,
                cached: dict[str, Any] | None) -> list:
    from ..content.locate import profile_ids

    known, profiles = profile_ids(), _Profiles()
    return [read_member(root, siren, name, known, profiles, now, cached) for siren, name in items]


def read_members(root: str | Path, territory: Territory, *, now: dt.datetime | None = None,
                 evaluate_missing: bool = True, store=None) -> tuple[list[MemberState], list[NotCounted]]:
    """Every declared member (sorted by SIREN) plus undeclared folders, split into counted / not counted.
    `store`: a cache.Store, read and filled with members whose two files are unchanged byte for byte."""
    from .member_cache import cache_entry
    from .pool import map_chunks

    root = Path(root)
    counted: list[MemberState] = []
    skipped: list[NotCounted] = []
    cached = store.section("members") if store is not None and store.enabled else None
    items = [(m.siren, m.name) for m in territory.members]
    states = map_chunks(_read_chunk, items, (root, now, cached), min_items=PARALLEL_FROM)
    if states is None:
        states = _read_chunk(items, root, now, cached)
    for member, state in zip(territory.members, states, strict=True):
        if store is not None and isinstance(state, MemberState) and state.cache_key is not None:
            key = state.cache_key
            store.put("members", key, cached[key] if cached and key in cached else cache_entry(state))
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
