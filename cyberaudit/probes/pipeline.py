"""The scan pipeline: runs the probe families on targets, concurrently, within bounds.

    result = scan(targets, families, net, observations=log.add)   # -> ScanResult (cyberaudit/scan/v2)

For each (target, family) the family's probe observes (`probes/<family>.py observe`, under
`net.deadline`) and its judge (`checks.judge_observation`) turns the observation into findings.
A probe that raises or passes its deadline is recorded as `{"probe_error": reason}`, judged as
`<family>.probe.error`, and never loses the other results. Every observation is handed to
`observations(target, {family: observation})` as soon as its target is done (bounded memory):
the scan saves them beside its result, so they can be judged again offline. Findings are sorted
so the saved JSON is deterministic.

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
import inspect
import os
import queue as queue_mod
import sys
from collections.abc import Callable

from .. import __version__
from ..checks import JUDGES, REGISTRY, judge_observation
from ..model import Finding, ScanResult, TargetResult, sort_findings
from . import FAMILIES, Target
from .net import Net

ProgressFn = Callable[[str, int, int], None]  # (target, done, total)
ObservedFn = Callable[[str, dict], None]  # (target, {family: observation})
PARALLEL_MIN = 40


def family_module(family: str):
    return importlib.import_module(FAMILIES[family])


def observer(mod, family: str):
    """The family's `observe` when it has made the observation seam (its judge takes one observation);
    None for a family that still only has `scan` (transition: goes with the `scan` shims)."""
    observe = getattr(mod, "observe", None)
    judge = getattr(importlib.import_module(JUDGES[family]), "judge", None) if family in JUDGES else None
    if observe is None or judge is None:
        return None
    return observe if len(inspect.signature(judge).parameters) == 1 else None


async def _run_family(mod, observe, family: str, target: Target, net: Net) -> tuple[dict | None, list[Finding]]:
    """(observation or None for a family not converted yet, findings)."""
    try:
        # a family that queues for a shared resource (the browser's page pool) bounds each use of it
        # itself and says so with `QUEUED = True`: waiting in the queue does not count against the deadline
        deadline = None if getattr(mod, "QUEUED", False) else net.deadline
        if observe is None:
            return None, list(await asyncio.wait_for(mod.scan(target, net), timeout=deadline))
        obs = await asyncio.wait_for(observe(target, net), timeout=deadline)
    except TimeoutError:
        obs = {"probe_error": "deadline"}
    except Exception as exc:  # a probe bug must not lose the other results
        obs = {"probe_error": f"{type(exc).__name__}: {exc}"[:300]}
    return (None if observe is None else obs), judge_observation(family, obs, target.name)


async def scan_async(targets: list[Target], families: list[str], net: Net,
                     progress: ProgressFn | None = None,
                     on_result: Callable[[TargetResult], None] | None = None,
                     on_observed: ObservedFn | None = None) -> list[TargetResult]:
    """Scan targets concurrently. With `on_result`, each TargetResult is handed over as soon as it is
    complete and not kept (the returned list is then empty): bounded memory for big runs. Observations
    go to `on_observed` the same way (a target whose families are not converted yet has none)."""
    modules = {f: (mod, observer(mod, f)) for f in families for mod in (family_module(f),)}
    net.options["browser"] = "privacy" in families  # the web family then also reads the browser's visit
    sem = asyncio.Semaphore(max(1, net.concurrency))
    done = 0

    async def one(target: Target) -> TargetResult:
        nonlocal done
        async with sem:
            fams = [fam for fam in modules if target.allows(fam)]
            runs = [_run_family(*modules[fam], fam, target, net) for fam in fams]
            found: list[Finding] = []
            observed: dict[str, dict] = {}
            for fam, (obs, chunk) in zip(fams, await asyncio.gather(*runs), strict=True):
                found.extend(chunk)
                if obs is not None:
                    observed[fam] = obs
            _forget(net, target.name)
        if on_observed is not None and observed:
            on_observed(target.name, observed)
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


def _worker(idx: int, targets: list[Target], families: list[str], net: Net, q, parent: int, observed: bool) -> None:
    from .lifeline import bind_to_parent

    bind_to_parent(parent)
    try:
        # the model travels pickled (no re-validation); a target's observations go before its result
        send = (lambda name, obs: q.put(("o", idx, (name, obs)))) if observed else None  # only when saved
        run_loop(scan_async(targets, families, net, on_result=lambda tr: q.put(("t", idx, tr)), on_observed=send))
        q.put(("r", idx, None))
    except BaseException as exc:  # reported to the parent, which turns it into error findings
        q.put(("x", idx, f"{type(exc).__name__}: {exc}"[:300]))


def _scan_parallel(targets: list[Target], families: list[str], net: Net, workers: int,
                   progress: ProgressFn | None, on_observed: ObservedFn | None) -> list[TargetResult]:
    import multiprocessing  # start-up: a scan of a few targets never loads it

    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    shards = [targets[i::workers] for i in range(workers)]
    procs = [ctx.Process(target=_worker, args=(i, shards[i], families, net, q, os.getpid(), on_observed is not None),
                         daemon=True) for i in range(workers)]
    try:
        return _collect(procs, q, shards, targets, families, progress, on_observed)
    finally:  # SIGTERM, SIGHUP, Ctrl-C or a bug: no worker outlives the scan
        from .lifeline import end_workers

        end_workers(procs)
        q.close()


def _collect(procs, q, shards, targets, families, progress, on_observed) -> list[TargetResult]:
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
                    results.extend(_crashed(lost, families, f"worker exit code {procs[i].exitcode}", on_observed))
            continue
        if kind == "o":
            if on_observed is not None:
                on_observed(*payload)
        elif kind == "t":
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
            results.extend(_crashed(lost, families, payload, on_observed))
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


def _crashed(targets: list[Target], families: list[str], reason: str,
             on_observed: ObservedFn | None) -> list[TargetResult]:
    """Targets a dead worker never reported: every family `{"probe_error": reason}`."""
    converted = {f for f in families if observer(family_module(f), f) is not None}
    out = []
    for tg in targets:
        fams = [f for f in families if tg.allows(f)]
        obs = {"probe_error": reason}
        if on_observed is not None and converted & set(fams):
            on_observed(tg.name, {f: obs for f in fams if f in converted})
        out.append(TargetResult(target=tg.name, findings=sort_findings(
            [f for fam in fams for f in judge_observation(fam, obs, tg.name)])))
    return out


def scan(targets: list[Target], families: list[str], net: Net, progress: ProgressFn | None = None,
         now: dt.datetime | None = None, observations: ObservedFn | None = None) -> ScanResult:
    workers = worker_count(len(targets), net)
    if workers > 1 and "fork" in _start_methods():
        for f in families:  # import once in the parent, so the forked workers share it
            observer(family_module(f), f)
        results = _scan_parallel(targets, families, net, workers, progress, observations)
    else:
        results = run_loop(scan_async(targets, families, net, progress, on_observed=observations))
    return ScanResult(
        tool_version=__version__,
        started_at=(now or dt.datetime.now(dt.UTC)).replace(microsecond=0),
        checks=list(families),
        options={"nameserver": f"{net.nameserver}:{net.port}" if net.nameserver else None},
        results=sorted(results, key=lambda r: r.target),
    )


def _start_methods() -> list[str]:
    import multiprocessing  # start-up: see _scan_parallel

    return multiprocessing.get_all_start_methods()
