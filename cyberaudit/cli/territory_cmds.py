"""Library side of `cyberaudit aggregate` and `cyberaudit diff`: validate options, compute, write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import InputError
from ..i18n import t

BAROMETER_NAME = "barometre"


def parse_formats(value: str | None, allowed: tuple[str, ...]) -> list[str]:
    parts = [p.strip().lower() for p in (value or "").split(",") if p.strip()]
    parts = ["md" if p == "markdown" else p for p in parts]
    bad = [p for p in parts if p not in allowed]
    if not parts or bad:
        raise InputError(t(f"--format attend une liste parmi {', '.join(allowed)}",
                           f"--format expects a list among {', '.join(allowed)}"), field="--format")
    return sorted(set(parts), key=parts.index)


def _targets(formats: list[str], output: Path | None, root: Path) -> dict[str, Path | None]:
    """Where each format goes: None = standard output."""
    from ..territory.render import EXTENSIONS

    if output is None:
        if len(formats) == 1 and formats[0] not in ("html", "pdf"):
            return {formats[0]: None}
        output = root / BAROMETER_NAME
    if len(formats) == 1 and output.suffix.lstrip(".").lower() in (formats[0], "markdown", "htm") \
            and not output.is_dir():
        return {formats[0]: output}
    if output.exists() and not output.is_dir():
        raise InputError(t("plusieurs formats : --output doit être un dossier", "several formats: --output must be a folder"),
                         field="--output")
    return {f: output / f"{BAROMETER_NAME}.{EXTENSIONS[f]}" for f in formats}


def run_aggregate_command(*, directory: Path, fmt: str, output: Path | None, with_evidence: bool, months: int,
                          as_of: str | None, anonymise: bool = False, cache: bool = True) -> None:
    from ..disk.fileio import atomic_write
    from ..territory.aggregate import barometer
    from ..territory.breakdown import anonymised
    from ..territory.html import render_html
    from ..territory.render import FORMATS, render_csv, render_json, render_markdown, render_table
    from . import ui

    formats = parse_formats(fmt, FORMATS)
    if "pdf" in formats:
        from ..report import pdf

        pdf.require()
    if anonymise and with_evidence:
        raise InputError(t("--anonymise et --with-evidence s'excluent", "--anonymise and --with-evidence exclude each other"),
                         field="--anonymise")
    if "table" in formats and len(formats) > 1:
        raise InputError(t("--format table ne se combine pas avec d'autres formats",
                           "--format table cannot be combined with other formats"), field="--format")
    ref = None
    if as_of:
        try:
            ref = dt.date.fromisoformat(as_of)
        except ValueError:
            raise InputError(t("--as-of attend une date AAAA-MM-JJ", "--as-of expects a date YYYY-MM-DD"),
                             field="--as-of") from None
    root = Path(directory)
    data = barometer(root, as_of=ref, with_evidence=with_evidence, months=months, history=months > 0, cache=cache)
    if anonymise:
        data = anonymised(data)
    if formats == ["table"]:
        render_table(data, ui.out())
        return
    for f, path in _targets(formats, output, root).items():
        if f in ("html", "pdf"):
            out_dir = None if path is None or f == "pdf" else _relative_dir(path.parent, root)
            text = render_html(data, out_dir, for_print=f == "pdf")
            if f == "pdf":
                from ..report import pdf

                text = pdf.render(text.encode("utf-8"))
        else:
            text = {"md": render_markdown, "json": render_json, "csv": render_csv}[f](data)
        if path is None:
            ui.out().file.write(text)
        else:
            atomic_write(path, text)
            ui.err().print(t(f"Écrit : {ui.safe(path)}", f"Written: {ui.safe(path)}"))


def _relative_dir(folder: Path, root: Path) -> str | None:
    """The output folder relative to the territory root (for links to members' pages), if inside it."""
    try:
        return folder.resolve().relative_to(root.resolve()).as_posix() or "."
    except ValueError:
        return None


DIFF_FORMATS = ("table", "markdown", "json")


def run_diff_command(*, old: str | None, new: str | None, workspace: Path | None, fmt: str | None,
                     output: Path | None, fail_on: str | None) -> None:
    from ..disk.fileio import atomic_write
    from ..errors import ThresholdError
    from ..territory.diff import compare, load_side, regressions_at_or_above
    from . import ui
    from .diff_render import render_json, render_markdown, render_table
    from .scan_run import parse_fail_on

    fmt = "markdown" if fmt == "md" else (fmt or "table")
    if fmt not in DIFF_FORMATS:
        raise InputError(t("--format attend table, markdown ou json", "--format expects table, markdown or json"),
                         field="--format")
    floor = parse_fail_on(fail_on)
    ws = Path(workspace) if workspace else Path(".")
    old_spec = old if old is not None else "HEAD"
    old_label, old_a = load_side(old_spec, ws)
    new_label, new_a = load_side(new, ws)
    diff = compare(old_a, new_a, old_label, new_label)
    if fmt == "table" and output is None:
        render_table(diff, ui.out())
    else:
        text = render_json(diff) if fmt == "json" else render_markdown(diff)
        if output:
            atomic_write(output, text)
        else:
            ui.out().file.write(text)
    if floor is not None:
        bad = regressions_at_or_above(diff, floor.value)
        if bad:
            raise ThresholdError(t(f"{len(bad)} problème(s) nouveau(x) ou aggravé(s) de sévérité ≥ {floor.value}",
                                   f"{len(bad)} new or worse problem(s) of severity ≥ {floor.value}"))
