"""The scan pipeline: runs the probe families on targets, concurrently, within bounds.

    result = scan(targets, families, net)          # -> ScanResult (cyberaudit/scan/v2 on disk)

Each (target, family) runs under `net.deadline`; an exception or timeout in one
family becomes an `error` finding (`<family>.probe.error`) and never loses the
other results. Findings are sorted so the saved JSON is deterministic.

Large runs use every core: the targets are dealt round-robin to worker processes
(`net.options["workers"]`, default: up to 2 when there are at least PARALLEL_MIN
targets), each running its own asyncio loop; results are merged and sorted, so the
output does not depend on the number of workers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import importlib
import os
import queue as queue_mod
import sys
from collections.abc import Callable

from .. import __version__
from ..checks import REGISTRY, probe_error_check
from ..model import Finding, ScanResult, Status, TargetResult, sort_findings
from . import FAMILIES, Target
from .net import Net

ProgressFn = Callable[[str, int, int], None]  # (target, done, total)
PARALLEL_MIN = 40


def family_module(family: str):
    """Import a family's probe module, or None when it is not built yet."""
    try:
        return importlib.import_module(FAMILIES[family])
    except ModuleNotFoundError as exc:
        if exc.name == FAMILIES[family]:
            return None
        raise


async def _run_family(mod, family: str, target: Target, net: Net) -> list[Finding]:
    try:
        # a family that queues for a shared resource (the browser's page pool) bounds each use of it
        # itself and says so with `QUEUED = True`: waiting in the queue does not count against the deadline
        deadline = None if getattr(mod, "QUEUED", False) else net.deadline
        return list(await asyncio.wait_for(mod.scan(target, net), timeout=deadline))
    except TimeoutError:
        reason = "deadline"
    except Exception as exc:  # a probe bug must not lose the other results
        reason = f"{type(exc).__name__}: {exc}"[:300]
    return [probe_error_check(family).finding(Status.ERROR, target=target.name, evidence={"reason": reason})]


async def scan_async(targets: list[Target], families: list[str], net: Net,
                     progress: ProgressFn | None = None,
                     on_result: Callable[[TargetResult], None] | None = None) -> list[TargetResult]:
    """Scan targets concurrently. With `on_result`, each TargetResult is handed over as soon as it is
    complete and not kept (the returned list is then empty): bounded memory for big runs."""
    modules = {f: family_module(f) for f in families}
    net.options["browser"] = "privacy" in families  # the web family then also reads the browser's visit
    sem = asyncio.Semaphore(max(1, net.concurrency))
    done = 0

    async def one(target: Target) -> TargetResult:
        nonlocal done
        async with sem:
            runs = [
                _run_family(mod, fam, target, net)
                for fam, mod in modules.items()
                if mod is not None and target.allows(fam)
            ]
            found: list[Finding] = []
            for chunk in await asyncio.gather(*runs):
                found.extend(chunk)
            _forget(net, target.name)
        done += 1
        if progress:
            progress(target.name, done, len(targets))
        result = TargetResult(target=target.name, findings=sort_findings(found))
        if on_result is not None:
            on_result(result)
            return None
        return result

    _hold_dns(net)
    try:
        return [r for r in await asyncio.gather(*(one(tg) for tg in targets)) if r is not None]
    finally:
        _close_dns(net)


def _forget(net: Net, name: str) -> None:
    """Free the DNS answers cached for a finished target (bounded memory on big runs)."""
    from .resolver import client as dnsclient

    client = dnsclient.existing_client(net)
    if client is not None:
        client.forget(name)


def _hold_dns(net: Net) -> None:
    from .resolver import client as dnsclient

    dnsclient.hold_client(net)


def _close_dns(net: Net) -> None:
    from .resolver import client as dnsclient

    dnsclient.release_client(net)


