"""The territory as it stood at a past date, for `cyberaudit aggregate --as-of DATE`.

    with snapshot_at(root, as_of) as source:   # root itself, or a temporary copy of a past commit
        read_members(source, ...)

When the repository holds commits after `as_of`, the barometer of that date is computed from the
last commit on or before it (its territoire.yaml, its members' files), extracted with `git archive`
into a temporary folder: an `--as-of` barometer really recomputes, it does not relabel today's.
Otherwise (no git, or nothing committed after that date) the working tree is that state.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..i18n import t
from .gitio import first_parent_log, is_repository, run_git
from .manifest import MANIFEST, MEMBERS_DIR


def commit_at(root: Path, as_of: dt.date) -> tuple[str | None, bool]:
    """(last commit on or before `as_of`, whether later commits exist) on HEAD's first-parent history."""
    later, chosen = False, None
    for sha, date in first_parent_log(root):  # newest first
        if dt.date.fromisoformat(date[:10]) > as_of:
            later = True
        else:
            chosen = sha
            break
    return chosen, later


def _extract(root: Path, sha: str, dest: Path) -> None:
    body = run_git(root, "archive", "--format=tar", sha, "--", MANIFEST, MEMBERS_DIR)
    with tarfile.open(fileobj=io.BytesIO(body)) as tar:
        for member in tar.getmembers():
            if member.isfile() and not member.name.startswith("/") and ".." not in Path(member.name).parts:
                target = dest / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(tar.extractfile(member).read())
            elif member.isdir():
                (dest / member.name).mkdir(parents=True, exist_ok=True)


@contextlib.contextmanager
def snapshot_at(root: Path, as_of: dt.date | None) -> Iterator[Path]:
    if as_of is None or not is_repository(root):
        yield root
        return
    try:
        sha, later = commit_at(root, as_of)
    except InputError:  # no commit yet
        yield root
        return
    if not later:
        yield root
        return
    if sha is None:
        raise InputError(t(f"le dépôt n'a aucun commit au {as_of.isoformat()} ou avant : rien à mesurer à cette date",
                           f"the repository has no commit on or before {as_of.isoformat()}: nothing to measure then"),
                         field="--as-of")
    with tempfile.TemporaryDirectory(prefix="cyberaudit-as-of-") as tmp:
        _extract(root, sha, Path(tmp))
        yield Path(tmp)
