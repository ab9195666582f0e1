"""Remote-access and login surfaces that need MFA: portal signatures and the judge.

Pure module: `match()` tests a fetched page against a signature of data/mfa_portals.yaml,
`cloud_suites()` reads DNS answers, `ssh_methods()` reads nmap's ssh-auth-methods output,
and `judge()` turns a recorded observation into `mfa.surface.<kind>` findings.

Every surface is a `warn` (confirm that MFA is enforced there); an exposed RDP port or an
SSH server offering passwords is a `fail` with evidence `confirmable: true` (an interview answer
confirming MFA there may still turn it into a pass). The interview join (cyberaudit/joins.py) may turn
a warn into a pass: the evidence keeps `product`, `url` and `host` at the top level for that.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..content.locate import data_file
from ..disk.fileio import load_yaml, validate
from ..model import Finding, Status, Text
from . import CheckInfo, check

Kind = Literal["vpn", "webmail", "remote_desktop", "admin"]
_ENDPOINT = re.compile(r"^(https?):(\d{1,5})$")
BODY_LIMIT = 256 * 1024


class Portal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    product: str = Field(min_length=1)
    kind: Kind
    endpoints: list[str] = Field(default_factory=lambda: ["https:443", "http:80"])
    paths: list[str] = Field(min_length=1)
    status: list[int] = Field(default_factory=lambda: [200])
    title: str | None = None
    body: list[str] = Field(default_factory=list)
    headers: dict[str, str] = Field(default_factory=dict)

    @field_validator("endpoints")
    @classmethod
    def _endpoints(cls, v: list[str]) -> list[str]:
        for e in v:
            m = _ENDPOINT.match(e)
            if not m or not 0 < int(m.group(2)) < 65536:
                raise ValueError(f"endpoint {e!r} must look like 'https:443'")
        return v

    @field_validator("paths")
    @classmethod
    def _paths(cls, v: list[str]) -> list[str]:
        for p in v:
            if not p.startswith("/") or any(c.isspace() for c in p):
                raise ValueError(f"path {p!r} must start with '/' and contain no space")
        return v

    @model_validator(mode="after")
    def _patterns(self) -> Portal:
        if not (self.title or self.body or self.headers):
            raise ValueError("a signature needs at least one of title, body, headers")
        for rx in [self.title or "", *self.body, *self.headers.values()]:
            try:
                re.compile(rx)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {rx!r}: {exc}") from None
        return self


class PortalTable(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["cyberaudit/mfa-portals/v1"] = Field(alias="schema")
    portals: list[Portal]

    @model_validator(mode="after")
    def _unique(self) -> PortalTable:
        ids = [p.id for p in self.portals]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"duplicate portal id(s): {sorted(dup)}")
        return self


def load_portals(path=None) -> PortalTable:
    path = path or data_file("mfa_portals.yaml")
    return validate(PortalTable, load_yaml(path), str(path))


PORTALS = load_portals()

_REFS_REMOTE = ["anssi-hygiene:13", "anssi-hygiene:32", "recyf:8.3"]
_CONFIRM = Text(
    fr="Confirmer que l'authentification multifacteur est imposée à tous les comptes sur cet accès (réponse "
       "dans l'entretien) ; sinon l'activer, ou fermer l'accès depuis Internet.",
    en="Confirm that multi-factor authentication is enforced for every account on this access (answer in the "
       "interview); otherwise enable it, or close the access from the Internet.",
)


def _surface(kind: str, severity: str, fr: str, en: str, why_fr: str, why_en: str, refs: list[str],
             remediation: Text = _CONFIRM) -> CheckInfo:
    return check(f"mfa.surface.{kind}", severity=severity, title=Text(fr=fr, en=en),
                 explanation=Text(fr=why_fr, en=why_en), remediation=remediation, refs=refs, effort="medium")


SURFACES: dict[str, CheckInfo] = {
    "vpn": _surface(
        "vpn", "high", "Portail VPN exposé : MFA à confirmer", "Exposed VPN portal: MFA to be confirmed",
        "Un portail VPN ouvre le réseau interne : avec un simple mot de passe volé ou deviné, un attaquant "
        "entre. Ces portails sont aussi une cible privilégiée des failles critiques.",
        "A VPN portal opens the internal network: a single stolen or guessed password lets an attacker in. "
        "These portals are also a favourite target of critical flaws.", _REFS_REMOTE),
    "webmail": _surface(
        "webmail", "high", "Webmail exposé : MFA à confirmer", "Exposed webmail: MFA to be confirmed",
        "L'ANSSI recommande de ne pas exposer l'accès aux boîtes aux lettres sur Internet (PA-066 R40) ; "
        "si le risque est accepté (R40-), l'accès doit être restreint, surveillé et protégé par MFA.",
        "ANSSI recommends not exposing mailbox access on the Internet (PA-066 R40); when the risk is accepted "
        "(R40-), access must be restricted, monitored and protected by MFA.",
        ["anssi-pa-066:R40", "anssi-pa-066:R40-", "anssi-hygiene:13", "recyf:8.3"]),
    "remote_desktop": _surface(
        "remote_desktop", "critical", "Bureau à distance exposé", "Exposed remote desktop",
        "Un accès de bureau à distance joignable depuis Internet est la première porte d'entrée des "
        "rançongiciels ; un port RDP ouvert sans passerelle ne permet pas d'imposer la MFA.",
        "Remote desktop reachable from the Internet is the main way in for ransomware; an open RDP port "
        "without a gateway cannot enforce MFA.", _REFS_REMOTE,
        Text(fr="Fermer le port RDP ; publier le bureau à distance uniquement via un VPN ou une passerelle "
                "avec MFA, et confirmer la MFA dans l'entretien.",
             en="Close the RDP port; publish remote desktop only through a VPN or a gateway with MFA, and "
                "confirm MFA in the interview.")),
    "admin": _surface(
        "admin", "high", "Console d'administration exposée", "Exposed administration console",
        "Une console d'administration accessible depuis Internet donne, avec un seul mot de passe, la main "
        "sur un serveur, un NAS ou une base de données.",
        "An administration console reachable from the Internet hands over a server, a NAS or a database "
        "with a single password.", ["anssi-hygiene:13", "anssi-hygiene:28", "recyf:8.3"]),
    "cloud_suite": _surface(
        "cloud_suite", "medium", "Suite bureautique en ligne : MFA à confirmer",
        "Cloud office suite: MFA to be confirmed",
        "Le DNS montre une suite en ligne (Microsoft 365, Google Workspace) : sa page de connexion est "
        "ouverte à tous sur Internet, seule la MFA protège les comptes contre l'hameçonnage.",
        "DNS shows an online suite (Microsoft 365, Google Workspace): its login page is open to anyone on the "
        "Internet, and only MFA protects accounts against phishing.", ["anssi-hygiene:13", "recyf:8.3"]),
    "ssh_password": _surface(
        "ssh_password", "high", "SSH accepte les mots de passe", "SSH accepts passwords",
        "Un serveur SSH exposé qui accepte les mots de passe subit des essais en continu ; les clés (ou "
        "un second facteur) suppriment ce risque.",
        "An exposed SSH server that accepts passwords faces constant guessing; keys (or a second factor) "
        "remove that risk.", ["anssi-hygiene:13", "anssi-hygiene:32", "recyf:8.3"],
        Text(fr="Désactiver l'authentification par mot de passe (PasswordAuthentication no) et n'accepter "
                "que des clés, ou réserver SSH au VPN.",
             en="Disable password authentication (PasswordAuthentication no) and accept keys only, or keep "
                "SSH behind the VPN.")),
}

NONE = check(
    "mfa.surface.none", severity="info",
    title=Text(fr="Aucune surface de connexion exposée détectée", en="No exposed login surface detected"),
    explanation=Text(fr="Aucun portail VPN, webmail, bureau à distance ou console d'administration connu n'a "
                        "été reconnu sur les noms analysés.",
                     en="No known VPN portal, webmail, remote desktop or administration console was recognised "
                        "on the scanned names."),
    remediation=Text(fr="Rien à faire.", en="Nothing to do."), refs=["anssi-hygiene:32"],
)


# --------------------------------------------------------------------------- matching


@cache
def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern)


_TITLE = re.compile(r"<title[^>]*>(.{0,500}?)</title", re.IGNORECASE | re.DOTALL)


def page_title(body: str) -> str:
    m = _TITLE.search(body[:BODY_LIMIT])
    return " ".join(m.group(1).split())[:200] if m else ""


def match(portal: Portal, status: int, headers: dict[str, str], body: str) -> list[str] | None:
    """Markers that matched, or None. `headers` keys are lowercase."""
    if status not in portal.status:
        return None
    body = body[:BODY_LIMIT]
    found = []
    if portal.title:
        title = page_title(body)
        if not _rx("(?i)" + portal.title).search(title):
            return None
        found.append(f"title~{portal.title}")
    for rx in portal.body:
        if not _rx(rx).search(body):
            return None
        found.append(f"body~{rx}")
    for name, rx in portal.headers.items():
        value = headers.get(name.lower())
        if value is None or not _rx(rx).search(value):
            return None
        found.append(f"header:{name}~{rx}")
    return found


def requests_plan() -> dict[tuple[str, int], list[str]]:
    """(scheme, port) -> sorted unique paths to fetch there."""
    plan: dict[tuple[str, int], set[str]] = {}
    for p in PORTALS.portals:
        for e in p.endpoints:
            scheme, port = e.split(":")
            plan.setdefault((scheme, int(port)), set()).update(p.paths)
    return {k: sorted(v) for k, v in sorted(plan.items())}


def portals_for(scheme: str, port: int, path: str) -> list[Portal]:
    return [p for p in PORTALS.portals if f"{scheme}:{port}" in p.endpoints and path in p.paths]


# --------------------------------------------------------------------------- DNS and SSH


def cloud_suites(mx: list[str], autodiscover: list[str], txt: list[str]) -> list[dict[str, Any]]:
    """Cloud suites suggested by DNS: MX hosts, autodiscover CNAME targets, apex TXT strings."""
    mx = [m.lower().rstrip(".") for m in mx]
    autodiscover = [a.lower().rstrip(".") for a in autodiscover]
    out = []
    ms = []
    if any(m.endswith(".mail.protection.outlook.com") for m in mx):
        ms.append("mx")
    if any(a == "autodiscover.outlook.com" for a in autodiscover):
        ms.append("autodiscover")
    if any(t.strip().startswith("MS=") for t in txt):
        ms.append("txt")
    if ms:
        out.append({"product": "Microsoft 365", "signals": ms, "url": "https://login.microsoftonline.com/"})
    gw = []
    if any(m == "smtp.google.com" or m.endswith(".google.com") or m.endswith(".googlemail.com") for m in mx):
        gw.append("mx")
    if gw and any(t.strip().startswith("google-site-verification=") for t in txt):
        gw.append("txt")  # alone it only proves a Search Console owner, so it only supports the MX
    if gw:
        out.append({"product": "Google Workspace", "signals": gw, "url": "https://accounts.google.com/"})
    return out


def ssh_methods(script_output: str | None) -> list[str] | None:
    """Methods listed by nmap's ssh-auth-methods script (None when it said nothing usable)."""
    if not script_output or "Supported authentication methods" not in script_output:
        return None
    tail = script_output.split("Supported authentication methods", 1)[1]
    methods = [line.strip() for line in tail.splitlines()[1:] if line.strip()]
    return sorted({m for m in methods if re.fullmatch(r"[a-z0-9@.\-]{1,64}", m)})


