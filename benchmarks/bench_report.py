"""Report speed on the demo organisation: HTML + Markdown + JSON, then PDF.

Targets (issue 8): HTML + Markdown + JSON for one organisation under 1 s; the PDF under 10 s.
Measured in a fresh process (imports of jinja2/pydantic included in the "cold" figure), then warm.
Run: python benchmarks/bench_report.py [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    start = time.perf_counter()
    from cyberaudit.assessment.evaluate import evaluate, save_assessment
    from cyberaudit.demo import write_demo_workspace
    from cyberaudit.disk.workspace import Workspace
    from cyberaudit.report import write_reports

    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(write_demo_workspace(Path(tmp) / "demo"))
        t0 = time.perf_counter()
        save_assessment(ws, evaluate(ws, now=dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)))
        t_eval = time.perf_counter() - t0
        t0 = time.perf_counter()
        write_reports(ws, ["html", "md", "json"], "fr")
        cold = time.perf_counter() - t0
        warm, pdf = [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            paths = write_reports(ws, ["html", "md", "json"], "fr")
            warm.append(time.perf_counter() - t0)
        for _ in range(max(1, args.runs // 2)):
            t0 = time.perf_counter()
            (pdf_path,) = write_reports(ws, ["pdf"], "fr")
            pdf.append(time.perf_counter() - t0)
        sizes = ", ".join(f"{p.suffix[1:]} {p.stat().st_size // 1024} KiB" for p in [*paths, pdf_path])
    total = time.perf_counter() - start
    print(f"evaluate (demo workspace)         : {t_eval * 1000:7.1f} ms")
    print(f"html+md+json, first call (cold)   : {cold * 1000:7.1f} ms (target < 1000 ms)")
    print(f"html+md+json, warm (median of {args.runs}) : {statistics.median(warm) * 1000:7.1f} ms")
    print(f"pdf (median of {len(pdf)})                : {statistics.median(pdf) * 1000:7.1f} ms (target < 10000 ms)")
    print(f"whole script incl. imports        : {total:7.2f} s; sizes: {sizes}")


if __name__ == "__main__":
    main()
