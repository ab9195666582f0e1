"""DNSSEC check (RFC 4033-4035, algorithms per RFC 8624): metadata and pure judge, from the observation
of `cyberaudit.probes.dns.dnssec_state`. The family's judge is `checks.dns.judge`."""

from __future__ import annotations

import re

from ..model import Finding, Text
from . import check
from .outcome import detail, errors_for

DNSSEC_VALID = check(
    "dns.dnssec.valid", severity="medium",
    title=Text(fr="Zone signée avec DNSSEC et chaîne de confiance valide",
               en="Zone signed with DNSSEC and a valid chain of trust"),
    explanation=Text(
        fr="Sans DNSSEC, un attaquant peut falsifier les réponses DNS et détourner le courriel ou les usagers "
           "vers un faux site. Une signature invalide est pire : les résolveurs qui valident ne trouvent plus "
           "le domaine.",
        en="Without DNSSEC an attacker can forge DNS answers and divert mail or residents to a fake site. An "
           "invalid signature is worse: validating resolvers can no longer find the domain."),
    remediation=Text(
        fr="Activer la signature DNSSEC chez l'hébergeur DNS (algorithme 13 ECDSA P-256 ou 8 RSA/SHA-256), "
           "publier l'enregistrement DS chez le bureau d'enregistrement et surveiller le renouvellement des "
           "signatures.",
        en="Enable DNSSEC signing at the DNS host (algorithm 13 ECDSA P-256 or 8 RSA/SHA-256), publish the DS "
           "record at the registrar and monitor signature renewal."),
    refs=["rfc:4033", "rfc:4035", "rfc:8624", "anssi-pa-066:R50+"], effort="medium",
)


def judge_dnssec(target: str, obs: dict) -> Finding:
    """obs: {"state": secure|insecure|unsupported|bogus|error, "reason", "algorithms", "expires_in_days", "chain"}."""
    state = obs.get("state")
    ev = {k: v for k, v in obs.items() if v is not None}
    if state == "error":
        return errors_for([DNSSEC_VALID], target, obs.get("reason", "error"))[0]
    if state == "bogus":
        return DNSSEC_VALID.finding("fail", target=target, severity="high", evidence={**ev, "result": "bogus"},
                                    detail=detail(f"signatures invalides (bogus) : {bogus_words(obs.get('reason'))}",
                                                  f"signatures do not validate (bogus): {obs.get('reason')}"))
    if state == "insecure":
        fr, en = insecure_words(str(obs.get("reason") or ""))
        return DNSSEC_VALID.finding("fail", target=target, evidence={**ev, "result": "unsigned"}, detail=detail(
            f"zone non signée ou sans DS chez le parent ({fr})", f"zone unsigned or no DS at the parent ({en})"))
    if state == "unsupported":  # RFC 4035 §5.2: no supported algorithm, so validators treat it as insecure
        return DNSSEC_VALID.finding("warn", target=target, evidence={**ev, "result": "unsupported"}, detail=detail(
            f"zone signée avec un algorithme ou un condensat non pris en charge, donc traitée comme non signée "
            f"({bogus_words(obs.get('reason'))})",
            f"zone signed with an unsupported algorithm or digest, so treated as unsigned ({obs.get('reason')})"))
    old = [a for a in obs.get("algorithms", []) if a in (1, 3, 5, 6, 7, 12)]
    days = obs.get("expires_in_days")
    if old:
        return DNSSEC_VALID.finding("warn", target=target, evidence={**ev, "result": "secure"}, detail=detail(
            f"algorithme obsolète (RSA/SHA-1) : {old}", f"deprecated algorithm (RSA/SHA-1): {old}"))
    if days is not None and days < 3:
        hours = max(0, int(days * 24))
        fr, en = ((f"dans environ {hours} heures", f"in about {hours} hours") if hours >= 2
                  else ("dans moins de 2 heures", "in less than 2 hours"))
        return DNSSEC_VALID.finding("warn", target=target, evidence={**ev, "result": "secure"}, detail=detail(
            f"signatures expirant {fr}", f"signatures expire {en}"))
    return DNSSEC_VALID.finding("pass", target=target, evidence={**ev, "result": "secure"}, detail=detail(
        "chaîne de confiance valide", "chain of trust validates"))


