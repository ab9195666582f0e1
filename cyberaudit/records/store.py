"""Reading and writing the two logs: `breaches/V-2026-001.yaml` and `requests/D-2026-001.yaml`, one item per file.

Like the register: every write is atomic (fileio.atomic_write) under `Workspace.lock()`, a file a person
edited keeps its comments, and a bad file is an InputError naming file, line and field. Interrupted
`incident add` sessions live in `breaches/drafts/` (ignored by git through `breaches/.gitignore`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..disk.fileio import atomic_write, line_of, load_yaml, to_plain, validate
from ..disk.workspace import Workspace
from ..disk.yaml_rt import dumps_yaml
from ..errors import InputError
from ..i18n import t
from ..register.store import yaml_text
from .model import BREACH_ID, REQUEST_ID, Breach, Request, dump
from .timeutil import now_utc, org_zone


@dataclass(frozen=True)
class Kind:
    name: str  # schema kind
    folder: str
    prefix: str
    pattern: re.Pattern
    model: type[BaseModel]
    header: str
    word: tuple[str, str]


BREACHES = Kind("breach", "breaches", "V", BREACH_ID, Breach,
                "# Violation de données personnelles (RGPD art. 33(5)), tenue par `cyberaudit incident`.\n"
                "# Modifiable à la main ; les heures portent leur décalage (+01:00 en hiver, +02:00 en été).\n",
                ("violation", "breach"))
REQUESTS = Kind("request", "requests", "D", REQUEST_ID, Request,
                "# Demande d'exercice des droits (RGPD art. 12 et 15 à 22), tenue par `cyberaudit request`.\n"
                "# Aucune copie de pièce d'identité ici : seulement la référence du classement.\n",
                ("demande", "request"))
DRAFTS = "drafts"
_DRAFT = re.compile(r"^[a-z0-9-]{1,40}$")


def context(org, now: dt.datetime | None = None) -> dict[str, Any]:
    """Validation context: the present moment and the organisation's zone (no date in the future)."""
    return {"now": now or now_utc(), "tz": org_zone(org)}


def folder(ws: Workspace, kind: Kind) -> Path:
    return ws.path(kind.folder)


def item_path(ws: Workspace, kind: Kind, item_id: str) -> Path:
    if not kind.pattern.match(item_id or ""):
        raise InputError(t(f"identifiant {item_id!r} invalide (forme {kind.prefix}-2026-001)",
                           f"invalid ID {item_id!r} (form {kind.prefix}-2026-001)"), field="id")
    return folder(ws, kind) / f"{item_id}.yaml"


def _files(ws: Workspace, kind: Kind) -> list[Path]:
    base = folder(ws, kind)
    return sorted(p for p in base.glob("*.yaml") if kind.pattern.match(p.stem)) if base.is_dir() else []


def load_file(kind: Kind, path: Path, ctx: dict[str, Any] | None = None):
    data = load_yaml(path)
    item = validate(kind.model, data, str(path), context=ctx)
    if item.id != path.stem:
        raise InputError(t(f"l'identifiant {item.id!r} ne correspond pas au nom du fichier ({path.stem})",
                           f"ID {item.id!r} does not match the file name ({path.stem})"),
                         file=str(path), line=line_of(data, ("id",)), field="id")
    return item


def load_all(ws: Workspace, kind: Kind, ctx: dict[str, Any] | None = None) -> list:
    return [load_file(kind, p, ctx) for p in _files(ws, kind)]


def load(ws: Workspace, kind: Kind, item_id: str, ctx: dict[str, Any] | None = None):
    path = item_path(ws, kind, item_id)
    if not path.is_file():
        raise InputError(t(f"aucune {kind.word[0]} {item_id}", f"no {kind.word[1]} {item_id}"), file=str(path))
    return load_file(kind, path, ctx)


def exists(ws: Workspace, kind: Kind, item_id: str) -> bool:
    return item_path(ws, kind, item_id).is_file()


def next_id(ws: Workspace, kind: Kind, year: int, taken: set[str] | None = None) -> str:
    stem = f"{kind.prefix}-{year}-"
    used = {p.stem for p in _files(ws, kind)} | set(taken or ())
    n = 1 + max((int(i[len(stem):]) for i in used if i.startswith(stem) and kind.pattern.match(i)), default=0)
    if n > 999:
        raise InputError(t(f"plus de 999 éléments en {year}", f"more than 999 items in {year}"))
    return f"{stem}{n:03d}"


def save(ws: Workspace, kind: Kind, item: BaseModel, ctx: dict[str, Any], *, today: dt.date | None = None):
    """Validate again (model_copy skips validators), stamp the dates, write atomically. Returns what was written."""
    today = today or ctx["now"].astimezone(ctx["tz"]).date()
    data = {**dump(item), "updated": today.isoformat()}
    data.setdefault("created", today.isoformat())
    item = kind.model.model_validate(data, context=ctx)
    path = item_path(ws, kind, item.id)
    with ws.lock():
        atomic_write(path, yaml_text(dump(item), path, kind.header))
    return item


# --------------------------------------------------------------------------- drafts (incident add / edit)


def draft_path(ws: Workspace, kind: Kind, draft_id: str) -> Path:
    if not _DRAFT.match(draft_id):
        raise InputError(t(f"brouillon {draft_id!r} invalide", f"invalid draft {draft_id!r}"))
    return folder(ws, kind) / DRAFTS / f"{draft_id}.yaml"


def save_draft(ws: Workspace, kind: Kind, draft_id: str, state: dict[str, Any]) -> None:
    ignore = folder(ws, kind) / ".gitignore"
    with ws.lock():
        if not ignore.exists():
            atomic_write(ignore, f"{DRAFTS}/\n")
        atomic_write(draft_path(ws, kind, draft_id), dumps_yaml(state))


def load_draft(ws: Workspace, kind: Kind, draft_id: str) -> dict[str, Any]:
    from ..disk.fileio import loads_yaml

    path = draft_path(ws, kind, draft_id)
    data = loads_yaml(path.read_text("utf-8"), str(path)) if path.is_file() else None
    if not isinstance(data, dict) or not isinstance(data.get("data", {}), dict):
        raise InputError(t("brouillon illisible", "unreadable draft"), file=str(path))
    return to_plain(data)


def list_drafts(ws: Workspace, kind: Kind) -> list[str]:
    base = folder(ws, kind) / DRAFTS
    files = [p for p in base.glob("*.yaml") if _DRAFT.match(p.stem)] if base.is_dir() else []
    return [p.stem for p in sorted(files, key=lambda p: (p.stat().st_mtime, p.name))]


def delete_draft(ws: Workspace, kind: Kind, draft_id: str) -> None:
    with ws.lock():
        draft_path(ws, kind, draft_id).unlink(missing_ok=True)
