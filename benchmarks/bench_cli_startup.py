"""`cyberaudit --help` start-up time against `python -c "import typer, rich"`.

Target (issue 2): under 2x the time of importing typer and rich.
Run: python benchmarks/bench_cli_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timeit(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    base = timeit([sys.executable, "-c", "import typer, rich"], args.runs)
    helped = timeit([sys.executable, "-m", "cyberaudit", "--help"], args.runs)
    sub = timeit([sys.executable, "-m", "cyberaudit", "scan", "--help"], args.runs)
    print(f"python -c 'import typer, rich' : {base * 1000:7.1f} ms (median of {args.runs})")
    print(f"cyberaudit --help              : {helped * 1000:7.1f} ms  ratio {helped / base:.2f}x (target < 2x)")
    print(f"cyberaudit scan --help         : {sub * 1000:7.1f} ms  ratio {sub / base:.2f}x")


if __name__ == "__main__":
    main()
