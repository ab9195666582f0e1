"""Privacy family: N collectivité sites scanned in real headless Chromium (default 50).

    CYBERAUDIT_LAB_OFFSET=18 python benchmarks/bench_privacy.py [--sites 50] [--pages 4]

Brings up the privacy lab (tests/lab/privacy_lab.py: nginx sites on loopback, third-party stand-ins under
their real names, knot) with N sites cycling through the lab's scenarios (tarteaucitron, leaky Axeptio,
Didomi without refusal, Cookiebot, OneTrust, Sirdata, generic banner, Piano exempt, no banner, plus
dialogs and navigation away), then runs the real CLI:
`cyberaudit scan NAMES --checks privacy --nameserver KNOT --ca-bundle CA --format json`.
While it runs, the memory of the whole process tree (cyberaudit, its workers, every Chromium process)
is sampled every 0.2 s from /proc: PSS (shared pages counted once) and RSS. Prints wall time, peak
memory, and the verdict counts, against the targets: 50 sites < 60 s on 2 cores, peak < 1.5 GB.
Loopback only.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.lab.pki import TestCA  # noqa: E402
from tests.lab.privacy_lab import PrivacyLab  # noqa: E402
from tests.lab.privacy_sites import SITES  # noqa: E402

SCENARIOS = ["conforme", "fuite", "sans-refus", "cookiebot", "onetrust", "sirdata", "generique", "piano",
             "sans-bandeau", "alerte", "ailleurs"]


def tree(pid: int) -> list[int]:
    """pid and all its descendants (from /proc/*/stat parent links)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def kind(pid: int) -> str:
    """What a process of the tree is: python, or chromium and its --type (Chromium rewrites its argv into
    one space-separated string, so the arguments are split on spaces too)."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").split()
    except OSError:
        return "?"
    if not args:
        return "?"
    types = [a[7:] for a in args if a.startswith("--type=")]
    if types or "chrom" in args[0]:
        sub = next((a.split(".")[-1] for a in args if a.startswith("--utility-sub-type=")), "")
        return f"chromium:{types[0] if types else 'browser'}{':' + sub if sub else ''}"
    return Path(args[0]).name


def cpu_ticks(pids: list[int], seen: dict[int, tuple[int, str]]) -> None:
    """Remember each process's utime + stime (clock ticks): the last value seen is its total so far."""
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks = int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
        old = seen.get(p)
        seen[p] = (max(old[0] if old else 0, ticks), old[1] if old else kind(p))


def memory(pids: list[int]) -> tuple[int, int]:
    """(PSS, RSS) in bytes summed over pids."""
    pss = rss = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
                elif line.startswith("Rss:"):
                    rss += int(line.split()[1]) * 1024
        except OSError:
            continue
    return pss, rss


def findings_of(data: dict) -> dict[str, list]:
    """Per target: its findings (id, status, evidence) without timings, sorted: equal between equal runs."""
    out: dict[str, list] = {}
    for r in data["results"]:
        rows = [{"id": f["id"], "status": f["status"], "target": f.get("target"), "evidence": f.get("evidence")}
                for f in r["findings"]]
        out[r.get("target") or r.get("name") or "?"] = sorted(rows, key=lambda x: json.dumps(x, sort_keys=True))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=50)
    ap.add_argument("--pages", type=int, default=4)
    ap.add_argument("--save", type=Path, help="write the scan's findings (JSON) here, to compare runs")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-privacy-"))
    ca = TestCA("Bench")
    bundle = ca.write_bundle(tmp / "ca.pem")
    sites = {f"s{i:03d}-{SCENARIOS[i % len(SCENARIOS)]}": SITES[SCENARIOS[i % len(SCENARIOS)]]
             for i in range(args.sites)}
    lab = PrivacyLab(tmp, ca, bundle, sites).start()
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "CYBERAUDIT_BROWSER_PAGES": str(args.pages)}
        cmd = [sys.executable, "-m", "cyberaudit", "scan", *lab.names(), "--checks", "privacy",
               "--nameserver", lab.knot.nameserver, "--ca-bundle", str(bundle), "--format", "json"]
        peak = [0, 0]
        load0 = os.getloadavg()[0]
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        done = threading.Event()

        ticks: dict[int, tuple[int, str]] = {}

        def sample() -> None:
            while not done.is_set():
                pids = tree(proc.pid)
                cpu_ticks(pids, ticks)
                pss, rss = memory(pids)
                peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)
                time.sleep(0.2)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out, err = proc.communicate(timeout=600)
        wall = time.monotonic() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        done.set()
        th.join()
        if proc.returncode not in (0, 1):
            print(err.decode()[-3000:])
            raise SystemExit(f"scan failed with exit code {proc.returncode}")
        data = json.loads(out)
        if args.save:
            args.save.write_text(json.dumps(findings_of(data), indent=1, sort_keys=True), "utf-8")
        counts: dict[str, int] = {}
        loaded = 0
        for r in data["results"]:
            for f in r["findings"]:
                counts[f["status"]] = counts.get(f["status"], 0) + 1
                loaded += f["id"] == "privacy.page.loaded" and f["status"] == "pass"
        print(f"sites: {args.sites}, pages per browser: {args.pages}, cores: {os.cpu_count()}")
        print(f"wall time: {wall:.1f} s (target < 60 s for 50 sites) -> {'OK' if wall < 60 else 'MISSED'}")
        print(f"peak memory of the process tree: PSS {peak[0] / 2**20:.0f} MiB, RSS {peak[1] / 2**20:.0f} MiB "
              f"(target < 1.5 GB) -> {'OK' if peak[0] < 1.5e9 else 'MISSED'}")
        hz = os.sysconf("SC_CLK_TCK")
        sampled = sum(t for t, _ in ticks.values()) / hz
        by_kind: dict[str, float] = {}
        n_kind: dict[str, int] = {}
        for t, k in ticks.values():
            by_kind[k] = by_kind.get(k, 0) + t / hz
            n_kind[k] = n_kind.get(k, 0) + 1
        cpu = max(cpu, sampled)  # rusage misses processes reaped by others; sampling misses the last 0.2 s
        print(f"CPU time of the whole tree: {cpu:.1f} s (an idle 2-core machine needs at least {cpu / 2:.1f} s)")
        print("  by process: " + ", ".join(f"{k} ×{n_kind[k]} {v:.1f} s" for k, v in sorted(by_kind.items(), key=lambda x: -x[1])))
        print(f"pages loaded: {loaded}/{args.sites}; verdicts: {dict(sorted(counts.items()))}")
        print(f"load average before / at the end: {load0:.1f} / {os.getloadavg()[0]:.1f} (other processes share the cores)")
    finally:
        lab.stop()


if __name__ == "__main__":
    main()
