"""What the probes saw, saved beside the scan: `scans/observations.jsonl` (`cyberaudit/observations/v1`).

One JSON object per line, keys sorted, targets sorted by name, so a diff shows one line per target
that changed and the same observations always give the same bytes:

    {"checks":["dns","mail"],"options":{...},"schema":"cyberaudit/observations/v1","started_at":"...","tool_version":"..."}
    {"families":{"dns":{...},"mail":{...}},"target":"exemple.fr"}

`cyberaudit scan --rejudge` judges these again with today's judges. While a scan runs, each target's
observations are spooled to a temporary file as soon as it is done and only its offset is kept, so a
run of 10,000 domains holds no observation in memory; the file is written atomically beside
`scans/latest.json` (`save_scan`, both or neither).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..i18n import t
from ..model import ScanResult

SCHEMA = "cyberaudit/observations/v1"


def line(obj: dict[str, Any]) -> bytes:
    """One line of the file: compact JSON, keys sorted, UTF-8."""
    return (json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def record(target: str, families: dict[str, dict]) -> bytes:
    return line({"target": target, "families": families})


class ObservationLog:
    """The observations of one scan, spooled to a temporary file (`add` is the pipeline's `observations`)."""

    def __init__(self) -> None:
        self._spool = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the scan: close())
        self._index: dict[str, tuple[int, int]] = {}  # target -> (offset, size) in the spool

    def add(self, target: str, families: dict[str, dict]) -> None:
        if target in self._index:  # the same name twice in the inventory: one line, families merged
            families = {**self._read(target)["families"], **families}
        data = record(target, families)
        offset = self._spool.seek(0, 2)
        self._spool.write(data)
        self._index[target] = (offset, len(data))

    def _read(self, target: str) -> dict[str, Any]:
        offset, size = self._index[target]
        self._spool.seek(offset)
        return json.loads(self._spool.read(size))

    def __len__(self) -> int:
        return len(self._index)

    def chunks(self, result: ScanResult) -> Iterator[bytes]:
        """The file's bytes, a line at a time: the header (from the scan), then each target in name order."""
        yield line(header(result))
        for target in sorted(self._index):
            offset, size = self._index[target]
            self._spool.seek(offset)
            yield self._spool.read(size)

    def close(self) -> None:
        self._spool.close()

    def __enter__(self) -> ObservationLog:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def header(result: ScanResult) -> dict[str, Any]:
    started = result.started_at.isoformat().replace("+00:00", "Z") if result.started_at else None
    return {"schema": SCHEMA, "tool_version": result.tool_version, "started_at": started,
            "checks": list(result.checks), "options": dict(result.options)}


def save_scan(ws, result: ScanResult, log: ObservationLog | None) -> None:
    """Write `scans/latest.json` and, when the scan observed, `scans/observations.jsonl`: both or neither
    (an old observation file never sits beside a newer scan: one with no observation is emptied)."""
    from .fileio import atomic_write_all
    from .scan_json import json_chunks
    from .workspace import LATEST_SCAN, OBSERVATIONS

    # the bytes of dumps_json(result), one target at a time: a 10,000-domain scan is never dumped whole
    files: dict[Any, Any] = {ws.path(LATEST_SCAN): (chunk.encode("utf-8") for chunk in json_chunks(result))}
    if log is not None:
        files[ws.path(OBSERVATIONS)] = log.chunks(result)
    atomic_write_all(files)


def read(path: Path) -> tuple[dict[str, Any], Iterator[tuple[int, str, dict[str, dict]]]]:
    """(header, iterator of (line number, target, {family: observation})). Every problem is an InputError
    naming the file and the line: missing file, not UTF-8, broken JSON, unknown schema, bad record."""
    from ..checks import JUDGES

    path = Path(path)
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        raise InputError(t("aucune observation enregistrée : lancez d'abord « cyberaudit scan --workspace … »",
                           "no saved observation: run \"cyberaudit scan --workspace …\" first"),
                         file=str(path)) from None
    except OSError as exc:
        raise InputError(t(f"lecture impossible : {exc.strerror}", f"cannot read: {exc.strerror}"),
                         file=str(path)) from None

    def parse(raw: bytes, no: int) -> Any:
        try:
            return json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise InputError(t("la ligne n'est pas en UTF-8", "the line is not valid UTF-8"),
                             file=str(path), line=no) from None
        except json.JSONDecodeError as exc:
            raise InputError(t(f"JSON invalide : {exc.msg} (colonne {exc.colno})",
                               f"invalid JSON: {exc.msg} (column {exc.colno})"), file=str(path), line=no) from None

    try:
        first = fh.readline()
        head = parse(first, 1) if first.strip() else None
    except BaseException:
        fh.close()
        raise
    if not isinstance(head, dict) or head.get("schema") != SCHEMA:
        fh.close()
        found = head.get("schema") if isinstance(head, dict) else None
        raise InputError(t(f"schéma inconnu {found!r} : attendu {SCHEMA!r} en première ligne",
                           f"unknown schema {found!r}: expected {SCHEMA!r} on the first line"),
                         file=str(path), line=1, field="schema")

    def records() -> Iterator[tuple[int, str, dict[str, dict]]]:
        with fh:
            for no, raw in enumerate(fh, start=2):
                if not raw.strip():
                    continue
                rec = parse(raw, no)
                ok = isinstance(rec, dict) and isinstance(rec.get("target"), str) and isinstance(rec.get("families"), dict)
                bad = [f for f, v in (rec.get("families") or {}).items() if f not in JUDGES or not isinstance(v, dict)] \
                    if ok else []
                if not ok or bad:
                    what = (t(f"famille inconnue ou observation invalide : {', '.join(map(str, bad))}",
                              f"unknown family or invalid observation: {', '.join(map(str, bad))}") if ok else
                            t("attendu {\"target\": NOM, \"families\": {FAMILLE: OBSERVATION}}",
                              "expected {\"target\": NAME, \"families\": {FAMILY: OBSERVATION}}"))
                    raise InputError(what, file=str(path), line=no)
                yield no, rec["target"], rec["families"]

    return head, records()
