"""TLS + web checks: cyberaudit vs sslyze vs testssl.sh on the same loopback nginx vhosts.

    python benchmarks/bench_tls.py [--hosts 200] [--sslyze-hosts 200] [--testssl-hosts 3]

Brings up N nginx vhosts (one loopback address each, 127.144.x.y) and a knot serving their names, with
six profiles in turn: modern (TLS 1.2+1.3, AEAD, HSTS), legacy (TLS 1.0-1.2, RSA-kex CBC suites), expired,
self-signed, name mismatch, missing intermediate. Then, one after the other on the same hosts:
  * cyberaudit: `cyberaudit scan NAMES --checks tls,web --nameserver KNOT --ca-bundle CA --format json`;
  * sslyze 6.3.1 (pip-installed in its own virtualenv under ~/.cache/cyberaudit-bench/): `--sslv3 --tlsv1
    --tlsv1_1 --tlsv1_2 --tlsv1_3 --certinfo --certinfo_ca_file CA --http_headers --mozilla_config disable`;
  * Debian's testssl on the first K hosts: `testssl -p -s -f -S -h --ip ADDR --add-ca CA https://NAME`.
Prints wall time, per-host time, CPU, peak RSS, ratios against the targets (>= 5x sslyze, >= 100x
testssl per host, 200 hosts < 30 s, < 300 MB), and every disagreement on protocols, weak suite classes
and certificate problems. Loopback only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cyberaudit.probes.tlsscan.classes import classes_of  # noqa: E402
from tests.lab.knot import KnotLab  # noqa: E402
from tests.lab.nginx import NginxLab  # noqa: E402
from tests.lab.pki import TestCA, self_signed  # noqa: E402

VENV = Path.home() / ".cache" / "cyberaudit-bench" / "sslyze-venv"
PROFILES = ("modern", "legacy", "expired", "selfsigned", "mismatch", "nochain")
MODERN = "ECDHE+AESGCM:ECDHE+CHACHA20"
HEADERS = {"Strict-Transport-Security": "max-age=31536000", "X-Content-Type-Options": "nosniff",
           "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'", "Referrer-Policy": "no-referrer"}
VERSIONS = ("SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")


def address(i: int) -> str:
    return f"127.144.{i // 250}.{i % 250 + 1}"


def build_lab(n: int, tmp: Path) -> tuple[NginxLab, KnotLab, Path, list[tuple[str, str, str]]]:
    ca = TestCA("Bench")
    bundle = ca.write_bundle(tmp / "ca.pem")
    nginx = NginxLab(tmp / "nginx", workers=2)
    hosts, zone = [], []
    for i in range(n):
        prof, name, addr = PROFILES[i % len(PROFILES)], f"h{i}.bench.lab", address(i)
        kw: dict = {"ciphers": MODERN, "headers": HEADERS}
        full = True
        if prof == "legacy":
            leaf = ca.issue([name], key="rsa")
            kw.update(protocols="TLSv1 TLSv1.1 TLSv1.2", ciphers="AES128-SHA:AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256"
                      ":@SECLEVEL=0")
        elif prof == "expired":
            leaf = ca.issue([name], expired=True)
        elif prof == "selfsigned":
            leaf = self_signed([name])
        elif prof == "mismatch":
            leaf = ca.issue([f"other{i}.bench.lab"])
        else:
            leaf = ca.issue([name])
            full = prof != "nochain"
        files = leaf.write(tmp / "certs" / name)
        nginx.add_vhost(name, addr, cert=files.fullchain if full else files.cert, key=files.key, **kw)
        zone.append(f"h{i} A {addr}")
        hosts.append((name, addr, prof))
    knot = KnotLab(tmp / "knot", "127.144.250.1")
    knot.add_zone("bench.lab.", "\n".join(zone))
    return nginx, knot, bundle, hosts


def run_measured(cmd: list[str]) -> tuple[float, float, int, bytes]:
    """(wall s, CPU s, peak RSS MB, stdout) of one child, with its own rusage (wait4)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        _, _, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = 0
        out.seek(0)
        data = out.read()
    return wall, ru.ru_utime + ru.ru_stime, int(ru.ru_maxrss / 1024), data


