"""`cyberaudit scan --territory` over 200 lab domains (DNS + mail + TLS), one domain per member.

Target (issue 9): under 2 minutes on 2 cores, peak memory under 400 MB.
Run (needs knot and nginx, as root for ports 53/443 on loopback):
    python benchmarks/bench_territory_scan.py [--members 200] [--shards 1]

The lab is the test lab (tests/lab/knot.py, tests/lab/nginx.py): one knot serving a zone per
member (MX, SPF, DMARC, A record of the web server), one nginx with an HTTPS virtual host for
every domain (one certificate of the lab CA for all names), all on loopback addresses.
"""

from __future__ import annotations

import argparse
import json
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def free_address(area: str) -> str:
    from tests.lab.util import lab_address

    for _ in range(100):
        ip = lab_address(area)
        try:
            for port in (53, 443, 80):
                with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                    s.bind((ip, port))
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                u.bind((ip, 53))
        except OSError:
            continue
        return ip
    raise RuntimeError("no free loopback address")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=200)
    ap.add_argument("--shards", type=int, default=1, help="run the N shards one after the other (as N CI jobs)")
    ap.add_argument("--concurrency", type=int, default=64)
    args = ap.parse_args()

    from cyberaudit.disk.workspace import Workspace, save_organisation
    from cyberaudit.model import DomainAsset
    from cyberaudit.territory import synthetic
    from cyberaudit.territory.create import create_territory
    from tests.lab.knot import KnotLab
    from tests.lab.nginx import NginxLab
    from tests.lab.pki import TestCA

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        dns_ip, web_ip = free_address("territory"), free_address("territory")
        domains = [f"commune{i:03d}.lab" for i in range(args.members)]
        knot = KnotLab(tmp / "knot", dns_ip)
        knot.add_zone("lab.", "")
        for i, d in enumerate(domains):
            policy = ("reject", "quarantine", "none")[i % 3]
            knot.add_zone(d + ".", f"""
                @    A {web_ip}
                www  A {web_ip}
                @    MX 10 mail
                mail A {web_ip}
                @    TXT "v=spf1 mx -all"
                _dmarc TXT "v=DMARC1; p={policy}"
            """)
        ca = TestCA()
        names = [n for d in domains for n in (d, "www." + d)]
        files = ca.issue(names).write(tmp / "cert")
        bundle = ca.write_bundle(tmp / "ca.pem")
        nginx = NginxLab(tmp / "nginx")
        nginx.add_vhost(names, web_ip, cert=files.fullchain, key=files.key,
                        headers={"Strict-Transport-Security": "max-age=31536000"},
                        root_files={"index.html": "<h1>Mairie</h1>"})
        members = [{"siren": synthetic.siren(9000 + i), "name": f"Commune {i:03d}", "kind": "commune"}
                   for i in range(args.members)]
        root = create_territory(tmp / "territoire", "Pays du banc d'essai", members)
        for m, d in zip(members, domains, strict=True):
            ws = Workspace(root / "membres" / m["siren"])
            org = ws.load_organisation()
            org.inventory.domains = [DomainAsset(name=d, scope=["dns", "tls"])]
            save_organisation(ws, org)
        knot.start(timeout=120)
        nginx.start()
        print(f"lab ready in {time.perf_counter() - t0:.1f} s: knot {dns_ip} ({len(domains)} zones), "
              f"nginx {web_ip} ({len(names)} names)")
        try:
            total = 0.0
            statuses: dict[str, int] = {}
            counts: dict[str, int] = {}
            for index in range(1, args.shards + 1):
                cmd = [sys.executable, "-m", "cyberaudit", "scan", "--territory", str(root), "--nameserver",
                       knot.nameserver, "--ca-bundle", str(bundle), "--checks", "dns,mail,tls",
                       "--concurrency", str(args.concurrency), "--format", "json"]
                if args.shards > 1:
                    cmd += ["--shard", f"{index}/{args.shards}"]
                t1 = time.perf_counter()
                proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
                elapsed = time.perf_counter() - t1
                total += elapsed
                if proc.returncode not in (0, 1):
                    print(proc.stderr[-2000:])
                    raise SystemExit(proc.returncode)
                summary = json.loads(proc.stdout)
                for m in summary["members"]:
                    statuses[m["status"]] = statuses.get(m["status"], 0) + 1
                    for k, v in m["counts"].items():
                        counts[k] = counts.get(k, 0) + v
                print(f"shard {index}/{args.shards}: {elapsed:.1f} s")
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"cyberaudit scan --territory ({args.members} members, dns+mail+tls): {total:.1f} s "
                  f"(target < 120 s), peak RSS {peak:.0f} MB (target < 400 MB)")
            print(f"members: {statuses}; findings: {dict(sorted(counts.items()))}")
            reasons: dict[str, int] = {}
            for m in members:
                saved = json.loads((root / "membres" / m["siren"] / "scans" / "latest.json").read_text())
                for r in saved["results"]:
                    for f in r["findings"]:
                        if f["status"] == "error":
                            key = f"{f['id']}: {str(f.get('evidence', {}).get('reason', ''))[:60]}"
                            reasons[key] = reasons.get(key, 0) + 1
            print("not tested (check: reason -> members):")
            for key, n in sorted(reasons.items(), key=lambda kv: -kv[1]):
                print(f"  {n:4d}  {key}")
        finally:
            nginx.stop()
            knot.stop()


if __name__ == "__main__":
    main()