def insecure_words(reason: str) -> tuple[str, str]:
    """The probe's reason for an insecure zone (an English fact, kept as such in the evidence), in words."""
    if reason == "DNSKEY without DS at the parent":
        return "clés DNSKEY publiées, mais aucun DS chez le parent", reason
    if reason == "no DNSKEY":
        return "aucune clé DNSKEY publiée", "no DNSKEY published"
    if reason.endswith(" is not signed"):
        name = reason.removesuffix(" is not signed")
        return f"{name} n'est pas signée", reason
    return reason, reason


# The probe's reasons for a bogus (or unsupported) chain, English facts kept as such in the evidence,
# worded in French for the detail. A reason no pattern knows is shown as it is.
_T = r"([A-Z0-9]+)"  # a record type
_N = r"(\S+)"  # a domain name
BOGUS_FR = [
    (r"no records", "aucun enregistrement"),
    (rf"no RRSIG over {_T}", r"aucune signature RRSIG sur les enregistrements \1"),
    (rf"{_T}: no RRSIGs validated", r"aucune signature des enregistrements \1 ne se vérifie"),
    (rf"{_T}: expired", r"la signature des enregistrements \1 a expiré"),
    (rf"{_T}: not yet valid", r"la signature des enregistrements \1 n'est pas encore valide"),
    (rf"{_T}: unknown key", r"les enregistrements \1 sont signés par une clé inconnue"),
    (rf"{_T}: verify failure", r"la signature des enregistrements \1 est fausse"),
    (rf"{_T}: (.+)", r"signature des enregistrements \1 invalide (\2)"),
    (r"DS published but no DNSKEY", "un DS est publié chez le parent, mais la zone ne publie aucune clé DNSKEY"),
    (r"trust anchor key not published", "la clé de l'ancre de confiance n'est pas publiée par la zone"),
    (r"no DNSKEY matches the DS", "aucune clé DNSKEY de la zone ne correspond au DS publié chez le parent"),
    (rf"denial record {_N} is outside the parent zone {_N}",
     r"la preuve de non-existence \1 est hors de la zone parente \2"),
    (r"(.+) lists a DS record: the denial contradicts itself",
     r"\1 annonce un DS : la preuve de non-existence se contredit"),
    (r"(.+) comes from the child zone \(SOA bit\), not from the parent",
     r"\1 vient de la zone elle-même (bit SOA), pas de son parent"),
    (r"(.+) has no NS bit: not a delegation", r"\1 n'a pas le bit NS : ce n'est pas une délégation"),
    (rf"no NSEC covers {_N}", r"aucun NSEC ne couvre \1"),
    (rf"no NSEC denies the wildcard {_N}", r"aucun NSEC n'exclut le joker \1"),
    (r"NSEC3 with (\d+) iterations \(more than (\d+)\)", r"NSEC3 à \1 itérations (plus de \2)"),
    (rf"no NSEC3 covers {_N}", r"aucun NSEC3 ne couvre \1"),
    (rf"no NSEC3 denies the wildcard {_N}", r"aucun NSEC3 n'exclut le joker \1"),
    (rf"NSEC3 covering {_N} has no opt-out flag: {_N} would not exist",
     r"le NSEC3 qui couvre \1 n'a pas le drapeau opt-out : \2 n'existerait pas"),
    (rf"no NSEC3 proves that {_N} has no DS", r"aucun NSEC3 ne prouve que \1 n'a pas de DS"),
    (rf"the signed parent {_N} denies a DS at {_N} without any NSEC/NSEC3 proof",
     r"le parent signé \1 nie un DS pour \2 sans preuve NSEC/NSEC3"),
    (rf"no NSEC record at {_N} proves it has no DS", r"aucun NSEC en \1 ne prouve l'absence de DS"),
    (rf"{_N}: no DS with a supported algorithm and digest \((.+)\)",
     r"\1 : aucun DS d'un algorithme et d'un condensat pris en charge (\2)"),
]
_BOGUS_FR = [(re.compile(pattern), words) for pattern, words in BOGUS_FR]


def bogus_words(reason: object) -> str:
    """The probe's reason for a bogus or unsupported chain, in French (as it is when no pattern knows it)."""
    text = str(reason or "")
    for pattern, words in _BOGUS_FR:
        m = pattern.fullmatch(text)
        if m:
            return m.expand(words).replace("algorithm ", "algorithme ").replace("/digest ", "/condensat ")
    return text