# ---------------------------------------------------------------------------------------------- verdicts
def ours_verdicts(data: bytes) -> dict[str, dict]:
    scan = json.loads(data)
    out: dict[str, dict] = {}
    for res in scan["results"]:
        for f in res["findings"]:
            v = out.setdefault(f.get("target", res["target"]), {"protocols": set(), "weak": set(), "cert": set()})
            ev = f.get("evidence") or {}
            if f["id"] == "tls.protocol.modern":
                v["protocols"] = {p for p, s in ev.get("protocols", {}).items() if s == "accepted"}
            elif f["id"] == "tls.cipher.weak":
                v["weak"] = set(ev.get("accepted", {}))
            elif f["id"] == "tls.cert.trusted" and f["status"] == "fail":
                v["cert"].add("untrusted")
            elif f["id"] == "tls.cert.expiry" and f["status"] == "fail" and ev.get("days_left", 0) < 0:
                v["cert"].add("expired")
            elif f["id"] == "tls.cert.hostname" and f["status"] == "fail":
                v["cert"].add("hostname")
    return out


def sslyze_verdicts(path: Path) -> dict[str, dict]:
    data = json.loads(path.read_text())
    keys = {"ssl_3_0_cipher_suites": "SSLv3", "tls_1_0_cipher_suites": "TLSv1.0", "tls_1_1_cipher_suites": "TLSv1.1",
            "tls_1_2_cipher_suites": "TLSv1.2", "tls_1_3_cipher_suites": "TLSv1.3"}
    out = {}
    for srv in data.get("server_scan_results", []):
        name = srv["server_location"]["hostname"]
        res = srv.get("scan_result") or {}
        v = {"protocols": set(), "weak": set(), "cert": set()}
        for key, label in keys.items():
            accepted = ((res.get(key) or {}).get("result") or {}).get("accepted_cipher_suites") or []
            if accepted:
                v["protocols"].add(label)
            for suite in accepted:
                v["weak"] |= classes_of(suite["cipher_suite"]["name"])
        deps = (((res.get("certificate_info") or {}).get("result") or {}).get("certificate_deployments") or [])
        if deps:
            dep = deps[0]
            chain = dep.get("received_certificate_chain") or [{}]
            after = chain[0].get("not_valid_after", "")
            expired = bool(after) and after < time.strftime("%Y-%m-%dT%H:%M:%S")
            if expired:
                v["cert"].add("expired")
            results = dep.get("path_validation_results") or []
            errors = " ".join(str(r.get("validation_error") or "") for r in results)
            if not any(r.get("was_validation_successful") for r in results):
                # sslyze 6 validates with the host name: a name mismatch fails the path validation.
                if "subjectAltName" in errors:
                    v["cert"].add("hostname")
                elif not expired:
                    v["cert"].add("untrusted")
        out[name] = v
    return out


TESTSSL_PROTO = {"SSLv3": "SSLv3", "TLS1": "TLSv1.0", "TLS1_1": "TLSv1.1", "TLS1_2": "TLSv1.2", "TLS1_3": "TLSv1.3"}
TESTSSL_CLASS = {"cipherlist_NULL": "null", "cipherlist_aNULL": "anonymous", "cipherlist_EXPORT": "export",
                 "cipherlist_3DES_IDEA": "des", "cipherlist_AVERAGE": "cbc", "cipherlist_OBSOLETED": "cbc"}


def testssl_verdicts(path: Path) -> dict:
    items = json.loads(path.read_text() or "[]")
    items = items.get("scanResult", items) if isinstance(items, dict) else items
    v = {"protocols": set(), "weak": set(), "cert": set()}
    for it in items:
        fid, finding = it.get("id", ""), str(it.get("finding", ""))
        offered = "offered" in finding and "not offered" not in finding
        if fid in TESTSSL_PROTO and offered:
            v["protocols"].add(TESTSSL_PROTO[fid])
        elif fid in TESTSSL_CLASS and offered:
            v["weak"].add(TESTSSL_CLASS[fid])
        elif fid == "cert_expirationStatus" and "expired" in finding:
            v["cert"].add("expired")
        elif fid == "cert_chain_of_trust" and not finding.startswith("passed"):
            v["cert"].add("untrusted")
        elif fid == "cert_trust" and "does not match" in finding:
            v["cert"].add("hostname")
    if "expired" in v["cert"]:
        v["cert"].discard("untrusted")  # testssl's chain check also fails on expiry
    return v


def compare(label: str, ours: dict, theirs: dict, *, classes: set[str] | None = None) -> int:
    diffs = 0
    for name, tv in sorted(theirs.items()):
        ov = ours.get(name)
        if ov is None:
            print(f"  [{label}] {name}: missing from cyberaudit's results")
            diffs += 1
            continue
        for key in ("protocols", "weak", "cert"):
            a, b = ov[key], tv[key]
            if key == "weak" and classes is not None:
                a, b = a & classes, b & classes
            if a != b:
                diffs += 1
                print(f"  [{label}] {name} {key}: cyberaudit={sorted(a)} {label}={sorted(b)}")
    return diffs


