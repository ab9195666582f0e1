"""Locates the content folders (checklists/, profiles/, reports/) and package data.

In a source checkout they sit beside the package; in an installed wheel they are
mapped into `cyberaudit/_content/` (see pyproject's force-include). This module is
the only code that knows where they are.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PKG = Path(__file__).resolve().parents[1]


@cache
def content_dir(name: str) -> Path:
    """Path of `checklists`, `profiles` or `reports`."""
    for candidate in (_PKG / "_content" / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"content folder {name!r} not found (broken installation?)")


def data_file(name: str) -> Path:
    """A data file shipped inside the package (cyberaudit/data/NAME)."""
    return _PKG / "data" / name


def profile_ids() -> list[str]:
    try:
        folder = content_dir("profiles")
    except FileNotFoundError:
        return []
    return sorted(p.stem for p in folder.glob("*.yaml"))
