"""Reading and writing the register: `register/<id>.yaml`, one activity per file; drafts in `register/drafts/`.

Every write goes through `fileio.atomic_write` under `Workspace.lock()`. A file a person edited keeps
its comments when the tool rewrites it. A bad file is an InputError naming file, line and field.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ..disk.confine import check as check_confined
from ..disk.fileio import atomic_write, line_of, load_yaml, to_plain, validate
from ..disk.workspace import REGISTER_DIR, Workspace
from ..disk.yaml_rt import dumps_yaml, load_yaml_rt, merge_into
from ..errors import InputError
from ..i18n import t
from .model import ACTIVITY_ID, Activity, dump

DRAFTS = "drafts"
HEADER = ("# Activité de traitement (RGPD art. 30), tenue par `cyberaudit register`.\n"
          "# Modifiable à la main ; `cyberaudit register check` la vérifie.\n")
_DRAFT_ID = re.compile(r"^[a-z0-9-]{1,40}$")


def register_dir(ws: Workspace) -> Path:
    return ws.path(REGISTER_DIR)


def drafts_dir(ws: Workspace) -> Path:
    return register_dir(ws) / DRAFTS


def activity_path(ws: Workspace, activity_id: str) -> Path:
    if not ACTIVITY_ID.match(activity_id):
        raise InputError(t(f"identifiant d'activité {activity_id!r} invalide (forme T-001)",
                           f"invalid activity ID {activity_id!r} (form T-001)"), field="id")
    return register_dir(ws) / f"{activity_id}.yaml"


def _files(ws: Workspace) -> list[Path]:
    folder = register_dir(ws)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("."))


def load_file(path: Path) -> Activity:
    """One activity file, read by the one YAML 1.2 reader (fast, and an error names its line)."""
    check_confined(path)
    data = load_yaml(path)
    activity = validate(Activity, data, str(path))
    if path.stem != activity.id:
        raise InputError(t(f"l'identifiant {activity.id!r} ne correspond pas au nom du fichier ({path.stem})",
                           f"ID {activity.id!r} does not match the file name ({path.stem})"),
                         file=str(path), line=line_of(data, ("id",)), field="id")
    return activity


def load_all(ws: Workspace) -> list[Activity]:
    """Every activity of the register, sorted by ID (empty list when there is no register)."""
    return sorted((load_file(p) for p in _files(ws)), key=lambda a: a.id)


def load(ws: Workspace, activity_id: str) -> Activity:
    path = activity_path(ws, activity_id)
    if not path.is_file():
        raise InputError(t(f"aucune activité {activity_id} au registre", f"no activity {activity_id} in the register"),
                         file=str(path))
    return load_file(path)


def exists(ws: Workspace, activity_id: str) -> bool:
    return activity_path(ws, activity_id).is_file()


def ids(ws: Workspace) -> set[str]:
    """IDs of the activities on disk (file names; nothing is parsed)."""
    return {p.stem for p in _files(ws)}


def next_id(ws: Workspace, taken: set[str] | None = None) -> str:
    used = ids(ws) | set(taken or ())
    n = 1 + max((int(i[2:]) for i in used if ACTIVITY_ID.match(i)), default=0)
    return f"T-{n:03d}"


def text_of(activity: Activity, path: Path | None = None) -> str:
    """YAML text of an activity; keeps the comments of an existing file."""
    return yaml_text(dump(activity), path, HEADER)


def yaml_text(data: dict[str, Any], path: Path | None, header: str) -> str:
    """YAML text of `data`: merged into the file at `path` when it exists (its comments kept), else with `header`."""
    if path is not None and path.is_file():
        try:
            current = load_yaml_rt(path)
        except InputError:
            current = None
        if hasattr(current, "lc"):
            return dumps_yaml(merge_into(current, data))
    return header + dumps_yaml(data)


def stamp(activity: Activity, *, today: dt.date | None = None, by: str | None = None) -> Activity:
    today = today or dt.date.today()
    changes: dict[str, Any] = {"updated": today}
    if activity.created is None:
        changes["created"] = today
    if by:
        changes["updated_by"] = by
    return activity.model_copy(update=changes)


def _write(ws: Workspace, activity: Activity) -> None:
    path = activity_path(ws, activity.id)
    atomic_write(path, text_of(activity, path))


def save(ws: Workspace, activity: Activity, *, by: str | None = None, today: dt.date | None = None,
         touch: bool = True, new: bool = False) -> Activity:
    """Write one activity (dates stamped unless touch=False). Returns what was written.

    `new=True`: a new record; if its ID was taken meanwhile (another writer), it gets the next free ID,
    decided under the lock, so nothing is ever overwritten.
    """
    activity = Activity.model_validate(dump(activity))  # revalidate: model_copy skips validators
    if touch:
        activity = stamp(activity, today=today, by=by)
    with ws.lock():
        if new and exists(ws, activity.id):
            activity = activity.model_copy(update={"id": next_id(ws)})
        _write(ws, activity)
    return activity


def save_many(ws: Workspace, activities: list[Activity]) -> None:
    """Write several activities under one lock (all are validated before the first write)."""
    checked = [Activity.model_validate(dump(a)) for a in activities]
    with ws.lock():
        for a in checked:
            _write(ws, a)


def remove(ws: Workspace, activity_id: str) -> None:
    path = activity_path(ws, activity_id)
    with ws.lock():
        if not path.is_file():
            raise InputError(t(f"aucune activité {activity_id} au registre",
                               f"no activity {activity_id} in the register"), file=str(path))
        path.unlink()


def last_update(activities: list[Activity]) -> dt.date | None:
    dates = [a.updated or a.created for a in activities if (a.updated or a.created)]
    return max(dates) if dates else None


# --------------------------------------------------------------------------- drafts


def draft_path(ws: Workspace, draft_id: str) -> Path:
    if not _DRAFT_ID.match(draft_id):
        raise InputError(t(f"brouillon {draft_id!r} invalide", f"invalid draft {draft_id!r}"))
    return drafts_dir(ws) / f"{draft_id}.yaml"


def save_draft(ws: Workspace, draft_id: str, state: dict[str, Any]) -> None:
    """A draft holds the answers given so far: {"data": {...}, "step": n, "target": id, "template": t}."""
    with ws.lock():
        atomic_write(draft_path(ws, draft_id), dumps_yaml(state))


def load_draft(ws: Workspace, draft_id: str) -> dict[str, Any]:
    from ..disk.fileio import loads_yaml

    path = draft_path(ws, draft_id)
    check_confined(path)
    data = loads_yaml(path.read_text("utf-8"), str(path)) if path.is_file() else None
    if not isinstance(data, dict):
        raise InputError(t("brouillon illisible", "unreadable draft"), file=str(path))
    return to_plain(data)


def list_drafts(ws: Workspace) -> list[str]:
    folder = drafts_dir(ws)
    if not folder.is_dir():
        return []
    files = [p for p in folder.glob("*.yaml") if not p.name.startswith(".")]
    return [p.stem for p in sorted(files, key=lambda p: (p.stat().st_mtime, p.name))]


def delete_draft(ws: Workspace, draft_id: str) -> None:
    path = draft_path(ws, draft_id)
    with ws.lock():
        path.unlink(missing_ok=True)


