"""One host, one process: `cyberaudit scan NAME --checks tls` as a user runs it, start-up included.

    CYBERAUDIT_LAB_OFFSET=60 python benchmarks/bench_tls_one.py [--runs 15] [--profile modern|legacy]
        [--format json|table] [--baseline DIR]

Brings up one nginx vhost (loopback) and a knot serving its name, then runs the whole command
`python -m cyberaudit scan NAME --checks tls --nameserver KNOT --ca-bundle CA --format json` --runs
times and prints the median and best wall time, the median CPU time (user+sys of the child, wait4) and
peak RSS, beside `python -c pass` and `python -c "import typer, rich"` on the same machine, with the load
average. Target (issue 13): under 0.25 s wall for the whole process (was 0.59 s).
Also checks that every run gives the same findings (id, status, target, evidence), so a speed-up cannot
hide a changed verdict. With --baseline DIR (another checkout, e.g. `git archive main`), the same command
runs from DIR too, interleaved with ours so background load hits both alike, and the findings of the two
trees are compared. Both trees are byte-compiled first (as `pip install` does), so neither pays for
compiling its sources when PYTHONDONTWRITEBYTECODE is set. On a loaded machine the best (minimum) CPU
time is the steadiest figure. Loopback only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.lab.knot import KnotLab  # noqa: E402
from tests.lab.nginx import NginxLab  # noqa: E402
from tests.lab.pki import TestCA  # noqa: E402
from tests.lab.util import lab_address  # noqa: E402

HEADERS = {"Strict-Transport-Security": "max-age=31536000"}


def run(cmd: list[str], tree: Path = ROOT) -> tuple[float, float, float, bytes]:
    """(wall s, CPU user+sys s, peak RSS MB, stdout) of one child process, importing cyberaudit from `tree`."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=tree, env=env)
        _, _, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, out.read()


def verdicts(data: bytes) -> list[tuple[str, str, str]]:
    doc = json.loads(data)
    return sorted((f["id"], f["status"], f.get("target", r["target"]), json.dumps(f.get("evidence"), sort_keys=True))
                  for r in doc["results"] for f in r["findings"])


def series(cmd: list[str], runs: int) -> list[tuple[float, float, float, bytes]]:
    return [run(cmd) for _ in range(runs)]


def show(label: str, res: list[tuple[float, float, float, bytes]]) -> float:
    walls, cpus = [r[0] for r in res], [r[1] for r in res]
    med = statistics.median(walls)
    print(f"{label:<36} wall median {med * 1000:7.1f} ms  best {min(walls) * 1000:7.1f} ms  "
          f"CPU median {statistics.median(cpus) * 1000:7.1f} ms  best {min(cpus) * 1000:7.1f} ms  "
          f"peak RSS {max(r[2] for r in res):5.1f} MB")
    return med


def compiled(tree: Path) -> None:
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "cyberaudit")], check=True,
                   stdout=subprocess.DEVNULL)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--profile", choices=("modern", "legacy"), default="modern")
    ap.add_argument("--format", choices=("json", "table"), default="json",
                    help="output format of the timed command (findings are compared on a json run)")
    ap.add_argument("--baseline", type=Path, help="another checkout to time the same command from, interleaved")
    ap.add_argument("--dump", help="write the findings of the last run to this file (id, status, target)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-tls1-"))
    ca = TestCA("Bench one")
    bundle = ca.write_bundle(tmp / "ca.pem")
    name, addr = "one.bench.lab", lab_address("tls")
    leaf = ca.issue([name], key="rsa" if args.profile == "legacy" else "ec")
    files = leaf.write(tmp / "certs" / name)
    kw: dict = {"headers": HEADERS}
    if args.profile == "legacy":
        kw.update(protocols="TLSv1 TLSv1.1 TLSv1.2",
                  ciphers="AES128-SHA:AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0")
    nginx = NginxLab(tmp / "nginx")
    nginx.add_vhost(name, addr, cert=files.fullchain, key=files.key, **kw)
    knot = KnotLab(tmp / "knot", lab_address("dns"))
    knot.add_zone("bench.lab.", f"one A {addr}")
    try:
        knot.start()
        nginx.start()
        base = [sys.executable, "-m", "cyberaudit", "scan", name, "--checks", "tls", "--nameserver",
                knot.nameserver, "--ca-bundle", str(bundle)]
        cmd, as_json = [*base, "--format", args.format], [*base, "--format", "json"]
        trees = [ROOT, *([args.baseline.resolve()] if args.baseline else [])]
        for tree in trees:
            compiled(tree)
            run(cmd, tree)  # warm the page cache
        print(f"one vhost ({args.profile}) at {addr}, knot at {knot.nameserver}; {os.cpu_count()} CPUs; "
              f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        bare = show("python -c pass", series([sys.executable, "-c", "pass"], args.runs))
        libs = show("python -c 'import typer, rich'", series([sys.executable, "-c", "import typer, rich"], args.runs))
        timed: dict[Path, list] = {tree: [] for tree in trees}
        for _ in range(args.runs):  # interleaved
            for tree in trees:
                timed[tree].append(run(cmd, tree))
        if args.baseline:
            show(f"baseline: scan --checks tls ({args.format})", timed[trees[1]])
        ours = timed[ROOT]
        med = show(f"cyberaudit scan --checks tls ({args.format})", ours)
        found = {tree: [verdicts(run(as_json, tree)[3]) for _ in range(2)] for tree in trees}
        mine = found[ROOT]
        print(f"findings identical across runs: {mine[0] == mine[1]} ({len(mine[0])} findings)")
        if args.baseline:
            print(f"findings identical to the baseline's (id, status, target, evidence): "
                  f"{mine[0] == found[trees[1]][0]}")
        print(f"whole process {med:.3f} s median wall (target < 0.25 s); best CPU {min(r[1] for r in ours):.3f} s; "
              f"{med - bare:.3f} s above a bare interpreter, {med - libs:.3f} s above importing typer and rich; "
              f"load average now {os.getloadavg()[0]:.2f}")
        if args.dump:
            Path(args.dump).write_text("\n".join(" ".join(v) for v in mine[0]) + "\n")
    finally:
        nginx.stop()
        knot.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
