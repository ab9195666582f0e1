"""Evidence written as sentences for people: « Réponse : non, donnée par Mme Martin le 18/11/2026 ».

The raw evidence (keys, lists of IDs, nested tables) stays in the JSON report only. Here each key
we know is turned into a short labelled phrase in the report's language; a key we do not know is
left out of the documents people read (it is still in the JSON), never shown raw.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any

from ..model import Finding, Text

# key -> (French label, English label). Values are worded by _value().
KEY_LABELS: dict[str, tuple[str, str]] = {
    # DNS, mail, TLS, web, ports, MFA
    "accepted": ("versions acceptées", "versions accepted"),
    "algorithm": ("algorithme de signature", "signature algorithm"),
    "all": ("règle finale SPF", "final SPF rule"),
    "authorization": ("test autorisé par", "test authorised by"),
    "bits": ("taille de la clé (bits)", "key size (bits)"),
    "cbc": ("suites CBC acceptées", "CBC suites accepted"),
    "chain": ("redirections suivies", "redirects followed"),
    "checked": ("noms vérifiés", "names checked"),
    "days_left": ("jours avant expiration", "days before expiry"),
    "found_at": ("trouvé à", "found at"),
    "header": ("en-tête reçu", "header received"),
    "issuer": ("émetteur", "issuer"),
    "lookups": ("requêtes DNS de la règle SPF", "DNS lookups of the SPF rule"),
    "void_lookups": ("requêtes SPF sans réponse", "void SPF lookups"),
    "missing": ("manquants", "missing"),
    "mx": ("serveurs de messagerie (MX)", "mail servers (MX)"),
    "name": ("nom", "name"),
    "names": ("noms", "names"),
    "networks": ("réseaux distincts", "distinct networks"),
    "not_after": ("valide jusqu'au", "valid until"),
    "ns": ("serveurs de noms", "name servers"),
    "policy": ("politique", "policy"),
    "port": ("port", "port"),
    "product": ("logiciel reconnu", "software recognised"),
    "protocol": ("protocole", "protocol"),
    "record": ("enregistrement", "record"),
    "records": ("enregistrements", "records"),
    "refused_by": ("refusé par", "refused by"),
    "rua": ("adresses de réception des rapports", "report addresses"),
    "san": ("noms couverts par le certificat", "names covered by the certificate"),
    "selectors": ("sélecteurs DKIM trouvés", "DKIM selectors found"),
    "server": ("serveur annoncé", "server announced"),
    "signed": ("zone signée", "zone signed"),
    "tls1_2": ("TLS 1.2 pris en charge", "TLS 1.2 supported"),
    "tls1_3": ("TLS 1.3 pris en charge", "TLS 1.3 supported"),
    "type": ("type de clé", "key type"),
    "url": ("adresse", "address"),
    "versions": ("versions", "versions"),
    "web": ("web", "web"),
    "cookies": ("cookies", "cookies"),
    "banner": ("bannière du service", "service banner"),
    "reason": ("raison", "reason"),
    "result": ("résultat", "result"),
    "zone": ("zone DNS", "DNS zone"),
    "host": ("hôte", "host"),
    "hosts": ("hôtes", "hosts"),
    "address": ("adresse IP", "IP address"),
    "addresses": ("adresses IP", "IP addresses"),
    "open": ("ports ouverts", "open ports"),
    "ports": ("ports", "ports"),
    "exposed": ("services exposés", "exposed services"),
    "state": ("état", "state"),
    "servers": ("serveurs", "servers"),
    "soa": ("enregistrement SOA", "SOA record"),
    "txt": ("enregistrement TXT", "TXT record"),
    "expires_in_days": ("jours avant expiration", "days before expiry"),
    "not_before": ("valide à partir du", "valid from"),
    "age_days": ("âge (jours)", "age (days)"),
    "lifetime_days": ("durée de validité (jours)", "validity (days)"),
    "max_age": ("durée de validité (secondes)", "max-age (seconds)"),
    "mode": ("mode", "mode"),
    "version": ("version", "version"),
    "include_subdomains": ("sous-domaines inclus", "subdomains included"),
    "preload": ("préchargement HSTS", "HSTS preload"),
    "final_url": ("adresse finale", "final address"),
    "final_host": ("hôte final", "final host"),
    "key_bits": ("taille de la clé (bits)", "key size (bits)"),
    "key_type": ("type de clé", "key type"),
    "subject": ("sujet du certificat", "certificate subject"),
    "self_signed": ("certificat auto-signé", "self-signed certificate"),
    "issuers": ("émetteurs", "issuers"),
    "protocols": ("protocoles", "protocols"),
    "suites": ("suites de chiffrement", "cipher suites"),
    "problems": ("problèmes relevés", "problems found"),
    "certificate_problems": ("problèmes du certificat", "certificate problems"),
    "missing_intermediate": ("certificat intermédiaire manquant", "missing intermediate certificate"),
    "version_disclosed": ("version affichée", "version disclosed"),
    "surfaces": ("accès trouvés", "access points found"),
    "methods": ("méthodes d'authentification", "authentication methods"),
    "dangling": ("alias orphelins", "dangling aliases"),
    "without_address": ("noms sans adresse", "names without address"),
    "without_ipv6": ("sans IPv6", "without IPv6"),
    "hosts_tested": ("serveurs testés", "servers tested"),
    "hosts_without_ipv6": ("serveurs sans IPv6", "servers without IPv6"),
    "pct": ("part des messages concernés (%)", "share of messages (%)"),
    "errors": ("erreurs", "errors"),
    "timed_out": ("délai dépassé", "timed out"),
    # register
    "activities": ("activités inscrites", "activities recorded"),
    "assets": ("services en ligne du traitement", "online services of the activity"),
    "probe_findings": ("constats techniques sur ces services", "technical findings on these services"),
    "measures": ("mesures de sécurité déclarées", "security measures declared"),
    "contradicted": ("contredites par l'évaluation", "contradicted by the assessment"),
    "unknown_ids": ("mesures non reconnues", "measures not recognised"),
    "wp248_criteria": ("critères du CEPD réunis", "EDPB criteria met"),
    "wp248_inferred": ("critères du CEPD déduits du registre", "EDPB criteria inferred from the record"),
    "cnil_types": ("types de la liste CNIL (AIPD obligatoire)", "types of the CNIL list (DPIA mandatory)"),
    "art35_3": ("cas de l'article 35.3 du RGPD", "GDPR art. 35(3) cases"),
    "required": ("AIPD requise", "DPIA required"),
    "done": ("AIPD réalisée", "DPIA done"),
    "exemption": ("dispense de la liste CNIL", "CNIL exemption"),
    "exceptions": ("exceptions de l'article 9.2", "art. 9(2) exceptions"),
    "without_exception": ("données sensibles sans exception", "special data without exception"),
    "last_update": ("dernière mise à jour", "last update"),
    "updated": ("fiche revue le", "record reviewed on"),
    "date": ("date", "date"),
    "max_days": ("durée de conservation la plus longue (jours)", "longest retention (days)"),
    "without_clauses": ("sous-traitants sans clauses de l'article 28", "processors without art. 28 clauses"),
    "unknown": ("sous-traitants dont les clauses ne sont pas connues", "processors whose clauses are unknown"),
    "without_safeguard": ("transferts sans garantie", "transfers without safeguard"),
    "without_text": ("bases légales sans texte cité", "legal bases without a text cited"),
    "not_in_inventory": ("services absents de l'inventaire", "services not in the inventory"),
    "controllers": ("responsables de traitement", "controllers"),
    "indefinite": ("durées illimitées", "unlimited retention"),
}
# Keys whose values, in one check's evidence, are that check's own codes (cipher suite families,
# certificate problems): (check ID, key) -> (labels or None for the usual ones, the codes' words).
# A table keyed by codes (family -> its suites) reads as its codes.
@functools.cache
def check_codes() -> dict[tuple[str, str], tuple[tuple[str, str] | None, dict[str, tuple[str, str]]]]:
    from ..checks.tls_mail import PROBLEM_WORDS
    from ..checks.tls_protocol import CLASS_LABEL

    families = ("familles de suites faibles acceptées", "weak suite families accepted")
    return {("tls.cipher.weak", "accepted"): (families, CLASS_LABEL),
            ("mail.starttls.supported", "weak"): (families, CLASS_LABEL),
            ("mail.starttls.supported", "certificate_problems"): (None, PROBLEM_WORDS)}


def _codes(value: Any, words: dict[str, tuple[str, str]], i: int) -> str:
    codes = sorted(value) if isinstance(value, dict) else value if isinstance(value, list) else [value]
    if not codes:
        return "aucune" if i == 0 else "none"
    return ", ".join(words[c][i] if c in words else str(c) for c in codes)


# Keys shown elsewhere (the answer sentence, the score) or internal to the tools.
SKIPPED = {"answer", "score", "note", "by", "at", "evidence_link", "interview", "probe", "fired", "wp248_count",
           "confirmable", "engine", "basis", "retention"}
YES_NO = {True: ("oui", "yes"), False: ("non", "no")}
LIST_LIMIT = 8


def day(value: Any, lang: str) -> str:
    """18/11/2026 in French, 2026-11-18 in English; '' when it is not a date."""
    try:
        d = value if isinstance(value, dt.date) else dt.datetime.fromisoformat(str(value))
    except ValueError:
        return ""
    d = d.date() if isinstance(d, dt.datetime) else d
    return d.strftime("%d/%m/%Y") if lang == "fr" else d.isoformat()


def answer_sentence(evidence: dict[str, Any], answer_label: str, lang: str) -> str:
    """« Réponse : non, donnée par Mme Martin le 18/11/2026. Note : … »"""
    fr = lang == "fr"
    out = (f"Réponse : {answer_label}" if fr else f"Answer: {answer_label}") if answer_label else ""
    by, when = evidence.get("by"), day(evidence.get("at"), lang) if evidence.get("at") else ""
    if by or when:
        out += (", donnée" if fr else ", given") if out else ("Réponse donnée" if fr else "Answer given")
        if by:
            out += (" par " if fr else " by ") + str(by)
        if when:
            out += (" le " if fr else " on ") + when
    out = out + "." if out else ""
    if evidence.get("note"):
        out += (" Note : " if fr else " Note: ") + str(evidence["note"])
    if evidence.get("evidence_link"):
        out += (" Justificatif : " if fr else " Supporting document: ") + str(evidence["evidence_link"])
    return out.strip()


def _value(value: Any, lang: str, title_of: Callable[[str], str | None]) -> str | None:
    """A value in words, or None when it cannot be worded without showing raw data."""
    i = 1 if lang == "en" else 0
    if isinstance(value, bool):
        return YES_NO[value][i]
    if value is None:
        return "aucun" if i == 0 else "none"
    if isinstance(value, (int, float)):
        return str(value).replace(".", ",") if i == 0 else str(value)
    if isinstance(value, str):
        if (len(value) == 10 or (len(value) >= 19 and value[10:11] == "T")) and value[4:5] == "-" \
                and day(value, lang):  # a date, or an ISO time stamp (a certificate's validity): its day
            return day(value, lang)
        return title_of(value) or value
    if isinstance(value, dict):
        if value and all(k in KEY_LABELS for k in value):  # a record (an MTA-STS policy): labelled fields
            parts = []
            for k in sorted(value):
                worded = _value(value[k], lang, title_of)
                if worded is None:
                    return None
                parts.append(f"{KEY_LABELS[k][i]} : {worded}" if i == 0 else f"{KEY_LABELS[k][i]}: {worded}")
            return " ; ".join(parts) if i == 0 else "; ".join(parts)
        value = sorted(value)  # a table keyed by names (DKIM selectors, cookies, criteria): its names
    if isinstance(value, list):
        if not value:
            return "aucun" if i == 0 else "none"
        words = []
        for item in value:
            if isinstance(item, (dict, list)):
                return None
            words.append(_value(item, lang, title_of) or "")
        shown = ", ".join(w for w in words[:LIST_LIMIT] if w)
        more = len(words) - LIST_LIMIT
        if more > 0:
            shown += f" (+{more})"
        return shown
    return None


def sentences(f: Finding, lang: str, title_of: Callable[[str], str | None],
              answer_label: str = "") -> list[str]:
    """The evidence of one finding as short phrases in `lang` (never raw keys)."""
    i = 1 if lang == "en" else 0
    out = []
    if f.source == "interview" or "answer" in f.evidence:
        line = answer_sentence(f.evidence, answer_label, lang)
        if line:
            out.append(line)
    joined = f.evidence.get("interview")
    if isinstance(joined, dict) and (joined.get("by") or joined.get("at")):
        who = answer_sentence({k: joined.get(k) for k in ("by", "at", "note")}, "", lang)
        out.append(("Entretien : " if i == 0 else "Interview: ") + who[0].lower() + who[1:])
    for key in sorted(f.evidence, key=str):
        special, words = check_codes().get((f.id, key), (None, None))
        labels = special or KEY_LABELS.get(key)
        if key in SKIPPED or labels is None:
            continue
        value = f.evidence[key]
        worded = _value(value, lang, title_of) if words is None else _codes(value, words, i)
        if worded is None or worded == "":
            continue
        label = labels[i]
        out.append(f"{label[0].upper()}{label[1:]}{' : ' if i == 0 else ': '}{worded}")
    return out


def title_lookup(titles: dict[str, Text], lang: str, extra: dict[str, tuple[str, str]] | None = None):
    """A function naming an ID (question, check, rule; 'id=status' and 'id@target' forms too)."""
    from ..words import STATUS

    extra = extra or {}
    i = 1 if lang == "en" else 0

    def title_of(value: str) -> str | None:
        if value in extra:
            return extra[value][i]
        fid, _, status = value.partition("=")
        fid, _, target = fid.partition("@")
        t = titles.get(fid)
        if t is None:
            return None
        out = t.pick(lang)
        if target:
            out += f" ({target})"
        if status in STATUS:
            out += f" : {STATUS[status][i].lower()}" if i == 0 else f": {STATUS[status][i].lower()}"
        return out

    return title_of


_ID_TOKEN = re.compile(r"\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+){2,}(?:@[A-Za-z0-9.-]+)?(?:=[a-z]+)?")


def name_ids(text: str, title_of: Callable[[str], str | None]) -> str:
    """Replace the finding IDs a sentence quotes ('bcp.backup.policy=warn') by their titles; other words stay."""
    return _ID_TOKEN.sub(lambda m: title_of(m.group(0)) or m.group(0), text)