# --------------------------------------------------------------------------- judge


def _base(obs: dict[str, Any]) -> dict[str, Any]:
    out = {"authorization": obs["authorization"]} if obs.get("authorization") else {}
    if obs.get("authorized_entries"):  # {name: the inventory entry (or --authorized) that allowed it}
        out["authorized_entries"] = obs["authorized_entries"]
    return out


def _top(item: dict[str, Any]) -> dict[str, Any]:
    return {k: item[k] for k in ("product", "url", "host") if k in item}


def judge(obs: dict[str, Any]) -> list[Finding]:
    """Findings `mfa.surface.*` for one target from its observation (see probes/mfa.py)."""
    target, base = obs["target"], _base(obs)
    if obs.get("error"):
        return [NONE.finding(Status.ERROR, target=target, evidence={**base, "reason": obs["error"]},
                             detail=Text(fr="Les surfaces de connexion n'ont pas pu être recherchées.",
                                         en="Login surfaces could not be looked for."))]
    findings: list[Finding] = []
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for s in sorted(obs.get("surfaces", []), key=lambda s: (s["kind"], s["url"])):
        by_kind.setdefault(s["kind"], []).append(s)
    rdp = [{"product": f"RDP ({r['port']}/tcp)", "url": f"rdp://{r['host']}:{r['port']}", **r}
           for r in sorted(obs.get("rdp", []), key=lambda r: (r["host"], r["port"]))]
    if rdp:
        by_kind["remote_desktop"] = rdp + by_kind.get("remote_desktop", [])
    for kind in ("vpn", "webmail", "remote_desktop", "admin"):
        items = by_kind.get(kind)
        if not items:
            continue
        status, sev = Status.WARN, None
        if kind == "remote_desktop":
            status, sev = (Status.FAIL, None) if rdp else (Status.WARN, "high")
        names = ", ".join(f"{i['product']} ({i['url']})" for i in items)
        ev = {**base, **_top(items[0]), "surfaces": items}
        if status is Status.FAIL:
            ev["confirmable"] = True  # fail unless the interview confirms MFA there (cyberaudit/joins.py)
        findings.append(SURFACES[kind].finding(
            status, target=target, severity=sev, evidence=ev,
            detail=Text(fr=f"Détecté : {names}", en=f"Detected: {names}")))
    findings += _judge_ssh(target, obs.get("ssh", []), base)
    cloud = obs.get("cloud") or []
    if cloud:
        names = ", ".join(f"{c['product']} ({'+'.join(c['signals'])})" for c in cloud)
        findings.append(SURFACES["cloud_suite"].finding(
            Status.WARN, target=target, evidence={**base, **_top(cloud[0]), "suites": cloud},
            detail=Text(fr=f"Suite(s) en ligne déduite(s) du DNS : {names}",
                        en=f"Cloud suite(s) inferred from DNS: {names}")))
    elif obs.get("dns_error"):
        findings.append(SURFACES["cloud_suite"].finding(
            Status.ERROR, target=target, evidence={**base, "reason": obs["dns_error"]}))
    if not any(f.status in (Status.WARN, Status.FAIL) for f in findings):
        if obs.get("resolution_error"):
            findings.append(NONE.finding(Status.ERROR, target=target,
                                         evidence={**base, "reason": obs["resolution_error"]}))
            return findings
        unread = obs.get("fetch_errors") or []
        if unread:  # an open endpoint whose page could not be read: a login surface may be there
            urls = ", ".join(sorted({e["url"] for e in unread}))
            findings.append(NONE.finding(Status.ERROR, target=target, evidence={
                **base, "reason": "unreadable pages", "unreadable": unread,
                "endpoints_open": obs.get("endpoints_open", [])}, detail=Text(
                fr=f"Pages ouvertes mais illisibles, donc non vérifiées : {urls}",
                en=f"Open but unreadable pages, so not checked: {urls}")))
            return findings
        findings.append(NONE.finding(
            Status.PASS, target=target,
            evidence={**base, "names": obs.get("names", []), "endpoints_open": obs.get("endpoints_open", [])}))
    return findings


