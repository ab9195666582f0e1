"""What saving observations costs, and what re-judging them costs (loopback knot lab only).

    python benchmarks/bench_observations.py [--domains 1000] [--address 127.53.251.1]

Generates N zones in a real knot (the zones of bench_dns.py), then measures, as whole processes: wall
time, CPU time (user + sys of the process tree) and peak memory (RSS summed over the tree) of

  1. `cyberaudit scan DOMAINS --checks dns,mail --format json` (no workspace: nothing saved)
  2. `cyberaudit scan --workspace W --checks dns,mail` (saves scans/latest.json and scans/observations.jsonl)
  3. `cyberaudit scan --rejudge --workspace W` (offline: judges the saved observations again)

and prints the size of both files per domain. The load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_dns import measure, zone_text  # noqa: E402
from cyberaudit.disk.workspace import LATEST_SCAN, OBSERVATIONS, create  # noqa: E402
from cyberaudit.model import DomainAsset, Inventory, Organisation  # noqa: E402
from tests.lab.knot import KnotLab  # noqa: E402


def timed(cmd: list[str], out: Path) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MB) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, (rss, _pss), code = measure(cmd, out)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if code not in (0, 1):
        raise SystemExit(f"exit {code}: {' '.join(cmd[:6])} ...")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), rss


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--domains", type=int, default=1000)
    ap.add_argument("--address", default="127.53.251.1")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-obs-"))
    ns2 = args.address.replace("127.53.", "127.153.")
    lab = KnotLab(work / "knot", args.address, extra_addresses=(ns2,))
    names = [f"commune{i:04d}.lab" for i in range(args.domains)]
    lab.add_zone("lab.", "", signed=True)
    for i, n in enumerate(names):
        lab.add_zone(n, zone_text(n, args.address, ns2), signed=i % 4 == 0)
    lab.start(timeout=180)
    anchor = work / "anchor.txt"
    anchor.write_text(lab.trust_anchor())
    org = Organisation(name="Territoire de banc d'essai", siren="213105554", kind="commune",
                       inventory=Inventory(domains=[DomainAsset(name=n, scope=["dns"]) for n in names]))
    ws = create(work / "ws", org)
    common = ["--nameserver", lab.nameserver, "--checks", "dns,mail", "--timeout", "2", "--trust-anchor", str(anchor)]
    cli = [sys.executable, "-m", "cyberaudit", "scan"]
    try:
        plain = timed([*cli, *names, *common, "--format", "json"], work / "plain.json")
        saved = timed([*cli, "--workspace", str(ws.root), *common, "--format", "json"], work / "ws.json")
        again = timed([*cli, "--rejudge", "--workspace", str(ws.root), "--format", "json"], work / "rejudge.json")
    finally:
        lab.stop()
    load = os.getloadavg()
    print(f"== {len(names)} domains, dns+mail (load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}, "
          f"{os.cpu_count()} cores) ==")
    for label, (wall, cpu, rss) in (("scan, nothing saved", plain), ("scan --workspace (both files)", saved),
                                    ("scan --rejudge (offline)", again)):
        print(f"{label:32s} wall {wall:6.2f} s  CPU {cpu:6.2f} s  peak RSS {rss:6.1f} MB")
    for rel in (LATEST_SCAN, OBSERVATIONS):
        size = ws.path(rel).stat().st_size
        print(f"{rel:28s} {size / 2**20:6.2f} MiB, {size / len(names) / 1024:.2f} KiB per domain")
    import json

    strip = [{**json.loads((work / f).read_text()), "options": None} for f in ("ws.json", "rejudge.json")]
    print(f"rejudge gives the scan's findings again: {strip[0] == strip[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
