"""One organisation's workspace folder: the only reader/writer of its files.

Layout (all UTF-8, deterministic, meant for a shared git repository):

  organisation.yaml        identity, DPO, IT provider, asset inventory and probe scope (edited by people)
  answers.yaml             interview answers, one entry per question ID (written after every answer)
  register/<id>.yaml       RGPD record of processing, one file per activity
  register/drafts/         interrupted `register add` sessions
  scans/latest.json        the last scan result (schema cyberaudit/scan/v2; v1 still read)
  assessment.json          the last evaluated assessment (schema cyberaudit/assessment/v2; v1 still read)
  history/<date>.json      earlier assessments kept for "evolution since last time"
  reports/                 generated reports (html, pdf, md, json)
  .cyberaudit.lock         lock file (ignored by git)
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError, WorkspaceLocked
from ..i18n import t
from .fileio import load_yaml, validate

ORGANISATION = "organisation.yaml"
ANSWERS = "answers.yaml"
REGISTER_DIR = "register"
SCANS_DIR = "scans"
LATEST_SCAN = "scans/latest.json"
OBSERVATIONS = "scans/observations.jsonl"  # what the probes saw (disk/observations.py)
ASSESSMENT = "assessment.json"
HISTORY_DIR = "history"
REPORTS_DIR = "reports"
LOCK = ".cyberaudit.lock"

GITIGNORE = f"{LOCK}\n.*.tmp\nregister/drafts/\n"


class Workspace:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path(self, rel: str) -> Path:
        return self.root / rel

    @property
    def organisation_path(self) -> Path:
        return self.root / ORGANISATION

    def exists(self) -> bool:
        return self.organisation_path.is_file()

    def require(self) -> None:
        if not self.exists():
            raise InputError(
                t(
                    "pas d'espace de travail ici (organisation.yaml manquant) : lancez `cyberaudit init`",
                    "no workspace here (organisation.yaml missing): run `cyberaudit init`",
                ),
                file=str(self.organisation_path),
            )

    def load_organisation(self):
        """Load and validate organisation.yaml; an unknown `kind` is an error on its line."""
        from ..content.locate import profile_ids
        from ..model import Organisation
        from .fileio import line_of

        self.require()
        data = load_yaml(self.organisation_path)
        org = validate(Organisation, data, str(self.organisation_path))
        known = profile_ids()
        if known and org.kind not in known:
            raise InputError(
                t(f"type d'organisation inconnu {org.kind!r} ; valeurs possibles : {', '.join(known)}",
                  f"unknown organisation kind {org.kind!r}; known kinds: {', '.join(known)}"),
                file=str(self.organisation_path), line=line_of(data, ("kind",)), field="kind",
            )
        return org

    @contextlib.contextmanager
    def lock(self, timeout: float = 120.0) -> Iterator[None]:
        """Exclusive lock so two runs in one workspace cannot interleave their writes.

        Re-entrant within a thread (a read-modify-write holds it around the writes it calls); another
        process waits, with a message after a second, up to `timeout` seconds, then is refused.
        """
        key = (os.getpid(), threading.get_ident(), os.path.realpath(self.root))
        if _HELD.get(key):
            _HELD[key] += 1
            try:
                yield
            finally:
                _HELD[key] -= 1
            return
        self.root.mkdir(parents=True, exist_ok=True)
        try:  # never through a link a colleague committed (it would create or lock a file elsewhere)
            fd = os.open(self.root / LOCK, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError as exc:
            raise InputError(t(f"verrou inutilisable ({exc.strerror}) : un lien symbolique ?",
                               f"unusable lock file ({exc.strerror}): a symbolic link?"),
                             file=str(self.root / LOCK)) from None
        deadline = time.monotonic() + timeout
        said = False
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise WorkspaceLocked(
                            t(f"l'espace de travail {self.root} est utilisé par un autre processus cyberaudit",
                              f"workspace {self.root} is in use by another cyberaudit process")
                        ) from None
                    if not said and time.monotonic() >= deadline - timeout + 1.0:
                        said = True
                        _say_waiting(self.root)
                    time.sleep(0.1)
            _HELD[key] = 1
            try:
                yield
            finally:
                _HELD.pop(key, None)
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


_HELD: dict[tuple[int, int, str], int] = {}  # locks held, by (pid, thread, workspace): re-entrant


def _say_waiting(root: Path) -> None:
    import sys

    print(t(f"En attente : un autre processus cyberaudit écrit dans {root}…",
            f"Waiting: another cyberaudit process is writing in {root}…"), file=sys.stderr, flush=True)


ORGANISATION_HEADER = """\
Organisation auditée par cyberaudit (schéma cyberaudit/organisation/v1).
Fichier modifiable à la main : les commentaires sont conservés.
kind : un profil de profiles/ (petite-commune, commune, grande-commune, epci, petr, departement, syndicat-mixte).
inventory : domaines, domaines de messagerie et hôtes, avec le périmètre de ce qui peut être sondé :
  dns, tls (passif, public) ; ports, mfa (actifs : authorized_by et authorized_on obligatoires)."""


def organisation_yaml(org) -> str:
    """Human-friendly YAML text of an Organisation, with a French header."""
    from .yaml_rt import dumps_yaml

    data = org.model_dump(mode="json", by_alias=True, exclude_none=True)
    body = dumps_yaml(data)
    header = "".join(f"# {line}\n" for line in ORGANISATION_HEADER.splitlines())
    return header + body


def create(root, org, *, force: bool = False) -> Workspace:
    """Create a workspace for `org`. Refuses to overwrite an existing organisation.yaml."""
    from .fileio import atomic_write

    ws = Workspace(root)
    if ws.exists() and not force:
        raise InputError(
            t("un espace de travail existe déjà ici", "a workspace already exists here"),
            file=str(ws.organisation_path),
        )
    ws.root.mkdir(parents=True, exist_ok=True)
    with ws.lock():
        for folder in (REGISTER_DIR, SCANS_DIR, REPORTS_DIR, HISTORY_DIR):
            keep = ws.path(folder) / ".gitkeep"
            if not keep.exists():
                atomic_write(keep, "")
        gi = ws.path(".gitignore")
        if not gi.exists():
            atomic_write(gi, GITIGNORE)
        atomic_write(ws.organisation_path, organisation_yaml(org))
    return ws


def save_organisation(ws: Workspace, org) -> None:
    """Rewrite organisation.yaml from a model, keeping the comments a person added."""
    from .fileio import atomic_write
    from .yaml_rt import dumps_yaml, load_yaml_rt, merge_into

    data = org.model_dump(mode="json", by_alias=True, exclude_none=True)
    with ws.lock():  # read, merge and write as one step
        if ws.exists():
            current = load_yaml_rt(ws.organisation_path)
            if hasattr(current, "lc"):
                atomic_write(ws.organisation_path, dumps_yaml(merge_into(current, data)))
                return
        atomic_write(ws.organisation_path, organisation_yaml(org))
