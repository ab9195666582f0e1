"""Exposed services: the port list (data/ports.yaml) and the judge of port-scan observations.

One check `ports.<service>.exposed` is registered per row of the data file, plus
`ports.risky.none` (nothing risky open) and `ports.other.open` (other open ports
found by `--ports top100`). Pure: no network here; `probes/ports.py` gathers an
observation dict and `judge()` turns it into findings.

Observation (JSON-able, recorded as is):
    {"target": name, "observed_at": ISO UTC, "engine": "nmap"|"connect", "scan_type": "connect"|"syn", "mode": "curated"|"top100",
     "authorization": "NAME, DATE", "addresses": [...], "error": None | str,
     "hosts": {address: {"timed_out": bool,
                         "ports": [{"port", "protocol", "state", "service", "banner"}],
                         "extra": {"closed": n, "filtered": n}}},   # ports nmap folded away
     "not_tested": ["udp/623", ...], "fallback_reason": None | str}
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..content.locate import data_file
from ..disk.fileio import load_yaml, validate
from ..model import Finding, Ref, Status, Text
from . import CheckInfo, check

GENERIC_REMEDIATION = Text(
    fr="Fermer ce port au pare-feu s'il n'a pas à être joignable depuis Internet ; sinon le réserver à des "
       "adresses connues ou le placer derrière un VPN avec authentification multifacteur.",
    en="Close this port at the firewall if it need not be reachable from the Internet; otherwise restrict it "
       "to known addresses or put it behind a VPN with multi-factor authentication.",
)


class PortRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    ports: list[int] = Field(min_length=1)
    protocol: Literal["tcp", "udp"] = "tcp"
    severity: Literal["critical", "high", "medium", "low"]
    reason: Text
    remediation: Text | None = None
    refs: list[Ref] = Field(default_factory=list)

    @field_validator("ports")
    @classmethod
    def _ports(cls, v: list[int]) -> list[int]:
        if any(not 0 < p < 65536 for p in v):
            raise ValueError("port numbers must be between 1 and 65535")
        return v


class PortTable(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["cyberaudit/ports/v1"] = Field(alias="schema")
    services: list[PortRow]
    top100_tcp: list[int] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> PortTable:
        seen_ids: set[str] = set()
        seen_ports: dict[tuple[str, int], str] = {}
        for row in self.services:
            if row.service in seen_ids or row.service in ("risky", "other"):
                raise ValueError(f"service {row.service!r} is duplicated or reserved")
            seen_ids.add(row.service)
            for p in row.ports:
                key = (row.protocol, p)
                if key in seen_ports:
                    raise ValueError(f"{p}/{row.protocol} listed for both {seen_ports[key]} and {row.service}")
                seen_ports[key] = row.service
        return self


def load_table(path=None) -> PortTable:
    path = path or data_file("ports.yaml")
    data = load_yaml(path)
    return validate(PortTable, data, str(path))


TABLE = load_table()

EXPOSED: dict[str, CheckInfo] = {
    row.service: check(
        f"ports.{row.service}.exposed", severity=row.severity,
        title=Text(fr=f"Service exposé : {row.label}", en=f"Exposed service: {row.label}"),
        explanation=row.reason,
        remediation=row.remediation or GENERIC_REMEDIATION,
        refs=row.refs, effort="low", template="ports.exposed",
    )
    for row in TABLE.services
}

RISKY_NONE = check(
    "ports.risky.none", severity="high",
    title=Text(fr="Bilan des services à risque exposés", en="Summary of exposed risky services"),
    explanation=Text(
        fr="Bureau à distance, partages de fichiers, bases de données, consoles d'administration et automates "
           "n'ont pas à être joignables depuis Internet : ce sont les portes d'entrée des rançongiciels.",
        en="Remote desktop, file shares, databases, administration consoles and controllers need not be "
           "reachable from the Internet: they are the entry points of ransomware.",
    ),
    remediation=GENERIC_REMEDIATION,
    refs=["anssi-hygiene:23", "anssi-hygiene:19", "cnil-security:8"],
)

OTHER_OPEN = check(
    "ports.other.open", severity="low",
    title=Text(fr="Autres ports ouverts", en="Other open ports"),
    explanation=Text(
        fr="Ports ouverts hors de la liste des services à risque : à comparer avec ce qui doit être publié.",
        en="Open ports outside the list of risky services: compare them with what should be published.",
    ),
    remediation=Text(fr="Fermer tout port dont le service n'a pas à être public.",
                     en="Close every port whose service need not be public."),
    refs=["anssi-hygiene:23"],
)


@cache
def _by_port() -> dict[tuple[str, int], PortRow]:
    return {(row.protocol, p): row for row in TABLE.services for p in row.ports}


def service_for(port: int, protocol: str = "tcp") -> PortRow | None:
    return _by_port().get((protocol, port))


def port_plan(mode: str = "curated") -> dict[str, list[int]]:
    """Ports to scan: {"tcp": [...], "udp": [...]} (sorted, unique)."""
    tcp = {p for row in TABLE.services if row.protocol == "tcp" for p in row.ports}
    udp = {p for row in TABLE.services if row.protocol == "udp" for p in row.ports}
    if mode == "top100":
        tcp |= set(TABLE.top100_tcp)
    elif mode != "curated":
        raise ValueError(f"unknown port list {mode!r}")
    return {"tcp": sorted(tcp), "udp": sorted(udp)}


def _base(obs: dict[str, Any]) -> dict[str, Any]:
    out = {"engine": obs.get("engine"), "scan_type": obs.get("scan_type"), "mode": obs.get("mode", "curated")}
    if obs.get("authorization"):
        out["authorization"] = obs["authorization"]
    for key in ("authorized_entry", "fallback_reason", "syn_unavailable"):
        if obs.get(key):
            out[key] = obs[key]
    return out


def judge(obs: dict[str, Any]) -> list[Finding]:
    """Findings for one target from its port-scan observation (`probes.ports.observe`)."""
    target = obs["target"]
    base = _base(obs)
    if obs.get("error"):
        # a declared name that does not exist or has no address cannot be scanned: untested, as for
        # every family on a declared name (implicit names, like www. of a domain, are never port-scanned)
        why = {"resolution: nxdomain": (" : le nom n'existe pas (NXDOMAIN)", ": the name does not exist (NXDOMAIN)"),
               "resolution: no-address": (" : le nom n'a pas d'adresse", ": the name has no address")}.get(
                   obs["error"], ("", ""))
        return [RISKY_NONE.finding(Status.ERROR, target=target, evidence={**base, "reason": obs["error"]},
                                   detail=Text(fr=f"Le balayage des ports n'a pas pu être réalisé{why[0]}.",
                                               en=f"The port scan could not be performed{why[1]}."))]
    hosts: dict[str, Any] = obs.get("hosts") or {}
    exposed: dict[str, list[dict[str, Any]]] = {}
    other: list[dict[str, Any]] = []
    counts = {"open": 0, "closed": 0, "filtered": 0}
    for address in sorted(hosts):
        for state, n in (hosts[address].get("extra") or {}).items():
            counts[state if state in counts else "filtered"] += int(n)
        for p in sorted(hosts[address].get("ports", []), key=lambda x: (x["protocol"], x["port"])):
            state = p.get("state", "")
            counts[state if state in counts else "filtered"] += 1
            if state != "open":
                continue
            item = {"address": address, "port": p["port"], "protocol": p["protocol"]}
            for key in ("service", "banner"):
                if p.get(key):
                    item[key] = p[key]
            row = service_for(p["port"], p["protocol"])
            (exposed.setdefault(row.service, []) if row else other).append(item)
    findings = []
    for service, items in sorted(exposed.items()):
        first = items[0]
        ev = {**base, "port": first["port"], "protocol": first["protocol"], "address": first["address"],
              "ports": sorted({i["port"] for i in items}), "open": items}
        if first.get("banner"):
            ev["banner"] = first["banner"]
        where = ", ".join(f"{i['address']}:{i['port']}/{i['protocol']}" for i in items)
        findings.append(EXPOSED[service].finding(
            Status.FAIL, target=target, evidence=ev,
            detail=Text(fr=f"Port ouvert : {where}", en=f"Open port: {where}")))
    if other:
        where = ", ".join(f"{i['address']}:{i['port']}/{i['protocol']}" for i in other)
        findings.append(OTHER_OPEN.finding(
            Status.INFO, target=target, evidence={**base, "open": other},
            detail=Text(fr=f"Autres ports ouverts : {where}", en=f"Other open ports: {where}")))
    timed_out = sorted(a for a, h in hosts.items() if h.get("timed_out"))
    summary = {**base, **counts, "addresses": sorted(obs.get("addresses") or hosts)}
    if obs.get("not_tested"):
        summary["not_tested"] = obs["not_tested"]
    if timed_out:
        summary["timed_out"] = timed_out
    if exposed:
        findings.append(RISKY_NONE.finding(
            Status.INFO, target=target, evidence={**summary, "exposed": sorted(exposed)},
            detail=Text(fr=f"{len(exposed)} service(s) à risque exposé(s) : voir les constats ports.*.exposed.",
                        en=f"{len(exposed)} risky service(s) exposed: see the ports.*.exposed findings.")))
    elif timed_out or not hosts:
        findings.append(RISKY_NONE.finding(
            Status.ERROR, target=target, evidence={**summary, "reason": "host-timeout" if timed_out else "no-host"},
            detail=Text(fr="Le balayage n'a pas abouti dans le temps imparti (hôte injoignable ou filtré ?).",
                        en="The scan did not finish in time (host unreachable or filtered?).")))
    else:
        note_fr = note_en = ""
        if counts["filtered"] and not counts["open"] and not counts["closed"]:
            note_fr, note_en = " (aucun port n'a répondu : tous filtrés)", " (no port answered: all filtered)"
        findings.append(RISKY_NONE.finding(
            Status.PASS, target=target, evidence=summary,
            detail=Text(fr=f"Aucun des ports à risque n'est ouvert{note_fr}.",
                        en=f"None of the risky ports is open{note_en}.")))
    return findings
