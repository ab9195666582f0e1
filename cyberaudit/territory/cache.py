"""What the barometer computed from each member file, kept for the next run and keyed on content.

    store = Store.open(root)           # the territory's cache file, or an empty store
    store.get("members", key)          # MISSING unless this exact content was computed by this exact code
    store.put("members", key, value); store.save()

A key is a SHA-256 of the bytes read (a member's organisation.yaml and assessment.json) or a git
blob ID (the SHA-1 of a blob's content): never a file date or size. The file also records a
fingerprint of the code and data that compute the values (every file of the cyberaudit package and
of its content folders, Python's and the parsing libraries' versions); any difference and the
whole cache is ignored, so a cached value is always the one a cold run would compute. The file
lives in the user's cache folder (`CYBERAUDIT_CACHE_DIR`, else `$XDG_CACHE_HOME/cyberaudit`, else
`~/.cache/cyberaudit`), never in the territory repository: a value planted in a repository cannot
reach a barometer. It is plain JSON (no code), checked on read; anything odd is a miss. Only the
entries used by the last run are kept, so its size follows the territory's.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

FORMAT = "cyberaudit/barometer-cache/v1"
ENV = "CYBERAUDIT_CACHE_DIR"
MISSING = object()
SECTIONS = ("members", "blobs")


def cache_folder() -> Path:
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cyberaudit"


@functools.cache
def fingerprint() -> str:
    """SHA-256 of everything that computes a cached value: the package's files, content, library versions."""
    from importlib import metadata

    from ..content.locate import content_dir

    package = Path(__file__).resolve().parents[1]
    folders = [package]
    for name in ("profiles", "checklists"):
        try:
            folders.append(content_dir(name))
        except FileNotFoundError:
            pass
    digest = hashlib.sha256(sys.version.encode())
    for lib in ("pydantic", "pydantic-core", "msgspec", "PyYAML", "ruamel.yaml"):
        try:
            digest.update(f"\0{lib}={metadata.version(lib)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"\0{lib}=-".encode())
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(b"\0" + path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def content_key(*parts: bytes | str) -> str:
    """SHA-256 over parts (each length-prefixed, so no two lists of parts give the same key)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


class Store:
    def __init__(self, path: Path | None, entries: dict[str, dict[str, Any]] | None = None) -> None:
        self.path = path
        self.old = entries or {s: {} for s in SECTIONS}
        self.used: dict[str, dict[str, Any]] = {s: {} for s in SECTIONS}

    @classmethod
    def disabled(cls) -> Store:
        return cls(None)

    @classmethod
    def open(cls, root: str | Path) -> Store:
        """The cache of the territory at `root`; an empty store when there is none or it does not fit."""
        try:
            name = hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:24]
            path = cache_folder() / "barometre" / f"{name}.json"
        except (OSError, RuntimeError):
            return cls.disabled()
        return cls(path, _read(path))

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def section(self, name: str) -> dict[str, Any]:
        """The entries of the previous run (read-only; to pass to a worker process)."""
        return self.old[name]

    def get(self, section: str, key: str) -> Any:
        value = self.old[section].get(key, MISSING)
        if value is not MISSING:
            self.used[section][key] = value
        return value

    def put(self, section: str, key: str, value: Any) -> None:
        if self.enabled:
            self.used[section][key] = value

    def save(self) -> None:
        """Write the entries of this run (atomically); a cache that cannot be written is no error."""
        if self.path is None or self.used == self.old:
            return
        from ..disk.fileio import atomic_write

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps({"format": FORMAT, "fingerprint": fingerprint(), **self.used},
                                               separators=(",", ":"), sort_keys=True))
        except (OSError, ValueError, TypeError):
            pass


def _read(path: Path) -> dict[str, dict[str, Any]] | None:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("fingerprint") != fingerprint():
        return None
    if not all(isinstance(data.get(s), dict) for s in SECTIONS):
        return None
    return {s: data[s] for s in SECTIONS}
