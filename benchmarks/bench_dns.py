"""DNS + mail scan benchmark: cyberaudit vs checkdmarc on the same knot lab (loopback only).

    python benchmarks/bench_dns.py [--domains 1000] [--compare 200] [--venv /tmp/bench-venv]

Generates N zones in a real knot (2 NS on two loopback addresses, 2 MX, SPF with 3 nested
includes, DMARC, TLS-RPT, a DKIM key; every 4th zone and the top zone `lab.` are DNSSEC-signed
by knot, `lab.` being the trust anchor), installs checkdmarc into a separate virtualenv, then measures, in
one run, wall time and peak memory (RSS summed over the process tree) of:

  1. `cyberaudit scan --checks dns,mail` on the first --compare domains
  2. `checkdmarc -n <knot>` on the same domains (it does fewer checks: no NS/AXFR/CAA/CNAME/
     IPv6 probing, no chain-of-trust validation)
  3. `cyberaudit scan --checks dns,mail` on all --domains domains

Targets (issue 3): (1) >= 3x faster than (2); (3) < 20 s on 2 cores; peak memory < 300 MB.
MX and NS addresses are loopback addresses; nothing leaves 127.0.0.0/8.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.lab.knot import KnotLab  # noqa: E402

DKIM = ("MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh"
        "5ijSYtj2/1n0nC2RQGjM8oImSkhqnl3SSs4J++8mbDzK+C2QdvXaG3r4fd2J7S1L9kJ2H1gpf8TBvJqyeRtx8rcPeLeXOOh1Oz1XtdsQIDAQAB")


def zone_text(name: str, ns1: str, ns2: str) -> str:
    return f"""
@ NS ns1
@ NS ns2
ns1 A {ns1}
ns2 A {ns2}
@ MX 10 mx1
@ MX 20 mx2
mx1 A 127.0.0.25
mx2 A 127.0.0.26
@ A 127.0.0.80
www CNAME @
@ TXT "v=spf1 mx include:_spf1.{name} -all"
_spf1 TXT "v=spf1 ip4:192.0.2.0/24 include:_spf2.{name} -all"
_spf2 TXT "v=spf1 ip4:198.51.100.0/24 include:_spf3.{name} -all"
_spf3 TXT "v=spf1 ip4:203.0.113.0/24 -all"
_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@{name}"
_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@{name}"
selector1._domainkey TXT "v=DKIM1; k=rsa; p={DKIM}"
"""


class PeakRss:
    """Peak memory of a process tree every 50 ms: RSS summed, and PSS summed (shared pages split)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_rss, self.peak_pss, self._stop = pid, 0, 0, False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _tree(self) -> list[int]:
        out, todo = [], [self.pid]
        while todo:
            p = todo.pop()
            out.append(p)
            try:
                for task in os.listdir(f"/proc/{p}/task"):
                    todo.extend(int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split())
            except OSError:
                pass
        return out

    def _run(self) -> None:
        while not self._stop:
            rss = pss = 0
            for p in self._tree():
                try:
                    for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                        if line.startswith("Rss:"):
                            rss += int(line.split()[1]) * 1024
                        elif line.startswith("Pss:"):
                            pss += int(line.split()[1]) * 1024
                except OSError:
                    pass
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            time.sleep(0.05)

    def stop(self) -> tuple[float, float]:
        self._stop = True
        self.thread.join()
        return self.peak_rss / 2**20, self.peak_pss / 2**20


