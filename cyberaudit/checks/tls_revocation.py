"""Certificate revocation check (pure), judged from `cyberaudit.probes.tlsscan.revocation` observations:
stapled OCSP, OCSP responder, CRL (ANSSI TLS R33, R35; RFC 6960, RFC 5280)."""

from __future__ import annotations

from ..model import Finding, Text
from . import check

REVOCATION = check(
    "tls.cert.revocation", severity="critical",
    title=Text(fr="Certificat non révoqué", en="Certificate not revoked"),
    explanation=Text(
        fr="Un certificat révoqué a été retiré par son autorité (clé volée, erreur d'émission) : le garder, "
           "c'est laisser un tiers se faire passer pour le site. L'agrafage OCSP permet aux navigateurs de le "
           "vérifier sans interroger l'autorité.",
        en="A revoked certificate was withdrawn by its authority (stolen key, misissuance): keeping it lets a "
           "third party impersonate the site. OCSP stapling lets browsers check it without asking the authority."),
    remediation=Text(
        fr="Remplacer immédiatement un certificat révoqué (nouvelle clé, nouveau certificat) ; activer "
           "l'agrafage OCSP (nginx `ssl_stapling on; ssl_stapling_verify on;`, Apache `SSLUseStapling on`).",
        en="Replace a revoked certificate at once (new key, new certificate); enable OCSP stapling (nginx "
           "`ssl_stapling on; ssl_stapling_verify on;`, Apache `SSLUseStapling on`)."),
    refs=["anssi-tls:R35", "anssi-tls:R33", "rfc:6960", "rfc:5280"], effort="low",
)


def judge_revocation(target: str, obs: dict) -> Finding:
    """obs: {"status": good|revoked|unknown|error|none, "source", "reason", "revoked_at", "ocsp_urls", ...}."""
    status = obs.get("status", "error")
    ev = {k: v for k, v in obs.items() if v not in (None, [], "")}
    source = obs.get("source", "")
    if status == "revoked":
        return REVOCATION.finding("fail", target=target, evidence=ev, detail=Text(
            fr=f"Certificat révoqué le {obs.get('revoked_at', '?')[:10]} (motif : {obs.get('reason')}, source : "
               f"{source}).",
            en=f"Certificate revoked on {obs.get('revoked_at', '?')[:10]} (reason: {obs.get('reason')}, source: "
               f"{source})."))
    if status == "good":
        stapled = source == "stapled OCSP"
        return REVOCATION.finding("pass", target=target, evidence=ev, detail=Text(
            fr=f"Non révoqué (source : {source})" + ("." if stapled else " ; l'agrafage OCSP n'est pas actif."),
            en=f"Not revoked (source: {source})" + ("." if stapled else "; OCSP stapling is not enabled.")))
    if status == "none":
        return REVOCATION.finding("info", target=target, evidence=ev, detail=Text(
            fr="Le certificat n'indique ni répondeur OCSP ni liste de révocation (ANSSI TLS R33) : sa révocation "
               "ne peut pas être vérifiée.",
            en="The certificate names no OCSP responder and no CRL (ANSSI TLS R33): its revocation cannot be "
               "checked."))
    if status == "unknown":
        return REVOCATION.finding("warn", target=target, evidence=ev, severity="medium", detail=Text(
            fr="Le répondeur OCSP ne connaît pas ce certificat.", en="The OCSP responder does not know this certificate."))
    return REVOCATION.finding("error", target=target, evidence=ev, detail=Text(
        fr=f"État de révocation non vérifiable : {obs.get('reason')}.",
        en=f"Revocation status could not be checked: {obs.get('reason')}."))