def run_loop(coro):
    """asyncio.run, on uvloop when it is installed (about twice less event-loop overhead per query)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coro)


def worker_count(n_targets: int, net: Net) -> int:
    wanted = net.options.get("workers")
    if wanted is None:
        wanted = min(2, os.cpu_count() or 1) if n_targets >= PARALLEL_MIN else 1
    return max(1, min(int(wanted), n_targets or 1))


def _worker(idx: int, targets: list[Target], families: list[str], net: Net, q, parent: int) -> None:
    from .lifeline import bind_to_parent

    bind_to_parent(parent)
    try:
        # the model travels pickled (no re-validation)
        run_loop(scan_async(targets, families, net, on_result=lambda tr: q.put(("t", idx, tr))))
        q.put(("r", idx, None))
    except BaseException as exc:  # reported to the parent, which turns it into error findings
        q.put(("x", idx, f"{type(exc).__name__}: {exc}"[:300]))


def _scan_parallel(targets: list[Target], families: list[str], net: Net, workers: int,
                   progress: ProgressFn | None) -> list[TargetResult]:
    import multiprocessing  # start-up: a scan of a few targets never loads it

    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    shards = [targets[i::workers] for i in range(workers)]
    procs = [ctx.Process(target=_worker, args=(i, shards[i], families, net, q, os.getpid()), daemon=True)
             for i in range(workers)]
    try:
        return _collect(procs, q, shards, targets, families, progress)
    finally:  # SIGTERM, SIGHUP, Ctrl-C or a bug: no worker outlives the scan
        from .lifeline import end_workers

        end_workers(procs)
        q.close()


def _collect(procs, q, shards, targets, families, progress) -> list[TargetResult]:
    workers = len(procs)
    gc.freeze()  # the children's collector then leaves the parent's objects (and their shared pages) alone
    try:
        for p in procs:
            p.start()
    finally:
        gc.unfreeze()
    results: list[TargetResult] = []
    pending = set(range(workers))
    seen: list[set[str]] = [set() for _ in range(workers)]
    done = 0
    while pending:
        try:
            kind, idx, payload = q.get(timeout=0.5)
        except queue_mod.Empty:
            for i in sorted(pending):
                if procs[i].exitcode is not None:  # died without reporting
                    pending.discard(i)
                    lost = [tg for tg in shards[i] if tg.name not in seen[i]]
                    results.extend(_crashed(lost, families, f"worker exit code {procs[i].exitcode}"))
            continue
        if kind == "t":
            tr = payload
            _share_texts(tr)
            results.append(tr)
            seen[idx].add(tr.target)
            done += 1
            if progress:
                progress(tr.target, done, len(targets))
        elif kind == "r":
            pending.discard(idx)
        else:
            lost = [tg for tg in shards[idx] if tg.name not in seen[idx]]
            results.extend(_crashed(lost, families, payload))
            pending.discard(idx)
    for p in procs:
        p.join(5)
    return results


def _share_texts(tr: TargetResult) -> None:
    """Point unpickled findings at the registry's Text objects (one copy instead of one per target), and
    intern their strings (IDs, references, evidence keys and values): a worker's results arrive with their
    own copy of every string, which for 10,000 domains made the parent twice as big."""
    intern = sys.intern
    for f in tr.findings:
        d = f.__dict__
        d["references"] = [intern(r) for r in d["references"]]
        for key in ("id", "target", "theme", "owner", "effort", "source"):
            if type(d.get(key)) is str:
                d[key] = intern(d[key])
        d["evidence"] = _interned(d["evidence"], 0)
        info = REGISTRY.get(f.id)
        if info is None:
            continue
        for name in ("title", "explanation", "remediation"):
            mine, shared = getattr(f, name), getattr(info, name)
            if mine is not None and mine is not shared and mine.fr == shared.fr and mine.en == shared.en:
                d[name] = shared


def _interned(value, depth: int):
    """A copy of JSON-like evidence with its strings interned (bounded depth: deeper parts kept as they are)."""
    if type(value) is str:
        return sys.intern(value)
    if depth > 20:
        return value
    if type(value) is dict:
        return {sys.intern(k) if type(k) is str else k: _interned(v, depth + 1) for k, v in value.items()}
    if type(value) is list:
        return [_interned(v, depth + 1) for v in value]
    return value


def _crashed(targets: list[Target], families: list[str], reason: str) -> list[TargetResult]:
    return [TargetResult(target=tg.name, findings=sort_findings([
        probe_error_check(f).finding(Status.ERROR, target=tg.name, evidence={"reason": reason})
        for f in families if family_module(f) is not None and tg.allows(f)])) for tg in targets]


def scan(targets: list[Target], families: list[str], net: Net,
         progress: ProgressFn | None = None, now: dt.datetime | None = None) -> ScanResult:
    workers = worker_count(len(targets), net)
    if workers > 1 and "fork" in _start_methods():
        for f in families:  # import once in the parent, so the forked workers share it
            family_module(f)
        results = _scan_parallel(targets, families, net, workers, progress)
    else:
        results = run_loop(scan_async(targets, families, net, progress))
    return ScanResult(
        tool_version=__version__,
        started_at=(now or dt.datetime.now(dt.UTC)).replace(microsecond=0),
        checks=[f for f in families if family_module(f) is not None],
        options={"nameserver": f"{net.nameserver}:{net.port}" if net.nameserver else None},
        results=sorted(results, key=lambda r: r.target),
    )


def _start_methods() -> list[str]:
    import multiprocessing  # start-up: see _scan_parallel

    return multiprocessing.get_all_start_methods()


def missing_families(families: list[str]) -> list[str]:
    return [f for f in families if family_module(f) is None]
