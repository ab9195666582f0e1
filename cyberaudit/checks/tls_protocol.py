"""TLS checks (pure): protocols, suites and availability of HTTPS, judged from the observation
dicts of `cyberaudit.probes.tlsscan.scanner` against ANSSI's TLS recommendations (SDE-NT-35 v1.2).
Certificate checks live in `tls_cert.py`, the STARTTLS check in `tls_mail.py`.
"""

from __future__ import annotations

from ..model import Finding, Text
from . import check

HTTPS = check(
    "tls.https.available", severity="high",
    title=Text(fr="Site accessible en HTTPS", en="Site available over HTTPS"),
    explanation=Text(
        fr="Sans HTTPS, les pages et formulaires (démarches, identifiants) circulent en clair : n'importe qui "
           "sur le réseau peut les lire ou les modifier.",
        en="Without HTTPS, pages and forms (procedures, credentials) travel in clear text: anyone on the "
           "network path can read or alter them."),
    remediation=Text(
        fr="Obtenir un certificat (ex. Let's Encrypt via certbot) et servir le site sur le port 443 : nginx "
           "`listen 443 ssl;` avec `ssl_certificate`, Apache `SSLEngine on` (mod_ssl), IIS : liaison HTTPS "
           "dans le Gestionnaire IIS.",
        en="Get a certificate (e.g. Let's Encrypt with certbot) and serve the site on port 443: nginx "
           "`listen 443 ssl;` with `ssl_certificate`, Apache `SSLEngine on` (mod_ssl), IIS: HTTPS binding "
           "in IIS Manager."),
    refs=["anssi-hygiene:21", "anssi-pa-009:tls", "rfc:9110"], effort="low",
)

LEGACY = check(
    "tls.protocol.legacy", severity="medium",
    title=Text(fr="Anciennes versions SSLv3, TLS 1.0 et TLS 1.1 refusées",
               en="Old versions SSLv3, TLS 1.0 and TLS 1.1 refused"),
    explanation=Text(
        fr="Ces versions ont des failles connues (POODLE, BEAST) et ne sont plus sûres : un attaquant peut "
           "forcer leur emploi pour déchiffrer des échanges.",
        en="These versions have known flaws (POODLE, BEAST) and are no longer safe: an attacker can force "
           "their use to decrypt traffic."),
    remediation=Text(
        fr="N'autoriser que TLS 1.2 et 1.3 : nginx `ssl_protocols TLSv1.2 TLSv1.3;`, Apache "
           "`SSLProtocol -all +TLSv1.2 +TLSv1.3`, IIS : désactiver SSL 3.0, TLS 1.0 et 1.1 (registre "
           "SCHANNEL ou IIS Crypto).",
        en="Allow only TLS 1.2 and 1.3: nginx `ssl_protocols TLSv1.2 TLSv1.3;`, Apache "
           "`SSLProtocol -all +TLSv1.2 +TLSv1.3`, IIS: disable SSL 3.0, TLS 1.0 and 1.1 (SCHANNEL registry "
           "or IIS Crypto)."),
    refs=["anssi-tls:R4", "rfc:8996", "rfc:7568"], effort="low",
)

MODERN = check(
    "tls.protocol.modern", severity="high",
    title=Text(fr="TLS 1.2 et TLS 1.3 pris en charge", en="TLS 1.2 and TLS 1.3 supported"),
    explanation=Text(
        fr="TLS 1.3 est la version recommandée (plus rapide et plus sûre) ; TLS 1.2 reste acceptable. Un "
           "serveur sans l'une ni l'autre n'offre pas de chiffrement fiable.",
        en="TLS 1.3 is the recommended version (faster and safer); TLS 1.2 remains acceptable. A server "
           "with neither offers no reliable encryption."),
    remediation=Text(
        fr="Mettre à jour OpenSSL/le serveur web et activer TLS 1.3 : nginx `ssl_protocols TLSv1.2 TLSv1.3;`, "
           "Apache `SSLProtocol -all +TLSv1.2 +TLSv1.3`, IIS : Windows Server 2022 ou plus récent.",
        en="Update OpenSSL/the web server and enable TLS 1.3: nginx `ssl_protocols TLSv1.2 TLSv1.3;`, "
           "Apache `SSLProtocol -all +TLSv1.2 +TLSv1.3`, IIS: Windows Server 2022 or later."),
    refs=["anssi-tls:R3", "rfc:8446", "rfc:5246"], effort="low",
)

