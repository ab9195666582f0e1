"""TLS family judge (pure): the findings of one target from the observation of `cyberaudit.probes.tls`.

    findings = judge(obs)

The wiring lives here: an address block is not tested (info); a name without an address is skipped when
it is implicit (the apex or `www.` of a domain) and an error when declared; an implicit name where nothing
listens (ports 443 and 80 refused) is skipped; every address of a name is judged, then merged check by
check (`per_address`). Dates are judged as of `obs["observed_at"]`, never the clock. The checks
themselves: `tls_protocol` (availability, versions, suites, renegotiation), `tls_cert`, `tls_kex`,
`tls_revocation`, `tls_mail` (STARTTLS).
"""

from __future__ import annotations

import datetime as dt

from ..model import Finding, Text
from .per_address import MAX_ADDRESSES, merge_by_address
from .tls_cert import judge_cert
from .tls_certinfo import describe_chain
from .tls_kex import judge_kex
from .tls_mail import STARTTLS, judge_starttls
from .tls_protocol import (  # noqa: F401 - the family's checks, importable from its main module
    HTTPS,
    LEGACY,
    MODERN,
    RENEGOTIATION,
    WEAK,
    judge_available,
    judge_ciphers,
    judge_protocols,
    judge_renegotiation,
)
from .tls_revocation import judge_revocation

REDIRECTS = (301, 302, 303, 307, 308)


def judge(obs: dict) -> list[Finding]:
    if obs.get("address_block"):
        return [HTTPS.finding("info", target=obs["target"], detail=Text(
            fr="Bloc d'adresses : lister les hôtes web un par un pour tester TLS.",
            en="Address block: list web hosts one by one to test TLS."))]
    now = dt.datetime.fromisoformat(obs["observed_at"])
    certs = obs.get("certificates") or {}
    out: list[Finding] = []
    for name in obs.get("web") or []:
        out += _web_name(name, certs, now)
    if obs.get("mail") is not None:
        out += _mail(obs["target"], obs["mail"], certs, now)
    return out


def with_chain(endpoint: dict, certs: dict[str, str]) -> dict:
    """The endpoint with its chain described (`certificates`), as the certificate judges read it."""
    pems = [certs.get(fp, "") for fp in endpoint.get("chain") or []]
    return {**endpoint, "certificates": describe_chain(pems) if pems else []}


def _web_name(entry: dict, certs: dict[str, str], now: dt.datetime) -> list[Finding]:
    name, explicit, addrs = entry["name"], entry.get("explicit", False), entry.get("addresses") or []
    if not addrs:
        if entry.get("dns_error"):
            return [HTTPS.finding("error", target=name, evidence={"reason": entry["dns_error"]})]
        if not explicit:
            return []  # apex or www. without an address: no web site there, nothing to judge
        return [HTTPS.finding("error", target=name, evidence={"reason": "no address"}, detail=Text(
            fr="Ce nom n'a pas d'adresse IP.", en="This name has no IP address."))]
    endpoints = entry.get("endpoints") or {}
    per_address = {a: found for a in addrs[:MAX_ADDRESSES] if a in endpoints
                   and (found := _endpoint(name, with_chain(endpoints[a], certs), explicit, now))}
    if not per_address:
        return []
    merged = merge_by_address(per_address)
    if len(addrs) > MAX_ADDRESSES:
        for f in merged:
            f.evidence["untested_addresses"] = addrs[MAX_ADDRESSES:]
    return merged


def _endpoint(name: str, ep: dict, explicit: bool, now: dt.datetime) -> list[Finding]:
    """Every TLS finding of `name` at one address ([] when nothing listens on this implicit name)."""
    http = ep.get("http") or {}
    http_open = (http.get("status") or 0) > 0 if not ep.get("available") else None
    location = http.get("location") if http.get("status") in REDIRECTS else None
    location = location if (location or "").lower().startswith("https://") else None
    if not ep.get("available") and not http_open and not ep.get("plain_http") and not explicit \
            and ep.get("error") == "connection refused":
        return []  # no web server at all on this implicit name
    out = [judge_available(name, ep, http_open, https_redirect=location)]
    if not ep.get("available"):
        return out
    out += judge_protocols(name, ep)
    out.append(judge_ciphers(name, ep))
    out += [f for f in (judge_renegotiation(name, ep), judge_kex(name, ep)) if f is not None]
    out += judge_cert(name, name, ep, now)
    if ep.get("revocation") is not None:
        out.append(judge_revocation(name, ep["revocation"]))
    return out


def _mail(domain: str, mail: dict, certs: dict[str, str], now: dt.datetime) -> list[Finding]:
    """STARTTLS of every MX, merged over its addresses; a certificate problem fails when DANE or MTA-STS
    makes the certificate binding."""
    if mail.get("dns_error"):
        return [STARTTLS.finding("error", target=domain, evidence={"reason": mail["dns_error"]})]
    endpoints = mail.get("endpoints") or {}
    out: list[Finding] = []
    for mx in mail.get("mx") or []:
        addrs = [a for a in (mx.get("addresses") or [])[:MAX_ADDRESSES] if a in endpoints]
        if not addrs:
            out.append(STARTTLS.finding("error", target=mx["name"],
                                        evidence={"reason": mx.get("dns_error") or "no address"}))
            continue
        binding = {"mta_sts": mail.get("mta_sts"), "dane": mx.get("dane")}
        out += merge_by_address({a: [judge_starttls(mx["name"], with_chain(endpoints[a], certs), now,
                                                    binding=binding)] for a in addrs})
    return out
