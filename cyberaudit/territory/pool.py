"""Work shared between one process per core, for a large territory.

    results = map_chunks(fn, items, extra, min_items=48)   # fn(chunk, *extra) -> one result per item

Items are dealt round-robin into one chunk per worker; the results come back in the items' order.
None means "do it here": one core, too few items to pay for starting processes, or no process
pool on this machine (a sandbox without /dev/shm...).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

MAX_WORKERS = 8


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def map_chunks(fn: Callable[..., list], items: list, extra: tuple = (), *, min_items: int) -> list | None:
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    if cores() < 2 or len(items) < min_items:
        return None
    workers = min(cores(), MAX_WORKERS)
    method = "fork" if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods() \
        else "spawn"
    chunks = [items[i::workers] for i in range(workers)]
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
            parts = list(pool.map(fn, chunks, *[[arg] * workers for arg in extra]))
    except Exception:
        return None
    out: list[Any] = [None] * len(items)
    for i, part in enumerate(parts):
        if len(part) != len(chunks[i]):
            return None
        out[i::workers] = part
    return out