WEAK = check(
    "tls.cipher.weak", severity="high",
    title=Text(fr="Aucune suite de chiffrement faible acceptée", en="No weak cipher suite accepted"),
    explanation=Text(
        fr="Des suites faibles (sans chiffrement, « export », anonymes, RC4, DES/3DES, échange RSA sans "
           "confidentialité persistante) permettent de lire ou d'usurper les échanges ; le mode CBC est "
           "déconseillé au profit des modes AEAD.",
        en="Weak suites (no encryption, export, anonymous, RC4, DES/3DES, RSA key exchange without forward "
           "secrecy) let an attacker read or spoof traffic; CBC mode is discouraged in favour of AEAD modes."),
    remediation=Text(
        fr="N'accepter que des suites ECDHE avec AES-GCM ou ChaCha20-Poly1305 : nginx `ssl_ciphers "
           "ECDHE+AESGCM:ECDHE+CHACHA20;`, Apache `SSLCipherSuite ECDHE+AESGCM:ECDHE+CHACHA20`, IIS : ordre "
           "des suites par GPO ou IIS Crypto.",
        en="Accept only ECDHE suites with AES-GCM or ChaCha20-Poly1305: nginx `ssl_ciphers "
           "ECDHE+AESGCM:ECDHE+CHACHA20;`, Apache `SSLCipherSuite ECDHE+AESGCM:ECDHE+CHACHA20`, IIS: suite "
           "order by GPO or IIS Crypto."),
    refs=["anssi-tls:R5", "anssi-tls:R6", "anssi-tls:R9", "anssi-tls:R10", "rfc:7465", "rfc:9325"], effort="low",
)

RENEGOTIATION = check(
    "tls.renegotiation.secure", severity="medium",
    title=Text(fr="Renégociation sécurisée (RFC 5746)", en="Secure renegotiation (RFC 5746)"),
    explanation=Text(
        fr="Sans l'extension renegotiation_info, un attaquant placé sur le réseau peut injecter des données "
           "au début d'une session TLS d'un usager.",
        en="Without the renegotiation_info extension, an attacker on the network path can inject data at the "
           "start of a user's TLS session."),
    remediation=Text(
        fr="Mettre à jour la bibliothèque TLS du serveur (OpenSSL, SChannel) : toutes les versions maintenues "
           "gèrent la renégociation sécurisée ; préférer TLS 1.3, qui supprime la renégociation.",
        en="Update the server's TLS library (OpenSSL, SChannel): every maintained version supports secure "
           "renegotiation; prefer TLS 1.3, which removes renegotiation."),
    refs=["anssi-tls:R22", "rfc:5746"], effort="low",
)

# class -> (status when accepted, severity)
CLASS_VERDICT = {
    "null": ("fail", "critical"), "export": ("fail", "critical"), "anonymous": ("fail", "critical"),
    "rc4": ("fail", "high"), "des": ("fail", "medium"), "rsa_kex": ("fail", "medium"), "cbc": ("warn", "low"),
}
CLASS_LABEL = {
    "null": ("sans chiffrement (NULL)", "no encryption (NULL)"), "export": ("« export »", "export"),
    "anonymous": ("anonymes", "anonymous"), "rc4": ("RC4", "RC4"), "des": ("DES/3DES", "DES/3DES"),
    "rsa_kex": ("échange RSA sans confidentialité persistante", "RSA key exchange without forward secrecy"),
    "cbc": ("mode CBC", "CBC mode"),
}
_SEV_ORDER = ["info", "low", "medium", "high", "critical"]


def _worst(a: str, b: str) -> str:
    return a if _SEV_ORDER.index(a) >= _SEV_ORDER.index(b) else b


def judge_available(target: str, obs: dict, http_open: bool | None, https_redirect: str | None = None) -> Finding:
    ev = {"address": obs.get("address"), "port": obs.get("port")}
    if obs.get("available"):
        return HTTPS.finding("pass", target=target, evidence={**ev, **(obs.get("negotiated") or {})})
    ev["reason"] = obs.get("error")
    if obs.get("plain_http"):
        return HTTPS.finding("fail", target=target, evidence=ev, detail=Text(
            fr="Le port 443 répond en HTTP non chiffré.", en="Port 443 answers in unencrypted HTTP."))
    if http_open and https_redirect:
        return HTTPS.finding("warn", target=target, evidence={**ev, "http_redirect": https_redirect},
                             severity="medium", detail=Text(
            fr=f"HTTPS ne répond pas sur ce nom ; HTTP redirige vers {https_redirect}.",
            en=f"HTTPS does not answer on this name; HTTP redirects to {https_redirect}."))
    if http_open:
        return HTTPS.finding("fail", target=target, evidence={**ev, "http": True}, detail=Text(
            fr="Le site n'est servi qu'en HTTP (port 80) : pas de HTTPS.",
            en="The site is served over HTTP only (port 80): no HTTPS."))
    return HTTPS.finding("error", target=target, evidence=ev, detail=Text(
        fr=f"HTTPS non testable : {ev['reason']}.", en=f"HTTPS could not be tested: {ev['reason']}."))


