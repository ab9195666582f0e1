"""DNS + mail scan benchmark: cyberaudit vs checkdmarc on the same knot lab (loopback only).

    python benchmarks/bench_dns.py [--domains 10000] [--compare 200] [--repeat 3] [--venv /tmp/bench-venv]
        [--baseline DIR] [--address 127.53.250.1]

(`--compare 0`: the big run only, no checkdmarc; with CYBERAUDIT_LAB_OFFSET=N the default address is
127.53.N.251, so runs with different offsets never meet.)

Generates N zones in a real knot (2 NS on two loopback addresses, 2 MX, SPF with 3 nested
includes, DMARC, TLS-RPT, a DKIM key; every 4th zone and the top zone `lab.` are DNSSEC-signed
by knot, `lab.` being the trust anchor), installs checkdmarc into a separate virtualenv, then measures, in
one run, wall time and peak memory (RSS summed over the process tree) of:

  1. `cyberaudit scan --checks dns,mail` on the first --compare domains
  2. `checkdmarc -n <knot>` on the same domains (it does fewer checks: no NS/AXFR/CAA/CNAME/
     IPv6 probing, no chain-of-trust validation)
  3. `cyberaudit scan --checks dns,mail` on all --domains domains

Each child's CPU time (user+sys, from wait4) is printed beside its wall time, with the load average,
since the machine may be shared. With --baseline DIR (another checkout, e.g. `git archive main`), (1) and
(3) also run from DIR, interleaved, and the findings of the two trees are compared (status and evidence
of every (target, ID)): a speed-up must not change a verdict.
Targets (issue 13): (3) 10,000 domains in < 60 s on 2 cores, peak memory < 500 MB; the scan JSON of (1)
at most 5 KB per domain. (Issue 3: (1) >= 3x faster than (2).)
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


def measure(cmd: list[str], stdout_path: Path, tree: Path | None = None) -> tuple[float, tuple[float, float], float]:
    """(wall s, (peak RSS MB, peak PSS MB), CPU user+sys s of the process tree) of one command."""
    env = {**os.environ, "PYTHONPATH": str(tree)} if tree else None
    with open(stdout_path, "wb") as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=tree)
        rss = PeakRss(proc.pid)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        mem = rss.stop()
        if code not in (0, 1) or (code == 1 and stdout_path.stat().st_size == 0):  # 1 = failures found; empty = broken
            err.seek(0)
            print(f"  ! exit {code}: {err.read().decode(errors='replace')[-500:]}")
    return wall, mem, ru.ru_utime + ru.ru_stime


def ensure_checkdmarc(venv: Path) -> Path:
    exe = venv / "bin" / "checkdmarc"
    if not exe.exists():
        print(f"installing checkdmarc into {venv} ...")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "checkdmarc"], check=True)
    return exe


def default_address() -> str:
    """127.53.250.1; with CYBERAUDIT_LAB_OFFSET=N (one value per concurrent run) 127.53.N.251, which no lab
    test uses (tests/lab/util.py gives fourth octets up to 250), so parallel runs never share a port 53."""
    offset = os.environ.get("CYBERAUDIT_LAB_OFFSET")
    return f"127.53.{int(offset) % 256}.251" if offset else "127.53.250.1"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--domains", type=int, default=10000)
    ap.add_argument("--compare", type=int, default=200)
    ap.add_argument("--venv", default="/tmp/bench-venv")
    ap.add_argument("--address", default=default_address())
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline", type=Path, help="another checkout to run (1) and (3) from too, interleaved")
    args = ap.parse_args()
    checkdmarc = ensure_checkdmarc(Path(args.venv))
    version = subprocess.run([str(checkdmarc), "--version"], capture_output=True, text=True).stdout.strip()
    work = Path(tempfile.mkdtemp(prefix="bench-dns-"))
    ns2 = args.address.replace("127.53.", "127.153.")
    lab = KnotLab(work / "knot", args.address, extra_addresses=(ns2,))
    names = [f"commune{i:05d}.lab" for i in range(args.domains)]
    lab.add_zone("lab.", "", signed=True)
    for i, n in enumerate(names):  # every 4th zone DNSSEC-signed by knot (DS in lab.)
        lab.add_zone(n, zone_text(n, args.address, ns2), signed=i % 4 == 0)
    t0 = time.perf_counter()
    lab.start(timeout=600)
    print(f"knot: {len(names)} zones loaded in {time.perf_counter() - t0:.1f} s on {args.address}")
    anchor = work / "anchor.txt"
    anchor.write_text(lab.trust_anchor())
    trees = {"ours": ROOT, **({"base": args.baseline.resolve()} if args.baseline else {})}
    for tree in trees.values():  # byte-compiled, as `pip install` leaves it (PYTHONDONTWRITEBYTECODE may be set)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "cyberaudit")], check=True,
                       stdout=subprocess.DEVNULL)
    try:
        subset = names[:args.compare]
        scan = [sys.executable, "-m", "cyberaudit", "scan", "--nameserver", lab.nameserver, "--checks", "dns,mail",
                "--format", "json", "--timeout", "2", "--trust-anchor", str(anchor)]
        cd = [str(checkdmarc), "-n", args.address, "-f", "json"]
        runs: dict[str, list] = {}
        for r in range(args.repeat):  # interleaved, so background load hits every command alike
            line = []
            for label, tree in trees.items() if subset else ():  # --compare 0: the big run only
                runs.setdefault(f"{label}-small", []).append(measure(scan + subset, work / f"{label}-small.json", tree))
                line.append(f"{label} x{len(subset)} {runs[f'{label}-small'][-1][0]:.2f} s")
            if subset:
                runs.setdefault("cd", []).append(measure(cd + subset, work / "cd-small.json"))
                line.append(f"checkdmarc x{len(subset)} {runs['cd'][-1][0]:.2f} s")
            for label, tree in trees.items():
                runs.setdefault(f"{label}-big", []).append(measure(scan + names, work / f"{label}-big.json", tree))
                line.append(f"{label} x{len(names)} {runs[f'{label}-big'][-1][0]:.2f} s")
            print(f"  run {r + 1}: " + ", ".join(line) + f" (load avg {os.getloadavg()[0]:.1f})")
        load = os.getloadavg()
        med = {k: statistics.median(m[0] for m in v) for k, v in runs.items()}
        best = {k: min(m[0] for m in v) for k, v in runs.items()}
        if subset:
            print(f"\n== {len(subset)} domains, same server (best / median of {args.repeat}; load avg "
                  f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; {os.cpu_count()} CPUs) ==")
            for label in trees:
                report(f"cyberaudit {label} (dns+mail)", runs[f"{label}-small"], work / f"{label}-small.json")
            report(f"checkdmarc {version}", runs["cd"], None)
            print(f"speed-up vs checkdmarc: {best['cd'] / best['ours-small']:.1f}x best, "
                  f"{med['cd'] / med['ours-small']:.1f}x median")
        else:
            print(f"\n(load avg {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; {os.cpu_count()} CPUs)")
        print(f"\n== {len(names)} domains (target < 60 s, < 500 MB peak) ==")
        for label in trees:
            report(f"cyberaudit {label} (dns+mail)", runs[f"{label}-big"], work / f"{label}-big.json")
        print(f"cyberaudit: {len(names) / med['ours-big']:.0f} domains/s median" + (
            f"; checkdmarc at its pace on {len(subset)} domains would take "
            f"{med['cd'] / len(subset) * len(names):.0f} s for {len(names)}" if subset else ""))
        if args.baseline:
            for size in ("small", "big") if subset else ("big",):
                same(work / f"ours-{size}.json", work / f"base-{size}.json", size)
    finally:
        lab.stop()
    return 0


def report(label: str, measured: list, path: Path | None) -> None:
    walls, cpus = [m[0] for m in measured], [m[2] for m in measured]
    rss, pss = max(m[1][0] for m in measured), max(m[1][1] for m in measured)
    print(f"{label:<30} wall {min(walls):6.2f} / {statistics.median(walls):6.2f} s  CPU {min(cpus):6.2f} / "
          f"{statistics.median(cpus):6.2f} s  peak RSS {rss:6.1f} MB, PSS {pss:6.1f} MB")
    if path is not None:
        _count(path)


def verdicts(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    doc = json.loads(path.read_text())
    return {(f.get("target", r["target"]), f["id"]): (f["status"], json.dumps(f.get("evidence"), sort_keys=True))
            for r in doc["results"] for f in r["findings"]}


def same(ours: Path, base: Path, label: str) -> None:
    a, b = verdicts(ours), verdicts(base)
    diff = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    print(f"findings of the {label} run, ours vs baseline: {len(a)} vs {len(b)}, {len(diff)} differ "
          f"(status or evidence)")
    for k in diff[:10]:
        print(f"  {k}: ours={a.get(k)} base={b.get(k)}")


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
    print(f"  {len(doc['results'])} domains, statuses: {dict(sorted(statuses.items()))}; JSON {size / 1024:.0f} KiB, "
          f"{per:.0f} bytes = {per / 1000:.2f} KB per domain (target <= 5 KB)")
    return sum(statuses.values())


if __name__ == "__main__":
    sys.exit(main())
