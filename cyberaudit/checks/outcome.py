"""What every judge says when it cannot judge, and how it words a detail (shared by the probe families)."""

from __future__ import annotations

from ..model import Finding, Text

RESOLVED = ("ok", "nodata", "nxdomain")  # DNS answers; any other status is a failure (timeout, servfail, ...)


def detail(fr: str, en: str) -> Text:
    return Text(fr=fr, en=en)


def errors_for(checks, target: str, reason: str) -> list[Finding]:
    """Every check `error` (could not test), with the reason (timeout, servfail, ...)."""
    return [c.finding("error", target=target, evidence={"reason": reason},
                      detail=detail(f"test impossible : {reason}", f"could not test: {reason}")) for c in checks]
