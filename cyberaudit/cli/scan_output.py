"""Print or save a scan result in the chosen format; every text format is streamed a target at a time."""

from __future__ import annotations

from ..model import ScanResult

FORMATS = ("table", "json", "markdown", "csv", "junit")


def print_result(result: ScanResult, fmt: str | None, output, *, only: list[str] | None = None,
                 show_all: bool = False, elapsed: float | None = None) -> None:
    """`table` (default) on the terminal; `--output` without a format writes Markdown. JSON is always the
    whole scan; `--only`/`--all` shape the other formats."""
    import sys

    from ..disk.fileio import atomic_write
    from ..disk.scan_json import json_chunks

    if fmt == "json":  # the whole scan, straight to stdout (the stream Rich's console writes to): no Rich loaded
        if output:
            atomic_write(output, "".join(json_chunks(result)))
        else:
            for chunk in json_chunks(result):  # same bytes as dumps_json, without a second copy in memory
                sys.stdout.write(chunk)
            sys.stdout.flush()
        return
    from ..scanview.triage import build
    from . import ui

    view = build(result, only=only, show_all=show_all, elapsed=elapsed)
    if fmt in (None, "table") and not output:
        from .scan_render import render_table

        render_table(view, ui.out())
        return
    if fmt == "csv":
        from .scan_export import csv_text_chunks

        chunks = csv_text_chunks(view)
    elif fmt == "junit":
        from .scan_export import junit_chunks

        chunks = junit_chunks(view, result)
    else:
        from .scan_render import markdown_chunks

        chunks = markdown_chunks(view)
    if output:
        atomic_write(output, "".join(chunks))
        return
    stream = ui.out().file
    for chunk in chunks:
        stream.write(chunk)
    stream.flush()