def ensure_sslyze() -> Path:
    exe = VENV / "bin" / "sslyze"
    if not exe.exists():
        print(f"installing sslyze 6.3.1 into {VENV} (pip, PyPI)...")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", "sslyze==6.3.1"], check=True)
    return exe


def line(label: str, wall: float, cpu: float, rss: int, n: int) -> None:
    print(f"{label:<11} {n:>4} hosts  wall {wall:7.2f} s  per host {wall / n * 1000:8.1f} ms  "
          f"CPU {cpu:7.2f} s  peak RSS {rss:5d} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hosts", type=int, default=200)
    ap.add_argument("--sslyze-hosts", type=int, default=None, help="default: all hosts")
    ap.add_argument("--testssl-hosts", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=5.0)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-tls-"))
    nginx, knot, bundle, hosts = build_lab(args.hosts, tmp)
    try:
        knot.start()
        nginx.start(timeout=60)
        names = [h[0] for h in hosts]
        print(f"lab: {len(hosts)} nginx vhosts ({', '.join(PROFILES)} in turn), knot at {knot.nameserver}; "
              f"{os.cpu_count()} CPUs")
        ours_cmd = [sys.executable, "-m", "cyberaudit", "scan", *names, "--checks", "tls,web", "--nameserver",
                    knot.nameserver, "--ca-bundle", str(bundle), "--timeout", str(args.timeout), "--format", "json",
                    "--concurrency", "200"]
        wall, cpu, rss, data = run_measured(ours_cmd)
        line("cyberaudit", wall, cpu, rss, len(names))
        ours = ours_verdicts(data)
        one = run_measured([*ours_cmd[:4], names[0], *ours_cmd[4 + len(names):]])
        print(f"cyberaudit  1 host alone (with interpreter start-up): {one[0]:.2f} s")

        n_ss = min(args.sslyze_hosts or len(hosts), len(hosts))
        exe = ensure_sslyze()
        out = tmp / "sslyze.json"
        ss_cmd = [str(exe), "--sslv3", "--tlsv1", "--tlsv1_1", "--tlsv1_2", "--tlsv1_3", "--certinfo",
                  "--certinfo_ca_file", str(bundle), "--http_headers", "--mozilla_config", "disable", "--quiet",
                  "--json_out", str(out), *[f"{n}:443{{{a}}}" for n, a, _ in hosts[:n_ss]]]
        s_wall, s_cpu, s_rss, _ = run_measured(ss_cmd)
        line("sslyze", s_wall, s_cpu, s_rss, n_ss)
        theirs = sslyze_verdicts(out)
        ours_per_host = wall / len(names)
        print(f"speed vs sslyze: {(s_wall / n_ss) / ours_per_host:.1f}x per host (target >= 5x); "
              f"CPU {(s_cpu / n_ss) / (cpu / len(names)):.1f}x")
        diffs = compare("sslyze", ours, theirs)
        print(f"disagreements with sslyze: {diffs} (protocols, weak classes, certificate problems)")

        testssl = shutil.which("testssl") or shutil.which("testssl.sh")
        if testssl and args.testssl_hosts:
            t_diffs, t_walls = 0, []
            for name, addr, prof in hosts[:args.testssl_hosts]:
                jf = tmp / f"testssl-{name}.json"
                t_cmd = [testssl, "--quiet", "--color", "0", "--warnings", "off", "-p", "-s", "-f", "-S", "-h",
                         "--ip", addr, "--add-ca", str(bundle), "--jsonfile", str(jf), f"https://{name}"]
                t_wall, t_cpu, t_rss, _ = run_measured(t_cmd)
                t_walls.append(t_wall)
                line(f"testssl {prof}"[:11], t_wall, t_cpu, t_rss, 1)
                t_diffs += compare("testssl", ours, {name: testssl_verdicts(jf)},
                                   classes={"null", "anonymous", "export", "des", "cbc"})
            mean = sum(t_walls) / len(t_walls)
            print(f"speed vs testssl: {mean / ours_per_host:.0f}x per host in a batch (target >= 100x); "
                  f"{mean / one[0]:.0f}x against a 1-host cyberaudit run")
            print(f"disagreements with testssl: {t_diffs} (protocols, NULL/aNULL/EXPORT/3DES/CBC classes, cert)")
        print(f"targets: {len(names)} hosts in {wall:.1f} s (target < 30 s for 200), peak {rss} MB (target < 300)")
    finally:
        nginx.stop()
        knot.stop()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
