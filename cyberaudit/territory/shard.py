"""`--shard I/N`: split the members deterministically between N parallel CI jobs.

Members are sorted by SIREN and dealt like cards: the k-th member (0-based) goes to
shard k mod N + 1. Every member lands in exactly one shard, shard sizes differ by at
most one, and the split depends only on the member list, never on the machine.
"""

from __future__ import annotations

import re

from ..errors import InputError
from ..i18n import t

MAX_SHARDS = 1000


def parse_shard(value: str | None) -> tuple[int, int] | None:
    """`"2/4"` -> (2, 4); None -> None. InputError when malformed or out of range."""
    if value is None or value == "":
        return None
    m = re.fullmatch(r"\s*(\d{1,4})\s*/\s*(\d{1,4})\s*", value)
    if not m:
        raise InputError(t("--shard attend I/N, par exemple 2/4", "--shard expects I/N, e.g. 2/4"), field="--shard")
    index, total = int(m.group(1)), int(m.group(2))
    if not (1 <= total <= MAX_SHARDS and 1 <= index <= total):
        raise InputError(t(f"--shard {index}/{total} : il faut 1 ≤ I ≤ N ≤ {MAX_SHARDS}",
                           f"--shard {index}/{total}: expected 1 ≤ I ≤ N ≤ {MAX_SHARDS}"), field="--shard")
    return index, total


def select(sirens: list[str], shard: tuple[int, int] | None) -> list[str]:
    """The SIRENs of one shard (all of them when `shard` is None), sorted."""
    ordered = sorted(set(sirens))
    if shard is None:
        return ordered
    index, total = shard
    return [s for k, s in enumerate(ordered) if k % total == index - 1]
