"""Certificate checks (pure): trust, host name (RFC 6125), expiry, lifetime, key and signature,
judged from the plain-data description made by `cyberaudit.probes.tlsscan.certinfo`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

from ..model import Finding, Text
from ..words import long_date
from . import check

SAN_SHOWN = 20

TRUSTED = check(
    "tls.cert.trusted", severity="high",
    title=Text(fr="Certificat émis par une autorité reconnue", en="Certificate issued by a trusted authority"),
    explanation=Text(
        fr="Un certificat auto-signé, d'une autorité inconnue ou à chaîne incomplète déclenche des alertes ; "
           "les usagers apprennent à les ignorer, ce qui ouvre la porte aux sites frauduleux.",
        en="A self-signed certificate, one from an unknown authority or with an incomplete chain triggers "
           "warnings; users learn to click through them, which opens the door to fake sites."),
    remediation=Text(
        fr="Utiliser un certificat d'une autorité publique (ex. Let's Encrypt) et envoyer la chaîne complète : "
           "nginx `ssl_certificate fullchain.pem;`, Apache `SSLCertificateFile` avec la chaîne (2.4.8+), IIS : "
           "importer le certificat intermédiaire dans le magasin « Autorités intermédiaires ».",
        en="Use a certificate from a public authority (e.g. Let's Encrypt) and send the full chain: nginx "
           "`ssl_certificate fullchain.pem;`, Apache `SSLCertificateFile` with the chain (2.4.8+), IIS: "
           "import the intermediate certificate into the Intermediate Certification Authorities store."),
    refs=["rfc:5280"], effort="low",
)
HOSTNAME = check(
    "tls.cert.hostname", severity="high",
    title=Text(fr="Certificat au nom du site", en="Certificate matches the site name"),
    explanation=Text(
        fr="Si le nom du site ne figure pas dans le certificat, les navigateurs affichent une alerte et "
           "l'usager ne peut plus vérifier qu'il est sur le bon site.",
        en="If the site name is not in the certificate, browsers show a warning and users can no longer "
           "check they are on the right site."),
    remediation=Text(
        fr="Émettre un certificat dont l'extension subjectAltName liste chaque nom servi (ex. "
           "`certbot -d ville.fr -d www.ville.fr`) et l'associer au bon site (nginx `server_name`, Apache "
           "`ServerName`/`ServerAlias`, IIS : liaison avec SNI).",
        en="Issue a certificate whose subjectAltName lists every name served (e.g. "
           "`certbot -d ville.fr -d www.ville.fr`) and bind it to the right site (nginx `server_name`, Apache "
           "`ServerName`/`ServerAlias`, IIS: binding with SNI)."),
    refs=["anssi-tls:R29", "rfc:6125"], effort="low",
)
EXPIRY = check(
    "tls.cert.expiry", severity="critical",
    title=Text(fr="Certificat en cours de validité", en="Certificate within its validity period"),
    explanation=Text(
        fr="Un certificat expiré bloque l'accès au site dans les navigateurs ; une échéance proche sans "
           "renouvellement automatique annonce une coupure.",
        en="An expired certificate blocks access to the site in browsers; a close expiry date without "
           "automatic renewal announces an outage."),
    remediation=Text(
        fr="Renouveler le certificat et automatiser le renouvellement (certbot/acme.sh avec tâche planifiée, "
           "ou win-acme sous IIS), puis recharger le serveur (nginx `nginx -s reload`, Apache `apachectl graceful`).",
        en="Renew the certificate and automate renewal (certbot/acme.sh with a scheduled job, or win-acme on "
           "IIS), then reload the server (nginx `nginx -s reload`, Apache `apachectl graceful`)."),
    refs=["rfc:5280"], effort="low",
)
LIFETIME = check(
    "tls.cert.lifetime", severity="low",
    title=Text(fr="Durée de validité du certificat raisonnable", en="Reasonable certificate lifetime"),
    explanation=Text(
        fr="Un certificat valable trop longtemps reste utilisable longtemps après une fuite de sa clé.",
        en="A certificate valid for too long stays usable long after its key leaked."),
    remediation=Text(
        fr="Préférer des certificats courts (90 jours, renouvelés automatiquement) ; jamais plus de 825 jours.",
        en="Prefer short certificates (90 days, renewed automatically); never more than 825 days."),
    refs=["anssi-tls:R25"], effort="low",
)
KEY = check(
    "tls.cert.key", severity="high",
    title=Text(fr="Clé du certificat de taille suffisante", en="Certificate key large enough"),
    explanation=Text(
        fr="Une clé RSA de moins de 2048 bits ou EC de moins de 256 bits peut être cassée avec des moyens "
           "accessibles, ce qui permet d'usurper le site.",
        en="An RSA key under 2048 bits or an EC key under 256 bits can be broken with affordable means, which "
           "allows impersonating the site."),
    remediation=Text(
        fr="Générer une nouvelle clé ECDSA P-256 (ou RSA 3072) et un nouveau certificat, ex. "
           "`certbot --key-type ecdsa`.",
        en="Generate a new ECDSA P-256 (or RSA 3072) key and a new certificate, e.g. `certbot --key-type ecdsa`."),
    refs=["anssi-tls:R26"], effort="low",
)
SIGNATURE = check(
    "tls.cert.signature", severity="high",
    title=Text(fr="Certificat signé avec SHA-2", en="Certificate signed with SHA-2"),
    explanation=Text(
        fr="Les signatures SHA-1 et MD5 peuvent être contrefaites : un faux certificat pourrait passer pour "
           "celui de la collectivité.",
        en="SHA-1 and MD5 signatures can be forged: a fake certificate could pass for the collectivité's own."),
    remediation=Text(
        fr="Faire réémettre le certificat avec une signature SHA-256 ou plus (toutes les autorités publiques "
           "le font par défaut).",
        en="Have the certificate reissued with a SHA-256 or stronger signature (every public authority does "
           "so by default)."),
    refs=["anssi-tls:R24", "rfc:9155"], effort="low",
)

CHAIN_REF = "anssi-tls:R34"
TRUST_TEXT = {
    "self_signed": ("Certificat auto-signé.", "Self-signed certificate."),
    "unknown_ca": ("Autorité de certification inconnue.", "Unknown certificate authority."),
    "missing_intermediate": ("Chaîne incomplète : certificat intermédiaire manquant.",
                             "Incomplete chain: intermediate certificate missing."),
    "invalid": ("Chaîne de certificats invalide.", "Invalid certificate chain."),
}

ORDER_TEXT = {
    "reversed": ("Chaîne envoyée dans l'ordre inverse : le certificat du serveur d'abord, puis chaque émetteur "
                 "(ANSSI TLS R34).",
                 "Chain sent in reverse order: the server certificate first, then each issuer (ANSSI TLS R34)."),
    "unordered": ("Chaîne envoyée dans le désordre : le certificat du serveur d'abord, puis chaque émetteur "
                  "(ANSSI TLS R34).",
                  "Chain sent out of order: the server certificate first, then each issuer (ANSSI TLS R34)."),
}


def wildcard_match(pattern: str, name: str) -> bool:
    """RFC 6125 §6.4.3: `*` only as the whole left-most label, matching exactly one label; never on an
    IDN A-label, never on fewer than three labels (`*.fr`)."""
    pattern, name = pattern.lower().rstrip("."), name.lower().rstrip(".")
    if "*" not in pattern:
        return pattern == name
    head, _, rest = pattern.partition(".")
    if head != "*" or "*" in rest or rest.count(".") < 1:
        return False
    label, _, name_rest = name.partition(".")
    return bool(label) and name_rest == rest and not label.startswith("xn--")


def hostname_matches(name: str, dns_names: list[str], ips: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return any(wildcard_match(p, name) for p in dns_names)
    return any(ipaddress.ip_address(a) == ip for a in ips)


def judge_cert(target: str, name: str, obs: dict, now: dt.datetime) -> list[Finding]:
    certs = obs.get("certificates") or []
    if not certs:
        reason = ((obs.get("trust") or {}).get("reason") or obs.get("certificate_error")
                  or (f"full handshake failed: {obs['error_full_handshake']}" if obs.get("error_full_handshake")
                      else "no certificate received"))
        return [c.finding("error", target=target, evidence={"reason": reason})
                for c in (TRUSTED, HOSTNAME, EXPIRY, KEY, SIGNATURE)]
    leaf = certs[0]
    base = {"subject": leaf["subject"], "issuer": leaf["issuer"], "sha256": leaf["sha256"]}
    return [_trust(target, obs, base), _hostname(target, name, leaf, base), *_dates(target, leaf, base, now),
            _key(target, leaf, base), _signature(target, certs, base)]


def cert_problems(name: str, obs: dict, now: dt.datetime) -> list[str]:
    """Short codes of what is wrong with a certificate (for STARTTLS, where problems only warn)."""
    return sorted({f.id.split(".")[-1] for f in judge_cert(name, name, obs, now)
                   if f.status.value in ("fail", "warn") and f.id != LIFETIME.id})


def _trust(target: str, obs: dict, base: dict) -> Finding:
    trust = obs.get("trust") or {}
    status = trust.get("status", "error")
    ev = {**base, **{k: v for k, v in trust.items()}}
    if status == "trusted" and trust.get("order") in ("reversed", "unordered"):
        fr, en = ORDER_TEXT[trust["order"]]
        return TRUSTED.finding("warn", target=target, evidence=ev, severity="low", detail=Text(fr=fr, en=en))
    if status == "trusted":
        return TRUSTED.finding("pass", target=target, evidence=ev)
    if status == "error":
        return TRUSTED.finding("error", target=target, evidence=ev)
    fr, en = TRUST_TEXT.get(status, TRUST_TEXT["invalid"])
    if trust.get("order") == "reversed":
        fr, en = f"{fr} {ORDER_TEXT['reversed'][0]}", f"{en} {ORDER_TEXT['reversed'][1]}"
    found = TRUSTED.finding("fail", target=target, evidence=ev, detail=Text(fr=fr, en=en))
    if status == "missing_intermediate":  # ANSSI TLS R34 asks for an ordered, complete chain: it covers this case only
        found.references.append(CHAIN_REF)
    return found


def _hostname(target: str, name: str, leaf: dict, base: dict) -> Finding:
    sans = leaf.get("san_dns") or []
    ev = {**base, "name": name, "san_count": len(sans) + len(leaf.get("san_ip") or []),
          "san_dns": sans[:SAN_SHOWN]}
    if hostname_matches(name, sans, leaf.get("san_ip") or []):
        return HOSTNAME.finding("pass", target=target, evidence=ev)
    if not sans and not leaf.get("san_ip"):
        cn = leaf.get("subject_cn") or ""
        return HOSTNAME.finding("fail", target=target, evidence={**ev, "no_san": True, "subject_cn": cn}, detail=Text(
            fr=f"Le certificat n'a pas d'extension subjectAltName : son nom commun (CN={cn}) n'est plus lu par les "
               "navigateurs, le nom du site n'y figure donc pas (ANSSI TLS R29).",
            en=f"The certificate has no subjectAltName extension: its common name (CN={cn}) is no longer read by "
               "browsers, so the site name is not in it (ANSSI TLS R29)."))
    return HOSTNAME.finding("fail", target=target, evidence=ev, detail=Text(
        fr=f"Le nom {name} ne figure pas dans le certificat.", en=f"The name {name} is not in the certificate."))


def _dates(target: str, leaf: dict, base: dict, now: dt.datetime) -> list[Finding]:
    not_before = dt.datetime.fromisoformat(leaf["not_before"])
    not_after = dt.datetime.fromisoformat(leaf["not_after"])
    days_left = (not_after - now).total_seconds() / 86400
    ev = {**base, "not_before": leaf["not_before"], "not_after": leaf["not_after"],
          "days_left": int(days_left // 1)}
    end = Text(fr=long_date(not_after, "fr"), en=long_date(not_after, "en"))
    if now < not_before:
        f = EXPIRY.finding("fail", target=target, evidence=ev, severity="high", detail=Text(
            fr=f"Le certificat n'est pas encore valide (il le sera le {long_date(not_before, 'fr')}).",
            en=f"The certificate is not valid yet (it will be on {long_date(not_before, 'en')})."))
    elif days_left < 0:
        f = EXPIRY.finding("fail", target=target, evidence=ev, severity="critical", detail=Text(
            fr=f"Certificat expiré le {end.fr}.", en=f"Certificate expired on {end.en}."))
    elif days_left < 30:
        fr_in, en_in = in_days(int(days_left))
        f = EXPIRY.finding("fail" if days_left < 14 else "warn", target=target, evidence=ev,
                           severity="high" if days_left < 14 else "medium", detail=Text(
            fr=f"Expire le {end.fr} ({fr_in}).", en=f"Expires on {end.en} ({en_in})."))
    else:
        f = EXPIRY.finding("pass", target=target, evidence=ev)
    lifetime = (not_after - not_before).days
    limit = 825 if not_before >= dt.datetime(2018, 3, 1, tzinfo=dt.UTC) else 1095
    lt_ev = {**base, "lifetime_days": lifetime, "limit_days": limit}
    lt = LIFETIME.finding("warn" if lifetime > limit else "pass", target=target, evidence=lt_ev)
    return [f, lt]


def _key(target: str, leaf: dict, base: dict) -> Finding:
    kind, bits = leaf.get("key_type"), leaf.get("key_bits") or 0
    ev = {**base, "key_type": kind, "key_bits": bits}
    minimum = {"RSA": 2048, "EC": 256, "Ed25519": 256, "Ed448": 256}.get(kind)
    if minimum is None:
        return KEY.finding("fail", target=target, evidence=ev, detail=Text(
            fr=f"Type de clé non recommandé : {kind}.", en=f"Key type not recommended: {kind}."))
    if bits < minimum:
        return KEY.finding("fail", target=target, evidence=ev, detail=Text(
            fr=f"Clé {kind} de {bits} bits (minimum {minimum}).", en=f"{kind} key of {bits} bits (minimum {minimum})."))
    return KEY.finding("pass", target=target, evidence=ev)


def _signature(target: str, certs: list[dict], base: dict) -> Finding:
    signed = [c for c in certs if not c.get("self_issued")] or certs[:1]  # a root's self-signature does not count
    hashes = [c.get("signature_hash") for c in signed]
    ev = {**base, "signature_hashes": hashes}
    bad = sorted({h for h in hashes if h in ("sha1", "md5", "md2", "md4")})
    if bad:
        return SIGNATURE.finding("fail", target=target, evidence=ev, detail=Text(
            fr=f"Signature faible : {', '.join(bad).upper()}.", en=f"Weak signature: {', '.join(bad).upper()}."))
    return SIGNATURE.finding("pass", target=target, evidence=ev)


def in_days(days: int) -> tuple[str, str]:
    """'dans 3 jours' / 'in 3 days', with the singular and the same-day case worded."""
    if days < 1:
        return "dans moins d'un jour", "in less than a day"
    if days == 1:
        return "dans 1 jour", "in 1 day"
    return f"dans {days} jours", f"in {days} days"
