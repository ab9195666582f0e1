"""A member's barometer state kept in the barometer cache (cache.py), keyed on its files' bytes.

    key, (org_bytes, assessment_bytes) = content_key_of(folder, siren, kinds)   # read once, parsed from these
    state = from_cache(entry, siren)       # None for anything that is not a well-formed entry
    entry = cache_entry(state)             # plain JSON

Only members read from a committed assessment.json are cached (one evaluated in memory depends on
more files and on the date).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .members import MemberState, _size_ok


def content_key_of(folder: Path, siren: str, known_kinds: list[str]) -> tuple[str | None, tuple]:
    """The cache key of a member (its SIREN, the profiles known, the bytes of its two files) and those bytes."""
    from ..disk.confine import check as check_confined
    from ..disk.workspace import ASSESSMENT, ORGANISATION
    from .cache import content_key

    bodies = []
    for name in (ORGANISATION, ASSESSMENT):
        path = folder / name
        if not path.is_file():
            return None, (None, None)
        check_confined(path)
        _size_ok(path)
        bodies.append(path.read_bytes())
    return content_key(siren, "\0".join(known_kinds), *bodies), tuple(bodies)


def from_cache(entry: Any, siren: str) -> MemberState | None:
    """A member as cached (cache_entry); None for anything that is not a well-formed entry."""
    from ..assessment.scoring import Score
    from .judging import Facts

    try:
        facts = Facts(**entry["facts"])
        if not all(isinstance(v, dict) for v in (facts.findings, facts.answers, facts.organisation)):
            return None
        if not (entry["population"] is None or type(entry["population"]) is int):
            return None
        when = {k: None if entry[k] is None else dt.datetime.fromisoformat(entry[k])
                for k in ("assessed_at", "evaluated_on")}
        return MemberState(siren=siren, name=str(entry["name"]), kind=str(entry["kind"]),
                           population=entry["population"], facts=facts, known=entry["known"] is True,
                           trend_schema=entry["trend_schema"] is True,
                           score=None if entry["score"] is None else Score.model_validate(entry["score"]), **when)
    except Exception:  # an odd entry is a miss, never a wrong member
        return None


def cache_entry(state: MemberState) -> dict[str, Any]:
    return {"name": state.name, "kind": state.kind, "population": state.population, "known": state.known,
            "trend_schema": state.trend_schema,
            "facts": {"findings": state.facts.findings, "answers": state.facts.answers,
                      "organisation": state.facts.organisation},
            "score": None if state.score is None else state.score.model_dump(mode="json", by_alias=True),
            **{k: None if getattr(state, k) is None else getattr(state, k).isoformat()
               for k in ("assessed_at", "evaluated_on")}}
