"""Bounded reads for the probes: every read of a server's answer ends by EOF, a size limit, a condition,
or a time budget for the whole read (not per chunk: a server dripping one byte at a time cannot hold it)."""

from __future__ import annotations

import asyncio


async def read_within(reader, budget: float, limit: int, *, enough=None, chunk: int = 65536) -> bytes:
    """Bytes read until EOF, `limit` bytes or `enough(data)`, all within `budget` seconds (TimeoutError after)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + budget
    data = b""
    while len(data) < limit:
        left = end - loop.time()
        if left <= 0:
            raise TimeoutError
        async with asyncio.timeout(left):  # not wait_for: no task per read
            more = await reader.read(min(chunk, limit - len(data)))
        if not more:
            break
        data += more
        if enough is not None and enough(data):
            break
    return data
