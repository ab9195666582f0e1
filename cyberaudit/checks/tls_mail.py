"""SMTP STARTTLS check (pure), judged from `cyberaudit.probes.tlsscan.smtp` observations."""

from __future__ import annotations

import datetime as dt

from ..model import Finding, Text
from . import check
from .tls_cert import cert_problems
from .tls_kex import judge_kex

STARTTLS = check(
    "mail.starttls.supported", severity="high",
    title=Text(fr="Serveur de messagerie compatible STARTTLS", en="Mail server supports STARTTLS"),
    explanation=Text(
        fr="Sans STARTTLS, les courriels échangés avec les autres organismes (usagers, préfecture, "
           "prestataires) transitent en clair sur Internet et peuvent être lus.",
        en="Without STARTTLS, mail exchanged with other organisations (residents, prefecture, suppliers) "
           "crosses the Internet in clear text and can be read."),
    remediation=Text(
        fr="Activer STARTTLS avec un certificat valide : Postfix `smtpd_tls_security_level = may` et "
           "`smtpd_tls_chain_files`, Exchange : certificat lié au service SMTP (`Enable-ExchangeCertificate "
           "-Services SMTP`) ; ou demander à l'hébergeur de messagerie. MTA-STS ou DANE rendent ensuite le "
           "chiffrement obligatoire.",
        en="Enable STARTTLS with a valid certificate: Postfix `smtpd_tls_security_level = may` and "
           "`smtpd_tls_chain_files`, Exchange: certificate bound to SMTP (`Enable-ExchangeCertificate "
           "-Services SMTP`); or ask the mail host. MTA-STS or DANE then make encryption mandatory."),
    refs=["anssi-pa-066:R42", "rfc:3207", "rfc:8461", "rfc:7672"], effort="medium",
)


def judge_starttls(mx: str, obs: dict, now: dt.datetime, *, binding: dict) -> Finding:
    """`binding`: {"mta_sts": bool, "dane": bool}; when either is set, certificate problems fail."""
    ev: dict = {"address": obs.get("address"), "banner": obs.get("banner"), "binding": binding}
    if obs.get("error"):
        ev["reason"] = obs["error"]
        return STARTTLS.finding("error", target=mx, evidence=ev, detail=Text(
            fr=f"Non testable (le serveur a peut-être limité les connexions) : {obs['error']}.",
            en=f"Not testable (the server may be rate-limiting): {obs['error']}."))
    if obs.get("starttls") is False:
        return STARTTLS.finding("fail", target=mx, evidence=ev, detail=Text(
            fr="Le serveur ne propose pas STARTTLS.", en="The server does not offer STARTTLS."))
    hs = obs.get("handshake") or {}
    if not hs.get("ok"):
        ev["reason"] = hs.get("reason")
        return STARTTLS.finding("fail", target=mx, evidence=ev, detail=Text(
            fr="STARTTLS est annoncé mais la négociation TLS échoue.",
            en="STARTTLS is announced but the TLS handshake fails."))
    ev.update(version=hs.get("version"), cipher=hs.get("cipher"))
    certs = obs.get("certificates") or []
    if certs:
        ev.update(subject=certs[0]["subject"], issuer=certs[0]["issuer"], not_after=certs[0]["not_after"],
                  trust=(obs.get("trust") or {}).get("status"))
    problems = cert_problems(mx, obs, now)  # short codes (evidence); _reservations words them
    ev["certificate_problems"] = problems
    protocols = obs.get("protocols") or {}
    weak = sorted(c for c, v in (obs.get("weak") or {}).items() if v.get("status") == "accepted" and c != "cbc")
    if protocols:
        ev["protocols"] = protocols
    if obs.get("weak"):
        ev["weak"] = {c: v.get("suites", []) for c, v in obs["weak"].items() if v.get("status") == "accepted"}
    kex = judge_kex(mx, obs)
    if kex is not None:
        ev["kex"] = {k: kex.evidence[k] for k in ("dhe", "ecdhe", "tls13") if k in kex.evidence}
        if kex.status.value == "fail":
            weak.append("key exchange")
    legacy = [p for p in ("SSLv3", "TLSv1.0", "TLSv1.1") if protocols.get(p) == "accepted"]
    if not protocols and hs.get("version") in ("SSLv3", "TLSv1", "TLSv1.1"):
        legacy = [hs["version"]]
    old = bool(legacy)
    if problems and (binding.get("mta_sts") or binding.get("dane")):
        return STARTTLS.finding("fail", target=mx, evidence=ev, detail=Text(
            fr=f"Certificat non conforme ({_reservations(problems, [], [], 0)}) alors que MTA-STS/DANE l'exigent.",
            en=f"Certificate problems ({_reservations(problems, [], [], 1)}) while MTA-STS/DANE make it binding."))
    unknown = sorted(k for k in ("mta_sts", "dane") if binding.get(k) is None and k in binding)
    if problems and unknown:  # a failed lookup never softens the verdict
        return STARTTLS.finding("fail", target=mx, evidence=ev, detail=Text(
            fr=f"Certificat non conforme ({_reservations(problems, [], [], 0)}) ; la recherche {'/'.join(unknown)} a échoué, "
               "rien ne permet de dire que le certificat n'est pas exigé.",
            en=f"Certificate problems ({_reservations(problems, [], [], 1)}); the {'/'.join(unknown)} lookup failed, so nothing "
               "shows the certificate is not binding."))
    if problems or old or weak:
        return STARTTLS.finding("warn", target=mx, evidence=ev, severity="low", detail=Text(
            fr=f"STARTTLS fonctionne, avec des réserves : {_reservations(problems, legacy, weak, 0)}.",
            en=f"STARTTLS works, with reservations: {_reservations(problems, legacy, weak, 1)}."))
    return STARTTLS.finding("pass", target=mx, evidence=ev)


# the words of the certificate problems (codes from tls_cert.cert_problems) in a reservation list
PROBLEM_WORDS = {
    "trusted": ("certificat d'une autorité non reconnue", "certificate from an untrusted authority"),
    "hostname": ("certificat à un autre nom", "certificate for another name"),
    "expiry": ("certificat expiré ou proche de l'expiration", "certificate expired or about to expire"),
    "key": ("clé du certificat trop courte", "certificate key too small"),
    "signature": ("certificat signé sans SHA-2", "certificate not signed with SHA-2"),
    "revocation": ("certificat révoqué", "revoked certificate"),
}


def _reservations(problems: list[str], legacy: list[str], weak: list[str], lang: int) -> str:
    words = [PROBLEM_WORDS.get(p, (p, p))[lang] for p in problems] + legacy
    for c in weak:
        words.append(("échange de clés faible", "weak key exchange")[lang] if c == "key exchange"
                     else (f"suites {c}", f"{c} suites")[lang])
    return ", ".join(words)