def judge_protocols(target: str, obs: dict) -> list[Finding]:
    protos = obs.get("protocols") or {}
    errors = obs.get("protocol_errors") or {}
    ev = {"protocols": protos, "address": obs.get("address")}
    if errors:
        ev["errors"] = errors
    legacy = [p for p in ("SSLv3", "TLSv1.0", "TLSv1.1") if protos.get(p) == "accepted"]
    if legacy:
        sev = "high" if "SSLv3" in legacy else "medium"
        f1 = LEGACY.finding("fail", target=target, evidence={**ev, "accepted": legacy}, severity=sev, detail=Text(
            fr=f"Versions obsolètes acceptées : {', '.join(legacy)}.", en=f"Obsolete versions accepted: {', '.join(legacy)}."))
    elif any(protos.get(p) == "error" for p in ("SSLv3", "TLSv1.0", "TLSv1.1")):
        f1 = LEGACY.finding("error", target=target, evidence=ev)
    else:
        f1 = LEGACY.finding("pass", target=target, evidence=ev)
    t12, t13 = protos.get("TLSv1.2"), protos.get("TLSv1.3")
    if t12 == "accepted" and t13 == "accepted":
        f2 = MODERN.finding("pass", target=target, evidence=ev)
    elif "error" in (t12, t13):
        f2 = MODERN.finding("error", target=target, evidence=ev)
    elif t13 == "accepted" or t12 == "accepted":
        missing = "TLS 1.3" if t12 == "accepted" else "TLS 1.2"
        f2 = MODERN.finding("warn", target=target, evidence=ev, severity="low", detail=Text(
            fr=f"{missing} n'est pas proposé.", en=f"{missing} is not offered."))
    else:
        f2 = MODERN.finding("fail", target=target, evidence=ev, detail=Text(
            fr="Ni TLS 1.2 ni TLS 1.3 ne sont proposés.", en="Neither TLS 1.2 nor TLS 1.3 is offered."))
    return [f1, f2]


def judge_ciphers(target: str, obs: dict) -> Finding:
    weak = obs.get("weak") or {}
    accepted = {c: v for c, v in weak.items() if v.get("status") == "accepted"}
    errors = sorted(c for c, v in weak.items() if v.get("status") == "error")
    ev: dict = {"accepted": {c: v.get("suites", []) for c, v in accepted.items()},
                "tested_at": {c: v.get("version") for c, v in weak.items() if v.get("version")}}
    if errors:
        ev["errors"] = errors
    if "cbc" in accepted:
        ev["cbc_encrypt_then_mac"] = accepted["cbc"].get("encrypt_then_mac", False)
    if not accepted:
        if errors:
            return WEAK.finding("error", target=target, evidence=ev)
        return WEAK.finding("pass", target=target, evidence=ev)
    status, sev = "warn", "info"
    for cls in accepted:
        st, s = CLASS_VERDICT[cls]
        if st == "fail":
            status = "fail"
        sev = _worst(sev, s)
    fr = ", ".join(CLASS_LABEL[c][0] for c in accepted)
    en = ", ".join(CLASS_LABEL[c][1] for c in accepted)
    return WEAK.finding(status, target=target, evidence=ev, severity=sev, detail=Text(
        fr=f"Suites acceptées : {fr}.", en=f"Suites accepted: {en}."))


def judge_renegotiation(target: str, obs: dict) -> Finding | None:
    ext = obs.get("hello_extensions")
    if ext is None:
        protos = obs.get("protocols") or {}
        if protos.get("TLSv1.3") == "accepted" and not any(
                protos.get(p) == "accepted" for p in ("SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2")):
            return RENEGOTIATION.finding("pass", target=target, evidence={"tls13_only": True})
        return None
    if ext.get("secure_renegotiation"):
        return RENEGOTIATION.finding("pass", target=target, evidence=ext)
    return RENEGOTIATION.finding("fail", target=target, evidence=ext, detail=Text(
        fr="Le serveur ne répond pas à l'extension renegotiation_info.",
        en="The server does not answer the renegotiation_info extension."))
