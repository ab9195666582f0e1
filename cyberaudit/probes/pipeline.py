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
import os
import queue as queue_mod
from collections.abc import Callable

from .. import __version__
from ..checks import judge_observation, load_all
from ..model import Finding, ScanResult, TargetResult, sort_findings
from . import FAMILIES, Target, handover
from .net import Net

ProgressFn = Callable[[str, int, int], None]  # (target, done, total)
ObservedFn = Callable[[str, dict], None]  # (target, {family: observation})
PARALLEL_MIN = 40
# A scan allocates millions of short-lived objects (futures, answers, records) that reference counting
# frees; with Python's default threshold (700) the cycle collector still ran ~1,500 times per 1,000
# domains, 15-17% of a worker's CPU, growing with the run. Collected every 50,000 net allocations
# instead: the same memory (cycles are still collected), a hundredth of the passes.
GC_THRESHOLD = (50_000, 20, 10)


def family_module(family: str):
    return importlib.import_module(FAMILIES[family])


async def _run_family(mod, family: str, target: Target, net: Net) -> tuple[dict, list[Finding]]:
    """(the family's observation of the target, its findings)."""
    try:
        # a family that queues for a shared resource (the browser's page pool) bounds each use of it
        # itself and says so with `QUEUED = True`: waiting in the queue does not count against the deadline
        deadline = None if getattr(mod, "QUEUED", False) else net.deadline
        obs = await asyncio.wait_for(mod.observe(target, net), timeout=deadline)
    except TimeoutError:
        obs = {"probe_error": "deadline"}
    except Exception as exc:  # a probe bug must not lose the other results
        obs = {"probe_error": f"{type(exc).__name__}: {exc}"[:300]}
    return obs, judge_observation(family, obs, target.name)


async def probe(family: str, target: Target, net: Net) -> list[Finding]:
    """One family on one target, observed then judged (for a library caller or a test)."""
    return (await _run_family(family_module(family), family, target, net))[1]


async def scan_async(targets: list[Target], families: list[str], net: Net,
                     progress: ProgressFn | None = None,
                     on_result: Callable[[TargetResult], None] | None = None,
                     on_observed: ObservedFn | None = None) -> list[TargetResult]:
    """Scan targets concurrently. With `on_result`, each TargetResult is handed over as soon as it is
    complete and not kept (the returned list is then empty): bounded memory for big runs. Observations
    go to `on_observed` the same way, one {family: observation} per target."""
    modules = {f: family_module(f) for f in families}
    net.options["browser"] = "privacy" in families  # the web family then also reads the browser's visit
    sem = asyncio.Semaphore(max(1, net.concurrency))
    done = 0

    async def one(target: Target) -> TargetResult:
        nonlocal done
        async with sem:
            fams = [fam for fam in modules if target.allows(fam)]
            runs = [_run_family(modules[fam], fam, target, net) for fam in fams]
            found: list[Finding] = []
            observed: dict[str, dict] = {}
            for fam, (obs, chunk) in zip(fams, await asyncio.gather(*runs), strict=True):
                found.extend(chunk)
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
        # results travel packed, a few targets a message (handover.py); a target's observations go first
        send = (lambda name, obs: q.put(("o", idx, (name, obs)))) if observed else None  # only when saved
        batch = handover.Batch(lambda rows: q.put(("t", idx, rows)))

        async def run() -> None:
            try:
                await scan_async(targets, families, net, on_result=batch.add, on_observed=send)
            finally:
                batch.flush()

        run_loop(run())
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
            for tr in handover.unpack(payload):
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


def _crashed(targets: list[Target], families: list[str], reason: str,
             on_observed: ObservedFn | None) -> list[TargetResult]:
    """Targets a dead worker never reported: every family `{"probe_error": reason}`."""
    out = []
    for tg in targets:
        fams = [f for f in families if tg.allows(f)]
        obs = {"probe_error": reason}
        if on_observed is not None and fams:
            on_observed(tg.name, dict.fromkeys(fams, obs))
        out.append(TargetResult(target=tg.name, findings=sort_findings(
            [f for fam in fams for f in judge_observation(fam, obs, tg.name)])))
    return out


def scan(targets: list[Target], families: list[str], net: Net, progress: ProgressFn | None = None,
         now: dt.datetime | None = None, observations: ObservedFn | None = None) -> ScanResult:
    workers = worker_count(len(targets), net)
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)  # in this process and in the workers it forks
    try:
        if workers > 1 and "fork" in _start_methods():
            for f in families:  # import once in the parent, so the forked workers share it
                family_module(f)
            # every check too: a worker's findings travel with the check's texts as a marker (handover.py),
            # which the parent resolves in its own REGISTRY (`scan` without --only loads no judge module)
            load_all()
            results = _scan_parallel(targets, families, net, workers, progress, observations)
        else:
            results = run_loop(scan_async(targets, families, net, progress, on_observed=observations))
    finally:
        gc.set_threshold(*before)
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
