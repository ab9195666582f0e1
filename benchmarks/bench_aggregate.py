"""`cyberaudit aggregate` over 1,000 members with 24 monthly commits of git history, real-size files.

Target (issues 9 and 17): under 10 s on 2 cores for the barometer with its month-by-month trend,
all formats, with real-size assessment files: schema v2 with its check catalogue, as `cyberaudit
assess` writes them (synthetic.py bases them on the demo's real evaluation: the whole interview,
the register, a scan; ~260 KB each). `--small` uses the 5 KB files of old. Run 1 is cold (the
barometer cache of territory/cache.py is empty, or `--no-cache`); with `--runs 2` run 2 reads the
cache of run 1: with `--next-month`, after one more monthly commit (--changed members re-assessed,
the monthly pipeline's case), else with nothing changed. Use a
fresh `CYBERAUDIT_CACHE_DIR` for a cold first run. Figures: wall and CPU time (user + system of
the aggregate process, its pool workers and git), peak memory, load average.
Run: python benchmarks/bench_aggregate.py [--members 1000] [--months 24] [--changed 0.15] [--keep DIR]
         [--out DIR] [--runs 2 [--next-month]] [--profile FILE]

The repository is synthetic (cyberaudit.territory.synthetic): every month a share of the
members gets a new assessment.json (new answers and probe results), committed with that
month's date; the rest stay byte-identical, as in a real territory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def build(repo: Path, members: int, months: int, changed: float, real_size: bool) -> None:
    from cyberaudit.territory import synthetic

    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q")
    start = dt.date(2024, 7, 1)
    specs = synthetic.build(repo, members, seed=1, today=start, real_size=real_size)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "month 0", date=f"{start.isoformat()}T10:00:00+00:00")
    rng = random.Random(2)
    for month in range(1, months):
        day = dt.date(start.year + (start.month - 1 + month) // 12, (start.month - 1 + month) % 12 + 1, 15)
        for i in rng.sample(range(members), int(members * changed)):
            fresh = synthetic.member_spec(i, rng, day)
            fresh.update(siren=specs[i]["siren"], name=specs[i]["name"], kind=specs[i]["kind"], assessed=day)
            specs[i] = fresh
            synthetic.write_member(repo, fresh, real_size=real_size)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"month {month}", date=f"{day.isoformat()}T10:00:00+00:00")
    # Stored as a CI job's fresh clone holds it (and a forge serves it): one pack. Left as 24 commits of
    # loose objects (auto-gc packs only part of them), reading the trend's blobs cost git 3x the CPU.
    git(repo, "repack", "-a", "-d", "-q")


def next_month(repo: Path, changed: float, real_size: bool) -> None:
    """One more monthly commit: a share of the members re-assessed (as the monthly pipeline does)."""
    from cyberaudit.territory import synthetic
    from cyberaudit.territory.manifest import load_territory

    out = subprocess.run(["git", "-C", str(repo), "log", "-1", "--format=%cI"], check=True, capture_output=True,
                         text=True).stdout.strip()
    last = dt.date.fromisoformat(out[:10])
    day = dt.date(last.year + last.month // 12, last.month % 12 + 1, 15)
    members = load_territory(repo).members
    rng = random.Random(day.toordinal())
    for i in rng.sample(range(len(members)), int(len(members) * changed)):
        spec = synthetic.member_spec(i, rng, day)
        spec.update(siren=members[i].siren, name=members[i].name, kind=members[i].kind, assessed=day)
        synthetic.write_member(repo, spec, real_size=real_size)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"month {day:%Y-%m}", date=f"{day.isoformat()}T10:00:00+00:00")
    print(f"added the month {day:%Y-%m}: {int(len(members) * changed)} members re-assessed")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1000)
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--changed", type=float, default=0.15, help="share of members re-assessed each month")
    ap.add_argument("--keep", type=Path, help="build (or reuse) the repository here")
    ap.add_argument("--small", action="store_true", help="5 KB synthetic files instead of real-size ones")
    ap.add_argument("--pack", action="store_true", help="repack a --keep repository built by an older version "
                                                         "(a new one is packed as a clone is)")
    ap.add_argument("--out", type=Path, help="write the barometer here (kept) instead of a temporary folder")
    ap.add_argument("--runs", type=int, default=1, help="aggregate runs (the second one reads the cache)")
    ap.add_argument("--profile", type=Path, help="write a cProfile of the aggregate process here")
    ap.add_argument("--next-month", action="store_true",
                    help="before each run after the first, commit one more month (--changed members re-assessed): "
                         "the monthly pipeline's run, with last month's cache (this adds commits to --keep)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        repo = args.keep or Path(tmp) / "territoire"
        t0 = time.perf_counter()
        if not (repo / "territoire.yaml").exists():
            build(repo, args.members, args.months, args.changed, not args.small)
        elif args.pack:
            git(repo, "repack", "-a", "-d", "-q")
        files = list((repo / "membres").glob("*/assessment.json"))
        sizes = sorted(p.stat().st_size for p in files)
        print(f"repository built in {time.perf_counter() - t0:.1f} s "
              f"({args.members} members, {args.months} monthly commits, {args.changed:.0%} changed per month; "
              f"assessment.json {sizes[0] // 1024}-{sizes[-1] // 1024} KB, median {sizes[len(sizes) // 2] // 1024} KB)")

        out = args.out or Path(tmp) / "out"
        cmd = [sys.executable, "-m", "cyberaudit", "aggregate", str(repo), "--format", "html,md,json,csv",
               "--output", str(out), "--months", str(args.months)]
        if args.profile:
            cmd[1:3] = ["-m", "cProfile", "-o", str(args.profile), "-m", "cyberaudit"]
        for run in range(1, args.runs + 1):
            if run > 1 and args.next_month:
                next_month(repo, args.changed, not args.small)
            measure(cmd, out, run)


def measure(cmd: list[str], out: Path, run: int) -> None:
    """One aggregate run in a child process: wall and CPU time (user + system, the pool's workers and git
    included), peak memory (largest process), load average."""
    import json
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        print(proc.stderr)
        raise SystemExit(proc.returncode)
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    peak = after.ru_maxrss // 1024
    data = json.loads((out / "barometre.json").read_text())
    sizes = ", ".join(f"{p.suffix[1:]} {p.stat().st_size // 1024} KiB" for p in sorted(out.iterdir()) if p.is_file())
    print(f"run {run}: cyberaudit aggregate (html,md,json,csv): wall {elapsed:.2f} s (target < 10 s on 2 cores), "
          f"CPU {user + system:.2f} s (user {user:.2f} + sys {system:.2f}; CPU/wall {(user + system) / elapsed:.2f}), "
          f"peak memory {peak} MB; load average before {load[0]:.1f}, after {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs; counted {data['counted']}, trend months {len(data['trend'])}")
    print(f"outputs: {sizes}")


if __name__ == "__main__":
    main()
