"""DMARC per RFC 9989 (DMARCbis, which replaced RFC 7489): strict tag parsing and policy reading.

Discovery is a DNS tree walk (no Public Suffix List): `_dmarc.<domain>`, then each parent
name up to the top-level domain (`walk_names`). Tags: v (first), p, sp, np, psd, t, rua,
ruf, adkim, aspf, fo; `pct`, `rf` and `ri` were removed by RFC 9989 and are reported as
obsolete (older receivers still apply `pct`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

POLICIES = ("none", "quarantine", "reject")
KNOWN = {"v", "p", "sp", "np", "psd", "t", "rua", "ruf", "adkim", "aspf", "fo", "pct", "rf", "ri"}
OBSOLETE = ("pct", "rf", "ri")
MAX_WALK = 8
_TAG = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)$")


@dataclass
class Dmarc:
    tags: dict[str, str]
    problems: list[str] = field(default_factory=list)  # syntax errors and invalid values
    obsolete: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def p(self) -> str | None:
        v = self.tags.get("p", "").lower()
        return v if v in POLICIES else None

    def policy_for(self, subdomain: bool, nonexistent: bool = False) -> str | None:
        """Policy that applies: p for the domain itself, else np/sp then p."""
        if nonexistent and self.tags.get("np", "").lower() in POLICIES:
            return self.tags["np"].lower()
        if subdomain and self.tags.get("sp", "").lower() in POLICIES:
            return self.tags["sp"].lower()
        return self.p

    @property
    def testing(self) -> bool:
        return self.tags.get("t", "n").lower() == "y"

    @property
    def pct(self) -> int | None:
        try:
            return int(self.tags["pct"]) if "pct" in self.tags else None
        except ValueError:
            return None

    def uris(self, tag: str) -> list[str]:
        raw = self.tags.get(tag, "")
        return [u.strip() for u in raw.split(",") if u.strip()]

    def valid_uris(self, tag: str) -> list[str]:
        """The URIs of `tag` a report can really be sent to (mailto with a real address, or http(s))."""
        return [u for u in self.uris(tag) if valid_uri(u)]


def is_dmarc(text: str) -> bool:
    return re.match(r"^\s*v\s*=\s*DMARC1\s*(;|$)", text) is not None


def walk_names(domain: str) -> list[str]:
    """Names whose `_dmarc` is queried, in order (RFC 9989 §4.10 tree walk)."""
    labels = domain.lower().rstrip(".").split(".")
    names = [".".join(labels)]
    if len(labels) > MAX_WALK:  # jump to the 7 rightmost labels after the domain itself
        labels = labels[-(MAX_WALK - 1):]
        names.append(".".join(labels))
    while len(labels) > 1:
        labels = labels[1:]
        names.append(".".join(labels))
    out: list[str] = []
    for n in names:
        if n not in out:
            out.append(n)
    return out


def parse(text: str) -> Dmarc:
    """Parse one DMARC record strictly; problems are collected, never raised."""
    d = Dmarc(tags={})
    parts = [p.strip() for p in text.split(";")]
    for i, part in enumerate(parts):
        if not part:
            continue
        name, sep, value = part.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not _TAG.match(name):
            d.problems.append(f"malformed tag {part[:40]!r}")
            continue
        key = name.lower()
        if i == 0 and (key != "v" or value != "DMARC1"):
            d.problems.append("v=DMARC1 must come first")
        if key in d.tags:
            d.problems.append(f"duplicate tag {key}")
            continue
        if key not in KNOWN:
            d.unknown.append(key)
            continue
        d.tags[key] = value
        if key in OBSOLETE:
            d.obsolete.append(key)
    _validate(d)
    return d


def _validate(d: Dmarc) -> None:
    t = d.tags
    for key in ("p", "sp", "np"):
        if key in t and t[key].lower() not in POLICIES:
            d.problems.append(f"{key}={t[key][:20]} is not none, quarantine or reject")
    if "p" not in t:
        d.problems.append("no p tag")
    for key, allowed in (("adkim", "rs"), ("aspf", "rs"), ("t", "yn"), ("psd", "ynu")):
        if key in t and (len(t[key]) != 1 or t[key].lower() not in allowed):
            d.problems.append(f"{key}={t[key][:20]} is not one of {', '.join(allowed)}")
    if "pct" in t and (not t["pct"].isdigit() or not 0 <= int(t["pct"]) <= 100):
        d.problems.append(f"pct={t['pct'][:20]} is not 0-100")
    for key in ("rua", "ruf"):
        for uri in d.uris(key):
            if not valid_uri(uri):
                d.problems.append(f"{key} URI not understood: {uri[:60]!r}")


_URI = re.compile(r"^(mailto:[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
                  r"|https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d{1,5})?(?:/[A-Za-z0-9._~%!$&'()*+,;=:@/?-]*)?)"
                  r"(!\d+[kmgt]?)?$", re.I)


def valid_uri(uri: str) -> bool:
    """A DMARC report URI: mailto with an RFC 5322 dot-atom address, or http(s) (never HTML, javascript:)."""
    return bool(_URI.match(uri))


def mailto_domain(uri: str) -> str | None:
    m = re.match(r"^mailto:[^@]+@([A-Za-z0-9.-]+)", uri, re.I)
    return m.group(1).lower().rstrip(".") if m else None


def same_organisation(a: str, b: str) -> bool:
    """True when one name is the other or a sub-domain of it (no Public Suffix List needed)."""
    a, b = a.lower().rstrip("."), b.lower().rstrip(".")
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def external_destinations(record: Dmarc, policy_domain: str) -> list[str]:
    """rua/ruf mailto domains outside the policy domain: they need `<domain>._report._dmarc.<dest>`."""
    out = set()
    for uri in record.valid_uris("rua") + record.valid_uris("ruf"):
        dest = mailto_domain(uri)
        if dest and not same_organisation(dest, policy_domain):
            out.add(dest)
    return sorted(out)
