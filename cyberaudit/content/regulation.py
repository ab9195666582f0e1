"""Where the French transposition of NIS2 stands: the ONE place every text derived from it reads.

Late 2026 the transposition (projet de loi « résilience des infrastructures critiques et renforcement
de la cybersécurité ») is still a bill: adopted by the Senate on 12 March 2025, examined by the
Assemblée's special committee on 10 September 2025, its sitting of 7 October 2026 withdrawn
(content-corrections.md row 11). Statuses and duties that come from it are therefore shown
« au titre du projet de loi ». The day the law is promulgated, set NIS2_PROMULGATED = True (and the
law's number): every profile note, question help and report label changes with it.

Content (checklists/*.yaml, profiles/*.yaml) writes the basis as a token: `[[nis2]]` ("au titre du
projet de loi") or `[[Nis2]]` at the start of a sentence. The lint refuses the words « projet de loi »
written out in those files, so that no text escapes this switch.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import Text

NIS2_PROMULGATED = False
NIS2_LAW = ""  # e.g. "loi n° 2027-… du …" once promulgated

TOKENS = ("[[nis2]]", "[[Nis2]]")
# words that say "bill" outright: content must use the token instead
LITERAL = re.compile(r"projet de loi|\bthe bill\b|transposition bill|\bper the bill\b", re.IGNORECASE)
MAX_DEPTH = 40


def basis() -> Text:
    """« au titre du projet de loi » today; « au titre de la loi … » once promulgated."""
    if NIS2_PROMULGATED:
        law = f" ({NIS2_LAW})" if NIS2_LAW else ""
        return Text(fr=f"au titre de la loi de transposition de NIS2{law}",
                    en=f"under the French NIS2 transposition law{law}")
    return Text(fr="au titre du projet de loi de transposition de NIS2 (pas encore promulgué)",
                en="under the French NIS2 transposition bill (not yet enacted)")


def short_basis() -> Text:
    """The same, in a few words, for a table cell."""
    if NIS2_PROMULGATED:
        return Text(fr="au titre de la loi", en="under the law")
    return Text(fr="au titre du projet de loi", en="under the bill")


STATUS = {
    "essential": Text(fr="Entité essentielle", en="Essential entity"),
    "important": Text(fr="Entité importante", en="Important entity"),
    "not_covered": Text(fr="Non concernée en propre", en="Not covered by itself"),
    "to_check": Text(fr="À vérifier", en="To check"),
}


def status_label(status: str) -> Text:
    """« Entité essentielle (au titre du projet de loi) »: a status that reads as what it is."""
    label, b = STATUS[status], short_basis()
    return Text(fr=f"{label.fr} ({b.fr})", en=f"{label.en} ({b.en})")


def _expand_text(value: str, lang: str) -> str:
    b = getattr(basis(), lang)
    return value.replace(TOKENS[0], b).replace(TOKENS[1], b[:1].upper() + b[1:])


def expand(data: Any, depth: int = 0) -> Any:
    """Replace the tokens in every {fr, en} text of loaded YAML data (in place; returns data)."""
    if depth > MAX_DEPTH:
        return data
    if isinstance(data, dict):
        for key in list(data):
            value = data[key]
            if key in ("fr", "en") and isinstance(value, str) and "[[" in value:
                data[key] = _expand_text(value, key)
            else:
                expand(value, depth + 1)
    elif isinstance(data, list):
        for item in data:
            expand(item, depth + 1)
    return data


def literal_mentions(data: Any, path: tuple = (), depth: int = 0):
    """(path, text) of every {fr, en} string that writes the bill out instead of using the token."""
    if depth > MAX_DEPTH:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("fr", "en") and isinstance(value, str):
                if LITERAL.search(value):
                    yield (*path, key), value
            else:
                yield from literal_mentions(value, (*path, key), depth + 1)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from literal_mentions(item, (*path, i), depth + 1)
