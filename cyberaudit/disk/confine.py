"""Keep every read and write of a territory member inside that member's folder.

A territory repository is shared with people the operator does not control: a committed symlink
(`membres/A/scans -> /elsewhere`, `-> ../B/scans`) must not make the tool write outside the repository
or over another member. Inside `confined(folder)` (a context variable, so it follows asyncio tasks and
`asyncio.to_thread`), every path that fileio reads or writes is checked: it must lie under the folder
and no component below the folder may be a symbolic link (`..` is resolved lexically first). A violation is an InputError naming the path.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..i18n import t

_ROOT: contextvars.ContextVar[tuple[Path, Path] | None] = contextvars.ContextVar("cyberaudit_confined",
                                                                                 default=None)


class OutsideMember(InputError):
    """A path of a member leaves its folder (symbolic link, `..`)."""


@contextlib.contextmanager
def confined(folder: str | os.PathLike, repo: str | os.PathLike | None = None) -> Iterator[None]:
    """Every fileio read/write of the repository in this context must stay in `folder` (itself checked by
    the caller). `repo`: the territory repository (default: the folder's grandparent, membres/<siren>);
    files outside it (the tool's own questionnaires) are not the member's and are not concerned."""
    folder = Path(os.path.abspath(folder))
    token = _ROOT.set((folder, Path(os.path.abspath(repo)) if repo is not None else folder.parent.parent))
    try:
        yield
    finally:
        _ROOT.reset(token)


def check(path: str | os.PathLike) -> None:
    """Raise OutsideMember if `path` leaves the confined folder; no-op outside `confined()`."""
    held = _ROOT.get()
    if held is None:
        return
    root, repo = held
    full = Path(os.path.abspath(path))
    try:
        rel = full.relative_to(root)
    except ValueError:
        if not full.is_relative_to(repo):
            return  # not a file of the repository (the tool's content, a temp folder)
        raise OutsideMember(t("chemin hors du dossier du membre : refusé", "path outside the member folder: refused"),
                            file=str(path)) from None
    current = root
    for part in rel.parts:
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
