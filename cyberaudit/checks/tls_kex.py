"""Key-exchange parameters check (pure): the finite-field DH group a DHE server sends, and the curve
or group of ECDHE and TLS 1.3, judged against ANSSI's TLS guide R7 / R7- (SDE-NT-35 v1.2).

obs["kex"] (from `cyberaudit.probes.tlsscan.scanner`; p, g, ys as ints or hex text):
    {"dhe": {"p", "g", "ys", "suite"} | {"status": "rejected"|"error", "reason"} | None,
     "ecdhe": {"curve": code, "suite"} | {"explicit": True} | {"status": ...} | None,
     "tls13": {"group": code} | None}
"""

from __future__ import annotations

from ..model import Finding, Text
from . import check
from .dh_groups import FFDHE_GROUPS, GOOD_CURVES, analyse_dh, group_name

MIN_DH_BITS = 2048

KEX = check(
    "tls.kex.params", severity="high",
    title=Text(fr="Paramètres d'échange de clés robustes (groupe DH, courbe)",
               en="Strong key-exchange parameters (DH group, curve)"),
    explanation=Text(
        fr="L'échange de clés protège tous les échanges : un groupe Diffie-Hellman de moins de 2048 bits, un "
           "module qui n'est pas un nombre premier sûr ou une courbe faible permettent de déchiffrer le trafic "
           "enregistré (attaque Logjam).",
        en="The key exchange protects all traffic: a Diffie-Hellman group under 2048 bits, a modulus that is "
           "not a safe prime or a weak curve let an attacker decrypt recorded traffic (Logjam attack)."),
    remediation=Text(
        fr="Préférer ECDHE (x25519, P-256) ; si DHE reste nécessaire, utiliser un groupe standard d'au moins "
           "2048 bits (ffdhe2048 à ffdhe4096, RFC 7919) : nginx `ssl_dhparam` avec un fichier de "
           "`openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe3072`, ou retirer les suites DHE.",
        en="Prefer ECDHE (x25519, P-256); if DHE is still needed, use a standard group of at least 2048 bits "
           "(ffdhe2048 to ffdhe4096, RFC 7919): nginx `ssl_dhparam` with a file from "
           "`openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe3072`, or remove the DHE suites."),
    refs=["anssi-tls:R7", "anssi-tls:R6", "rfc:7919"], effort="low",
)


def _int(value: int | str | None) -> int | None:
    """An observed DH number: an int, or its hex text (how observations carry it: JSON-safe at any size)."""
    return int(value, 16) if isinstance(value, str) else value


def _dhe(dhe: dict) -> tuple[dict, list[tuple[str, str]]]:
    info = analyse_dh(_int(dhe["p"]), _int(dhe["g"]), _int(dhe.get("ys")))
    info["suite"] = dhe.get("suite")
    label = info["group"] or f"{info['bits']} bits"
    problems = []
    if info["bits"] < MIN_DH_BITS:
        problems.append((f"groupe DHE de {info['bits']} bits (moins de {MIN_DH_BITS})",
                         f"DHE group of {info['bits']} bits (under {MIN_DH_BITS})"))
    problems += [(f"groupe DHE {label} : {p}", f"DHE group {label}: {p}") for p in info["problems"]
                 if "not tested" not in p]
    return info, problems


def _curve(code: int) -> tuple[str, list[tuple[str, str]]]:
    name = group_name(code)
    if code in FFDHE_GROUPS or name in GOOD_CURVES:
        return name, []
    return name, [(f"courbe ou groupe non recommandé : {name}", f"curve or group not recommended: {name}")]


def judge_kex(target: str, obs: dict) -> Finding | None:
    """None when the server offered no ephemeral key exchange we could look at (nothing to judge)."""
    kex = obs.get("kex") or {}
    ev: dict = {"address": obs.get("address")}
    problems: list[tuple[str, str]] = []
    seen: list[str] = []
    errors = []
    dhe, ecdhe, tls13 = kex.get("dhe") or {}, kex.get("ecdhe") or {}, kex.get("tls13") or {}
    if "p" in dhe:
        ev["dhe"], found = _dhe(dhe)
        problems += found
        seen.append(f"DHE {ev['dhe']['group'] or str(ev['dhe']['bits']) + ' bits'}")
    elif dhe.get("status") == "error":
        errors.append(f"DHE: {dhe.get('reason')}")
    if ecdhe.get("explicit"):
        ev["ecdhe"] = {"explicit": True}
        problems.append(("courbe explicite (non nommée)", "explicit (unnamed) curve"))
    elif "curve" in ecdhe:
        name, found = _curve(ecdhe["curve"])
        ev["ecdhe"] = {"group": name, "suite": ecdhe.get("suite")}
        problems += found
        seen.append(f"ECDHE {name}")
    elif ecdhe.get("status") == "error":
        errors.append(f"ECDHE: {ecdhe.get('reason')}")
    if "group" in tls13:
        name, found = _curve(tls13["group"])
        ev["tls13"] = {"group": name}
        problems += found
        seen.append(f"TLS 1.3 {name}")
    if errors:
        ev["errors"] = errors
    if problems:
        return KEX.finding("fail", target=target, evidence=ev, detail=Text(
            fr="Échange de clés faible : " + " ; ".join(p[0] for p in problems) + ".",
            en="Weak key exchange: " + "; ".join(p[1] for p in problems) + "."))
    if seen:
        return KEX.finding("pass", target=target, evidence=ev, detail=Text(
            fr="Groupes : " + ", ".join(seen) + ".", en="Groups: " + ", ".join(seen) + "."))
    if errors:
        return KEX.finding("error", target=target, evidence=ev, detail=Text(
            fr="Paramètres d'échange de clés non lisibles : " + "; ".join(errors) + ".",
            en="Key-exchange parameters could not be read: " + "; ".join(errors) + "."))
    return None
