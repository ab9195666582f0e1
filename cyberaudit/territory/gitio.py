"""The few git reads the territory workflow needs, as subprocess argument lists (never a shell).

Revisions given by a user are checked first (`check_revision`), so a value such as
`--output=/tmp/x` can never become a git option.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..i18n import t

REVISION = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.~^@{}/+-]{0,199}$")
TIMEOUT = 120


def git_binary() -> str | None:
    return shutil.which("git")


def check_revision(rev: str) -> str:
    if not REVISION.match(rev or "") or ".." in rev or "@{" in rev and not re.search(r"@\{\d+\}", rev):
        raise InputError(t(f"révision git invalide : {rev!r}", f"invalid git revision: {rev!r}"), field="revision")
    return rev


def run_git(cwd: Path, *args: str, input_bytes: bytes | None = None) -> bytes:
    """Run git in `cwd`; InputError (with git's message) when it fails."""
    git = git_binary()
    if git is None:
        raise InputError(t("git n'est pas installé", "git is not installed"))
    try:
        proc = subprocess.run([git, "-c", "core.quotepath=off", *args], cwd=str(cwd), input=input_bytes,
                              capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(t(f"git n'a pas pu s'exécuter : {exc}", f"git could not run: {exc}")) from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(t("git : ", "git: ") + (message[-1] if message else f"exit {proc.returncode}")[:300])
    return proc.stdout


def is_repository(cwd: Path) -> bool:
    if git_binary() is None or not Path(cwd).is_dir():
        return False
    try:
        return run_git(cwd, "rev-parse", "--is-inside-work-tree").strip() == b"true"
    except InputError:
        return False


def show_file(cwd: Path, rev: str, relpath: str) -> bytes:
    """Content of `relpath` (relative to `cwd`) at revision `rev`."""
    check_revision(rev)
    return run_git(cwd, "cat-file", "blob", f"{rev}:./{relpath}")


def first_parent_log(cwd: Path, limit: int = 5000) -> list[tuple[str, str]]:
    """(commit, committer date ISO 8601) of HEAD's first-parent history, newest first."""
    out = run_git(cwd, "log", "--first-parent", f"--max-count={limit}", "--format=%H %cI", "HEAD", "--")
    rows = []
    for line in out.decode("ascii", "replace").splitlines():
        sha, _, date = line.partition(" ")
        if sha and date:
            rows.append((sha, date))
    return rows


def tree_blobs(cwd: Path, commit: str, *folders: str) -> list[tuple[str, str]]:
    """(path, blob sha) of every file under `folders` at `commit` (paths relative to the repository root)."""
    out = run_git(cwd, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *folders)
    return [(path.decode("utf-8", "replace"), sha.decode("ascii")) for sha, path in _BLOB_ENTRY.findall(out)]


_BLOB_ENTRY = re.compile(rb"(?:^|(?<=\0))[0-7]+ blob ([0-9a-f]+)\t([^\0]*)(?:\0|$)")  # "<mode> blob <sha>\t<path>\0"


def read_blobs(cwd: Path, shas: list[str], max_size: int) -> Iterator[tuple[str, bytes | None]]:
    """(sha, content) for each blob, streamed from one `git cat-file --batch`; None when missing or too big."""
    git = git_binary()
    if not shas or git is None:
        return
    proc = subprocess.Popen([git, "cat-file", "--batch"], cwd=str(cwd), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def feed() -> None:
        try:
            for sha in shas:
                proc.stdin.write(sha.encode("ascii") + b"\n")
            proc.stdin.close()
        except OSError:
            pass

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        for sha in shas:
            header = proc.stdout.readline().split()
            if len(header) != 3:  # "<sha> missing" (or git stopped)
                yield sha, None
                continue
            size = int(header[2])
            if size > max_size:
                remaining = size + 1
                while remaining:
                    remaining -= len(proc.stdout.read(min(remaining, 1 << 20)) or b"x" * remaining)
                yield sha, None
                continue
            body = proc.stdout.read(size)
            proc.stdout.read(1)
            yield sha, body
    finally:
        with contextlib.suppress(OSError):
            proc.stdout.close()
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait(timeout=10)
        feeder.join(timeout=10)
