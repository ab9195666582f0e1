"""Keep every read and write of a territory member inside that member's folder.

A territory repository is shared with people the operator does not control: a committed symlink
(`membres/A/scans -> /elsewhere`, `-> ../B/scans`) must not make the tool write outside the repository
or over another member. Inside `confined(folder)` (a context variable, so it follows asyncio tasks and
`asyncio.to_thread`), every path that fileio reads or writes is checked: it must lie under the folder
and no component below the folder may be a symbolic link. A violation is an InputError naming the path.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError
from .i18n import t

_ROOT: contextvars.ContextVar[Path | None] = contextvars.ContextVar("cyberaudit_confined_root", default=None)


class OutsideMember(InputError):
    """A path of a member leaves its folder (symbolic link, `..`)."""


@contextlib.contextmanager
def confined(folder: str | os.PathLike) -> Iterator[None]:
    """Every fileio read/write in this context must stay in `folder` (itself checked by the caller)."""
    token = _ROOT.set(Path(os.path.abspath(folder)))
    try:
        yield
    finally:
        _ROOT.reset(token)


def check(path: str | os.PathLike) -> None:
    """Raise OutsideMember if `path` leaves the confined folder; no-op outside `confined()`."""
    root = _ROOT.get()
    if root is None:
        return
    full = Path(os.path.abspath(path))
    try:
        rel = full.relative_to(root)
    except ValueError:
        raise OutsideMember(t("chemin hors du dossier du membre : refusé", "path outside the member folder: refused"),
                            file=str(path)) from None
    current = root
    for part in rel.parts:
        if part == "..":
            raise OutsideMember(t("chemin avec « .. » : refusé", "path with '..': refused"), file=str(path))
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return  # the rest does not exist yet: it will be created inside
        if stat.S_ISLNK(mode):
            raise OutsideMember(
                t(f"lien symbolique dans le dossier du membre ({current.relative_to(root)}) : lecture et écriture "
                  "refusées", f"symbolic link in the member folder ({current.relative_to(root)}): reading and "
                  "writing refused"), file=str(path))
