"""What every judge says when it cannot judge, and how it words a detail (shared by the probe families).

Names that do not answer, the same way in every family's judge:
- "could not resolve" (timeout, SERVFAIL, REFUSED: any status outside RESOLVED) is `error`, never a verdict;
- "does not exist" (NXDOMAIN) of a name someone declared (the target, a host, a declared web name or DKIM
  selector) is a result: said by the check about existence (`dns.zone.resolves`, `mail.mx.present` fail, SPF
  "none"), `error` for a family that had to reach the name (`ports`: nothing to scan), a warning for a
  declared DKIM selector without a key;
- a name the tool adds on its own (`www.`, the CNAME candidates, the common DKIM selectors) that does not
  exist is skipped without a finding.
"""

from __future__ import annotations

from ..model import Finding, Text

RESOLVED = ("ok", "nodata", "nxdomain")  # DNS answers; any other status is a failure (timeout, servfail, ...)


def detail(fr: str, en: str) -> Text:
    return Text(fr=fr, en=en)


def errors_for(checks, target: str, reason: str) -> list[Finding]:
    """Every check `error` (could not test), with the reason (timeout, servfail, ...)."""
    return [c.finding("error", target=target, evidence={"reason": reason},
                      detail=detail(f"test impossible : {reason}", f"could not test: {reason}")) for c in checks]