def _judge_ssh(target: str, entries: list[dict[str, Any]], base: dict[str, Any]) -> list[Finding]:
    if not entries:
        return []
    info = SURFACES["ssh_password"]
    known = [{"product": "SSH", "url": f"ssh://{e['host']}:{e['port']}", **e}
             for e in entries if e.get("methods") is not None]
    if not known:
        e = entries[0]
        return [info.finding(Status.ERROR, target=target,
                             evidence={**base, "host": e["host"], "port": e["port"], "reason": e.get("error")})]
    pwd = [e for e in known if "password" in e["methods"]]
    kbd = [e for e in known if "keyboard-interactive" in e["methods"]]
    chosen, status = (pwd, Status.FAIL) if pwd else (kbd, Status.WARN) if kbd else (known, Status.PASS)
    e = chosen[0]
    ev = {**base, **_top(e), "port": e["port"], "methods": e["methods"], "engine": e.get("engine"),
          "servers": known}
    if status is Status.FAIL:
        # the methods list is only the first step: a second factor may follow (AuthenticationMethods)
        ev["confirmable"] = True
        detail = Text(fr=f"Méthodes proposées : {', '.join(e['methods'])} (mot de passe accepté).",
                      en=f"Methods offered: {', '.join(e['methods'])} (password accepted).")
    elif status is Status.WARN:
        detail = Text(fr="« keyboard-interactive » est proposé : souvent un mot de passe, parfois un code à "
                         "usage unique ; à confirmer.",
                      en="'keyboard-interactive' is offered: often a password, sometimes a one-time code; "
                         "to be confirmed.")
    else:
        detail = Text(fr=f"Seules ces méthodes sont proposées : {', '.join(e['methods'])}.",
                      en=f"Only these methods are offered: {', '.join(e['methods'])}.")
    return [info.finding(status, target=target, evidence=ev, detail=detail,
                         severity="medium" if status is Status.WARN else None)]
