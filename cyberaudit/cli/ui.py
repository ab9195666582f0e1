"""Console helpers for the CLI layer (Rich). Light imports only."""

from __future__ import annotations

import sys

from rich.console import Console

from ..sanitize import markup_safe

_out: Console | None = None
_err: Console | None = None


def _console(**options) -> Console:
    """Colours and styles only on a terminal (Rich's own detection), never with NO_COLOR set
    (https://no-color.org): then the text is plain, without any escape sequence."""
    import os

    if os.environ.get("NO_COLOR"):
        options["color_system"] = None
    return Console(highlight=False, **options)


def out() -> Console:
    global _out
    if _out is None:
        _out = _console()
    return _out


def err() -> Console:
    global _err
    if _err is None:
        _err = _console(stderr=True)
    return _err


safe = markup_safe  # text from outside (DNS, banners, headers, answers) made inert for Rich output


def print_error(message: str) -> None:
    from ..i18n import t

    err().print(f"[bold red]{t('Erreur', 'Error')}[/] : {safe(message)}", soft_wrap=True)
    sys.stderr.flush()


