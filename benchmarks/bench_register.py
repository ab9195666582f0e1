"""`cyberaudit register check` and `register export` on a 500-activity register.

Target (issue 7): each under 2 s. Run: python benchmarks/bench_register.py [--activities 500] [--keep DIR]

The register is built from the templates (cycled, with varied names, processors, transfers, assets
and dates) and written with the real store. Timings are the full command, end to end, in a fresh
`python -m cyberaudit` process (start-up, loading and validating 500 YAML files, checking or writing),
and the library calls alone (in-process, files already written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(root: Path, count: int):
    from cyberaudit.disk.workspace import create
    from cyberaudit.model import Dpo, Organisation
    from cyberaudit.register import store
    from cyberaudit.register.model import Processor, Transfer
    from cyberaudit.register.templates import load_templates

    org = Organisation(name="Communauté de communes du Banc d'Essai", siren="200000172", kind="epci",
                       dpo=Dpo(name="DPO mutualisé", email="dpo@exemple.fr"))
    ws = create(root, org)
    templates = list(load_templates().values())
    acts = []
    for i in range(count):
        tpl = templates[i % len(templates)]
        a = tpl.activity(f"T-{i + 1:03d}")
        changes = {"name": f"{a.name} — site {i // len(templates) + 1}",
                   "updated": dt.date(2025, 1, 1) + dt.timedelta(days=i % 600),
                   "assets": [f"s{i}.exemple.fr"]}
        if i % 3 == 0:
            changes["processors"] = [*a.processors, Processor(name=f"Éditeur {i}", art28_clauses=i % 2 == 0, country="FR")]
        if i % 7 == 0:
            changes["transfers"] = [Transfer(recipient=f"Cloud {i}", country="US", safeguard=None if i % 2 else "scc")]
        acts.append(a.model_copy(update=changes))
    store.save_many(ws, acts)
    return ws


def run(ws_root: Path, *args: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT), CYBERAUDIT_LANG="fr", COLUMNS="200")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "cyberaudit", "register", *args, "-w", str(ws_root)],
                          capture_output=True, env=env, cwd=ROOT)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"register {' '.join(args)} failed: {proc.stderr.decode()[-2000:]}")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--activities", type=int, default=500)
    ap.add_argument("--keep", type=Path)
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = opts.keep or Path(tmp) / "ws"
        t0 = time.perf_counter()
        ws = build(root, opts.activities)
        print(f"built {opts.activities} activities in {time.perf_counter() - t0:.2f} s ({root})")

        from cyberaudit.cli import register_cmds as commands
        from cyberaudit.register import export, store

        org = ws.load_organisation()
        t0 = time.perf_counter()
        acts = store.load_all(ws)
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        _, found = commands.run_check(ws.root, today=dt.date(2026, 11, 29))
        check_s = time.perf_counter() - t0
        print(f"in-process: load_all {load_s:.3f} s; load + check {check_s:.3f} s ({len(found)} findings)")
        from cyberaudit.register import importer

        for fmt in export.FORMATS:
            t0 = time.perf_counter()
            data = export.export(acts, org, fmt)
            print(f"in-process: export {fmt:<4} {time.perf_counter() - t0:.3f} s ({len(data) / 1024:.0f} KiB)")
            if fmt != "md":
                path = Path(tmp) / f"in.{fmt}"
                path.write_bytes(data)
                t0 = time.perf_counter()
                got = importer.read(path)
                ok = not got.errors and [a.model_dump() for a in got.activities] == [a.model_dump() for a in acts]
                print(f"in-process: import {fmt:<4} {time.perf_counter() - t0:.3f} s ({'same register' if ok else 'MISMATCH'})")

        results = {"check": run(ws.root, "check", "--format", "json")}
        for fmt in export.FORMATS:
            results[f"export {fmt}"] = run(ws.root, "export", "--format", fmt, "-o", str(Path(tmp) / f"r.{fmt}"))
        worst = 0.0
        for name, secs in results.items():
            worst = max(worst, secs)
            print(f"command: register {name:<12} {secs:.2f} s {'OK' if secs < 2 else 'OVER 2 s'}")
        print(f"slowest command: {worst:.2f} s (target < 2 s for {opts.activities} activities)")
        return 0 if worst < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
