"""Hostile workbooks refused fast with little memory, and the CNIL-layout export/import of a large register.

Run: python benchmarks/bench_register_import.py [--activities 200]

1. A 5 KB ODS whose one cell asks for `text:s text:c=1500000000` (1.5 billion spaces), a row repeated a
   billion times, and an 8 MiB zip bomb: time to the error and peak Python memory (tracemalloc).
   Goal: each refused in well under a second, with under 5 MiB allocated.
2. `register export --format ods|xlsx` (CNIL layout: list sheet, one fiche per activity, lists) of a
   register built from the templates, then `register import` of that file: time, size, and whether the
   activities read back identically.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def ods(path: Path, rows: str) -> Path:
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:body><office:spreadsheet>'
               f'<table:table table:name="Registre">{rows}</table:table></office:spreadsheet></office:body>'
               "</office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    return path


def hostile(folder: Path) -> None:
    from cyberaudit.errors import InputError
    from cyberaudit.register import importer

    cases = {
        "text:c=1500000000": ods(folder / "spaces.ods", '<table:table-row><table:table-cell><text:p>'
                                 '<text:s text:c="1500000000"/></text:p></table:table-cell></table:table-row>'),
        "rows repeated 1e9": ods(folder / "rows.ods", '<table:table-row table:number-rows-repeated="1000000000">'
                                 "<table:table-cell><text:p>x</text:p></table:table-cell></table:table-row>"),
    }
    bomb = folder / "bomb.ods"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", b"<" + b" " * (8 * 2**20) + b">")
    cases["zip bomb 8 MiB"] = bomb
    for name, path in cases.items():
        tracemalloc.start()
        t0 = time.perf_counter()
        try:
            importer.read(path)
            outcome = "NOT REFUSED"
        except InputError as exc:
            outcome = str(exc).split(": ", 1)[-1][:70]
        elapsed = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{name:<20} {path.stat().st_size / 1024:6.1f} KiB file  {elapsed * 1000:7.1f} ms  "
              f"peak {peak / 2**20:5.2f} MiB  -> {outcome}")


def round_trip(folder: Path, count: int) -> None:
    from cyberaudit.model import Dpo, Organisation
    from cyberaudit.register import export, importer
    from cyberaudit.register.model import dump
    from cyberaudit.register.templates import load_templates

    org = Organisation(name="Communauté de communes du Banc d'Essai", siren="200000172", kind="epci",
                       dpo=Dpo(name="DPO mutualisé", email="dpo@exemple.fr"))
    templates = list(load_templates().values())
    acts = []
    for i in range(count):
        a = templates[i % len(templates)].activity(f"T-{i + 1:03d}")
        acts.append(a.model_copy(update={"name": f"{a.name} ({i + 1})"}))
    for fmt in ("ods", "xlsx"):
        t0 = time.perf_counter()
        data = export.export(acts, org, fmt)
        t1 = time.perf_counter()
        path = folder / f"registre.{fmt}"
        path.write_bytes(data)
        got = importer.read(path)
        t2 = time.perf_counter()
        same = [dump(a) for a in got.activities] == [dump(a) for a in acts] and not got.errors
        print(f"{fmt}: {count} activities, export {t1 - t0:.2f} s ({len(data) / 1024:.0f} KiB), "
              f"import {t2 - t1:.2f} s, identical: {same}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        hostile(Path(tmp))
        round_trip(Path(tmp), args.activities)


if __name__ == "__main__":
    main()