def measure(cmd: list[str], stdout_path: Path) -> tuple[float, tuple[float, float], int]:
    with open(stdout_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
        rss = PeakRss(proc.pid)
        _, err = proc.communicate()
        wall = time.perf_counter() - start
    mem = rss.stop()
    if proc.returncode not in (0, 1):
        print(f"  ! exit {proc.returncode}: {err.decode(errors='replace')[-500:]}")
    return wall, mem, proc.returncode


def ensure_checkdmarc(venv: Path) -> Path:
    exe = venv / "bin" / "checkdmarc"
    if not exe.exists():
        print(f"installing checkdmarc into {venv} ...")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "checkdmarc"], check=True)
    return exe


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--domains", type=int, default=1000)
    ap.add_argument("--compare", type=int, default=200)
    ap.add_argument("--venv", default="/tmp/bench-venv")
    ap.add_argument("--address", default="127.53.250.1")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    checkdmarc = ensure_checkdmarc(Path(args.venv))
    version = subprocess.run([str(checkdmarc), "--version"], capture_output=True, text=True).stdout.strip()
    work = Path(tempfile.mkdtemp(prefix="bench-dns-"))
    ns2 = args.address.replace("127.53.", "127.153.")
    lab = KnotLab(work / "knot", args.address, extra_addresses=(ns2,))
    names = [f"commune{i:04d}.lab" for i in range(args.domains)]
    lab.add_zone("lab.", "", signed=True)
    for i, n in enumerate(names):  # every 4th zone DNSSEC-signed by knot (DS in lab.)
        lab.add_zone(n, zone_text(n, args.address, ns2), signed=i % 4 == 0)
    t0 = time.perf_counter()
    lab.start(timeout=120)
    print(f"knot: {len(names)} zones loaded in {time.perf_counter() - t0:.1f} s on {args.address}")
    anchor = work / "anchor.txt"
    anchor.write_text(lab.trust_anchor())
    try:
        subset = names[:args.compare]
        scan = [sys.executable, "-m", "cyberaudit", "scan", "--nameserver", lab.nameserver, "--checks", "dns,mail",
                "--format", "json", "--timeout", "2", "--trust-anchor", str(anchor)]
        cd = [str(checkdmarc), "-n", args.address, "-f", "json"]
        runs: dict[str, list] = {"ca": [], "cd": [], "big": []}
        for r in range(args.repeat):  # interleaved, so background load hits both tools alike
            runs["ca"].append(measure(scan + subset, work / "ca200.json"))
            runs["cd"].append(measure(cd + subset, work / "cd200.json"))
            runs["big"].append(measure(scan + names, work / "ca1000.json"))
            print(f"  run {r + 1}: cyberaudit {runs['ca'][-1][0]:.2f} s, checkdmarc {runs['cd'][-1][0]:.2f} s, "
                  f"cyberaudit x{len(names)} {runs['big'][-1][0]:.2f} s")
        best = {k: min(v, key=lambda m: m[0]) for k, v in runs.items()}
        med = {k: statistics.median(m[0] for m in v) for k, v in runs.items()}
        mem = {k: (max(m[1][0] for m in v), max(m[1][1] for m in v)) for k, v in runs.items()}
        load = os.getloadavg()[0]
        print(f"\n== {len(subset)} domains, same server (best / median of {args.repeat}; load avg {load:.1f}) ==")
        n1 = _count(work / "ca200.json")
        print(f"cyberaudit scan (dns+mail): {best['ca'][0]:6.2f} / {med['ca']:6.2f} s  peak RSS {mem['ca'][0]:6.1f} MB, "
              f"PSS {mem['ca'][1]:6.1f} MB  {n1} findings")
        print(f"checkdmarc {version:>8}:      {best['cd'][0]:6.2f} / {med['cd']:6.2f} s  peak RSS {mem['cd'][0]:6.1f} MB, "
              f"PSS {mem['cd'][1]:6.1f} MB")
        print(f"speed-up: {best['cd'][0] / best['ca'][0]:.1f}x best, {med['cd'] / med['ca']:.1f}x median (target >= 3x)")
        print(f"\n== {len(names)} domains ==")
        n3 = _count(work / "ca1000.json")
        print(f"cyberaudit scan (dns+mail): {best['big'][0]:6.2f} / {med['big']:6.2f} s  peak RSS {mem['big'][0]:6.1f} MB, "
              f"PSS {mem['big'][1]:6.1f} MB  {n3} findings ({len(names) / med['big']:.0f} domains/s median; "
              f"target < 20 s, < 300 MB)")
    finally:
        lab.stop()
    return 0


def _count(path: Path) -> int:
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError):
        return -1
    statuses: dict[str, int] = {}
    for r in doc["results"]:
        for f in r["findings"]:
            statuses[f["status"]] = statuses.get(f["status"], 0) + 1
    size = path.stat().st_size
    per = size / max(1, len(doc["results"]))
    print(f"  statuses: {dict(sorted(statuses.items()))}; JSON {size / 1024:.0f} KiB, "
          f"{per / 1024:.1f} KiB per domain (target <= 5 KB)")
    return sum(statuses.values())


if __name__ == "__main__":
    sys.exit(main())
