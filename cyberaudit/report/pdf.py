"""PDF format: the same HTML, laid out by WeasyPrint (optional extra `cyberaudit[pdf]`)."""

from __future__ import annotations

from ..errors import InputError
from ..i18n import t


def available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def require() -> None:
    """Raise a clear InputError (exit 2) when WeasyPrint cannot be used."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        raise InputError(t(
            "le format PDF demande WeasyPrint, qui n'est pas installé : `pip install 'cyberaudit[pdf]'` "
            f"(ou choisissez --format html,md,json) [{exc.__class__.__name__}]",
            "the PDF format needs WeasyPrint, which is not installed: `pip install 'cyberaudit[pdf]'` "
            f"(or choose --format html,md,json) [{exc.__class__.__name__}]"), field="--format") from None


def render(html: bytes) -> bytes:
    require()
    import logging

    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    doc = weasyprint.HTML(string=html.decode("utf-8"), base_url=None, url_fetcher=_no_fetch)
    return doc.write_pdf()


def _no_fetch(url: str, *args, **kwargs):
    """The report is self-contained: refuse any fetch (no network, no local file)."""
    raise ValueError(f"external resource refused: {url[:80]}")
