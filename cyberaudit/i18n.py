"""Language selection. French is the default; English on demand.

UI strings are written inline as `t("texte français", "English text")`, so each
module keeps its own strings and there is no shared catalogue to merge.
Content (findings, questions) carries `Text(fr=..., en=...)` from `model.py`.
"""

from __future__ import annotations

import os

LANGS = ("fr", "en")
_current = None


def normalise(lang: str | None) -> str:
    lang = (lang or "").strip().lower()[:2]
    return lang if lang in LANGS else "fr"


def set_lang(lang: str | None) -> str:
    global _current
    _current = normalise(lang)
    return _current


def get_lang() -> str:
    if _current is None:
        return normalise(os.environ.get("CYBERAUDIT_LANG"))
    return _current


def t(fr: str, en: str) -> str:
    """Pick the string of the current language."""
    return en if get_lang() == "en" else fr
