"""Probes: the network half. One module per family, each exposing

    async def observe(target: Target, net: Net) -> dict      # plain JSON facts, no verdict

The family's judge, `cyberaudit.checks.<family>.judge(obs)`, turns the observation into findings (pure:
no I/O, no clock; dates are judged as of `obs["observed_at"]`). What could not be observed is recorded
as a fact (a reason), which the judge makes an `error` finding, never a pass. The pipeline
(`cyberaudit.probes.pipeline`) gates every family by the target's declared scope before any packet is sent.
The pipeline saves every observation beside the scan (`scans/observations.jsonl`), so a saved scan
can be judged again offline (`cyberaudit scan --rejudge`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# family -> module implementing it
FAMILIES: dict[str, str] = {
    "dns": "cyberaudit.probes.dns",
    "mail": "cyberaudit.probes.mail",
    "tls": "cyberaudit.probes.tls",
    "web": "cyberaudit.probes.web",
    "ports": "cyberaudit.probes.ports",
    "mfa": "cyberaudit.probes.mfa",
    "privacy": "cyberaudit.probes.privacy",
}
# family -> scope item of organisation.yaml that permits it
FAMILY_SCOPE: dict[str, str] = {
    "dns": "dns", "mail": "dns", "tls": "tls", "web": "tls", "ports": "ports", "mfa": "mfa",
    "privacy": "tls",  # a visitor's page load: passive, like the web family
}
# families that only make sense on a domain (zone) target
DOMAIN_ONLY = {"dns", "mail"}
INTRUSIVE = {"ports", "mfa"}
# run only when asked (`--checks privacy` or `all`): it starts a browser
OPT_IN = {"privacy"}
DEFAULT_FAMILIES = ["dns", "mail", "tls", "web"]


def observed_at() -> str:
    """Now, as an observation records it (ISO-8601 UTC, to the second): judges count time from it."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Target:
    """A name or address the scan may touch, with what it may do there."""

    name: str  # normalised domain name, IP address or CIDR block
    kind: str  # "domain" (a zone: DNS + mail + web names) or "host"
    scope: frozenset[str]
    authorization: str | None = None  # "NAME, DATE" for ports/mfa
    web_names: tuple[str, ...] = ()  # extra web host names (beyond the domain and www.)
    dkim_selectors: tuple[str, ...] = ()
    # (scope item, name, authorising entry) for the active families: a name is reached by ports/mfa only
    # when its own inventory entry (or --authorized) allows it. Empty: the target is one entry, whose
    # name and web names share its scope and authorisation.
    grants: tuple[tuple[str, str, str], ...] = ()

    def allows(self, family: str) -> bool:
        if family in DOMAIN_ONLY and self.kind != "domain":
            return False
        if family in INTRUSIVE:
            return bool(self.active_names(family))
        return FAMILY_SCOPE[family] in self.scope

    def active_names(self, family: str) -> dict[str, str]:
        """{name: authorising entry} that an active family may reach on this target."""
        item = FAMILY_SCOPE[family]
        if self.grants:
            out: dict[str, str] = {}
            for scope, name, entry in self.grants:
                if scope == item:
                    out.setdefault(name, entry)
            return out
        if item not in self.scope:
            return {}
        entry = self.authorization or ""
        names = [self.name, *self.web_names] if family == "mfa" else [self.name]
        return dict.fromkeys(names, entry)

    def observation(self) -> dict:
        """The facts every family's observation starts with: which target, of what kind, observed when
        (ISO UTC: time-dependent judgements read it, never the clock)."""
        return {"target": self.name, "kind": self.kind,
                "observed_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
