"""Console helpers for the CLI layer (Rich). Light imports only."""

from __future__ import annotations

import sys

from rich.console import Console

from ..sanitize import markup_safe

_out: Console | None = None
_err: Console | None = None


def out() -> Console:
    global _out
    if _out is None:
        _out = Console(highlight=False)
    return _out


def err() -> Console:
    global _err
    if _err is None:
        _err = Console(stderr=True, highlight=False)
    return _err


safe = markup_safe  # text from outside (DNS, banners, headers, answers) made inert for Rich output


def print_error(message: str) -> None:
    from ..i18n import t

    err().print(f"[bold red]{t('Erreur', 'Error')}[/] : {safe(message)}", soft_wrap=True)
    sys.stderr.flush()


