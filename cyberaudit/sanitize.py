"""Hostile data stays data: helpers to print or store strings that came from strangers."""

from __future__ import annotations

import re

# CSI / OSC / other escape sequences, then any remaining C0/C1 control char except \t and \n.
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_control(value: str, *, keep_newlines: bool = False) -> str:
    """Remove terminal escape sequences and control characters."""
    if not isinstance(value, str):
        value = str(value)
    value = _ANSI.sub("", value)
    if not keep_newlines:
        value = value.replace("\n", " ").replace("\t", " ")
    return _CTRL.sub("", value)


def mark_control(value: str, limit: int = 2000) -> str:
    """Control characters (and escape sequences' ESC) replaced by U+FFFD, cut to `limit`: inert for a
    terminal, yet still visible to a judge, so `max-age=\x1b[2J31536000` cannot become a valid value."""
    value = _CTRL.sub("\ufffd", value.replace("\n", "\ufffd"))
    return value[:limit]


def bounded(value: str, limit: int = 512) -> str:
    """Strip control characters and cut to `limit` characters (with an ellipsis)."""
    value = strip_control(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def decode_bytes(raw: bytes, limit: int | None = None) -> str:
    """Decode untrusted bytes as UTF-8, replacing invalid bytes, never raising."""
    text = raw.decode("utf-8", errors="replace")
    return text if limit is None else text[:limit]


def markup_safe(value: object) -> str:
    """Text from outside made inert for Rich console markup (control sequences stripped, `[` escaped)."""
    from rich.markup import escape

    return escape(strip_control(str(value)))


# A spreadsheet runs a cell starting with one of these as a formula (CSV/XLSX/ODS injection); a tab or
# carriage return at the start is the other classic trick. Such a cell gets a leading apostrophe.
FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r", "'")


def spreadsheet_cell(value: str) -> str:
    """The one guard of every tabular export: terminal escapes and control characters stripped (line
    breaks and tabs kept), and a leading apostrophe before a formula-like start."""
    value = strip_control(value, keep_newlines=True)
    return "'" + value if value[:1] in FORMULA_LEAD else value


def unguard_cell(value: str) -> str:
    """Undo `spreadsheet_cell`'s apostrophe on import."""
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_LEAD else value
