"""Which host, address and port a scan finding concerns, from what the finding itself says.

A finding's `target` is the host it was judged on (absent: the scanned target itself); its evidence names
the address (`address`), the port (`port`) or a URL (`url`) when the probe recorded them. What a finding
does not say is taken from its siblings only when that is unambiguous: the address of a host known by a
single address, the port of the same host and address in the same family. The host's role in the
target (the domain itself, `www`, an MX, a name server, another web name) comes from the target's own
MX and NS evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from ..model import Finding, TargetResult

# The port a family's probe connects to when its evidence names an address but no port (the CLI's
# defaults: HTTPS for tls, SMTP for STARTTLS).
SERVICE_PORT = {"mail.starttls": 25, "tls": 443}
ROLE_ORDER = ("domain", "www", "web", "host", "mx", "ns")


@dataclass(frozen=True)
class Location:
    host: str
    role: str  # one of ROLE_ORDER
    address: str | None = None
    port: int | None = None

    @property
    def endpoint(self) -> str:
        """`address:port`, `[v6]:port`, the address alone, or "" when neither is known."""
        if not self.address:
            return f":{self.port}" if self.port else ""
        address = f"[{self.address}]" if ":" in self.address and self.port else self.address
        return f"{address}:{self.port}" if self.port else address

    def sort_key(self) -> tuple:
        return (ROLE_ORDER.index(self.role), self.host, self.address or "", self.port or 0)


def _url_port(url: object) -> tuple[str | None, int | None]:
    if not isinstance(url, str) or "://" not in url:
        return None, None
    try:
        parts = urlsplit(url)
        port = parts.port or {"https": 443, "http": 80}.get(parts.scheme)
    except ValueError:
        return None, None
    return parts.hostname, port


def _family(check_id: str) -> str:
    return check_id.split(".", 1)[0]


def _service_port(check_id: str) -> int | None:
    for prefix, port in SERVICE_PORT.items():
        if check_id == prefix or check_id.startswith(prefix + "."):
            return port
    return None


def _hosts_named(findings: list[Finding], key: str) -> set[str]:
    """Host names listed by the target's evidence under `key` (MX: [{"host": ...}], NS: {name: ...})."""
    out: set[str] = set()
    for f in findings:
        value = f.evidence.get(key)
        if isinstance(value, dict):
            out.update(str(k).rstrip(".").lower() for k in value)
        elif isinstance(value, list):
            out.update(str(v.get("host", "")).rstrip(".").lower() for v in value if isinstance(v, dict))
    out.discard("")
    return out


def role_of(host: str, target: str, mx: set[str], ns: set[str], *, is_domain: bool) -> str:
    if host == target:
        return "domain" if is_domain else "host"
    if host in mx:
        return "mx"
    if host in ns:
        return "ns"
    if host == f"www.{target}":
        return "www"
    return "web"


def locate(tr: TargetResult, *, is_domain: bool | None = None) -> list[tuple[Finding, Location]]:
    """Every finding of a target with its location, in the target's order."""
    from ..names import is_domain as looks_like_domain

    findings = tr.findings
    target = tr.target
    if is_domain is None:
        is_domain = looks_like_domain(target) and any(f.id.startswith(("dns.", "mail.")) for f in findings)
    mx, ns = _hosts_named(findings, "mx"), _hosts_named(findings, "ns")
    raw: list[tuple[Finding, str, str | None, int | None]] = []
    addresses: dict[str, set[str]] = {}
    ports: dict[tuple[str, str, str], set[int]] = {}
    for f in findings:
        host = (f.target or target).rstrip(".").lower()
        address = f.evidence.get("address") if isinstance(f.evidence.get("address"), str) else None
        port = f.evidence.get("port") if isinstance(f.evidence.get("port"), int) else None
        url_host, url_port = _url_port(f.evidence.get("url"))
        if port is None and url_host == host:
            port = url_port
        raw.append((f, host, address, port))
        if address:
            addresses.setdefault(host, set()).add(address)
            if port:
                ports.setdefault((host, address, _family(f.id)), set()).add(port)
    out = []
    for f, host, address, port in raw:
        if address is None and port is not None and len(addresses.get(host, ())) == 1:
            address = next(iter(addresses[host]))  # a URL of a host served by one address
        if address and port is None:
            known = ports.get((host, address, _family(f.id)), set())
            port = next(iter(known)) if len(known) == 1 else _service_port(f.id)
        out.append((f, Location(host, role_of(host, target, mx, ns, is_domain=is_domain), address, port)))
    return out
