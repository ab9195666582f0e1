"""Mail-security checks: metadata and pure judges (observations in, findings out)."""

from __future__ import annotations

from ..model import Finding, Text
from . import check
from .mail_dmarc import DMARC_POLICY, DMARC_REPORTING, judge_dmarc_policy, judge_dmarc_reporting
from .mail_spf import SPF_LOOKUPS, SPF_POLICY, judge_spf_lookups, judge_spf_policy
from .outcome import RESOLVED, detail, errors_for

MX_PRESENT = check(
    "mail.mx.present", severity="medium",
    title=Text(fr="Serveurs de messagerie (MX) déclarés et joignables", en="Mail servers (MX) declared and resolvable"),
    explanation=Text(
        fr="Sans MX valide, le courriel adressé à la collectivité se perd ou part vers un mauvais serveur. "
           "Un domaine qui n'envoie ni ne reçoit de courriel doit le dire (MX nul, SPF « -all », DMARC reject) "
           "pour ne pas servir à des usurpations.",
        en="Without a valid MX, mail sent to the authority is lost or goes to the wrong server. A domain that "
           "neither sends nor receives mail should say so (null MX, SPF \"-all\", DMARC reject) so it cannot be "
           "used for spoofing."),
    remediation=Text(
        fr="Publier des MX pointant vers des noms qui ont une adresse, ou, pour un domaine sans messagerie, "
           "« MX 0 . » (RFC 7505), « v=spf1 -all » et « v=DMARC1; p=reject ».",
        en="Publish MX records pointing at names with an address or, for a domain without mail, \"MX 0 .\" "
           "(RFC 7505), \"v=spf1 -all\" and \"v=DMARC1; p=reject\"."),
    refs=["rfc:5321", "rfc:7505"], effort="low",
)
DKIM_PRESENT = check(
    "mail.dkim.present", severity="medium",
    title=Text(fr="Clés DKIM publiées et robustes", en="DKIM keys published and strong"),
    explanation=Text(
        fr="DKIM signe les messages sortants : le destinataire vérifie qu'ils viennent bien de la collectivité "
           "et n'ont pas été modifiés. Une clé RSA courte peut être cassée.",
        en="DKIM signs outgoing mail: the receiver checks it really comes from the authority and was not "
           "altered. A short RSA key can be broken."),
    remediation=Text(
        fr="Activer la signature DKIM chez le prestataire de messagerie avec une clé RSA de 2048 bits (ou "
           "Ed25519) et déclarer le sélecteur dans l'inventaire (dkim_selectors).",
        en="Enable DKIM signing at the mail provider with a 2048-bit RSA (or Ed25519) key and declare the "
           "selector in the inventory (dkim_selectors)."),
    refs=["rfc:6376", "rfc:8301", "rfc:8463", "anssi-pa-066:R46+"], effort="medium",
)
MTA_STS = check(
    "mail.mta_sts.policy", severity="low",
    title=Text(fr="Politique MTA-STS (chiffrement imposé du courriel entrant)",
               en="MTA-STS policy (enforced encryption of inbound mail)"),
    explanation=Text(
        fr="MTA-STS impose aux serveurs expéditeurs de chiffrer le courriel destiné à la collectivité et "
           "d'authentifier ses serveurs, ce qui empêche une interception silencieuse.",
        en="MTA-STS makes sending servers encrypt mail for the authority and authenticate its servers, which "
           "prevents silent interception."),
    remediation=Text(
        fr="Publier _mta-sts TXT « v=STSv1; id=… » et https://mta-sts.<domaine>/.well-known/mta-sts.txt en "
           "mode enforce, avec des motifs mx couvrant tous les MX et une durée de validité d'au moins un jour (86 400 s).",
        en="Publish _mta-sts TXT \"v=STSv1; id=…\" and https://mta-sts.<domain>/.well-known/mta-sts.txt in "
           "enforce mode, with mx patterns covering every MX and a lifetime of at least a day (86,400 s)."),
    refs=["rfc:8461"], effort="medium",
)
TLS_RPT = check(
    "mail.tls_rpt.present", severity="low",
    title=Text(fr="Rapports TLS SMTP (TLS-RPT)", en="SMTP TLS reporting (TLS-RPT)"),
    explanation=Text(
        fr="TLS-RPT fait remonter les échecs de chiffrement du courriel entrant : sans lui, un problème de "
           "certificat ou une attaque passent inaperçus.",
        en="TLS-RPT reports encryption failures of inbound mail: without it, a certificate problem or an "
           "attack goes unnoticed."),
    remediation=Text(
        fr="Publier _smtp._tls TXT « v=TLSRPTv1; rua=mailto:tls-rpt@<domaine> ».",
        en="Publish _smtp._tls TXT \"v=TLSRPTv1; rua=mailto:tls-rpt@<domain>\"."),
    refs=["rfc:8460"], effort="low",
)

MAIL_CHECKS = (MX_PRESENT, SPF_POLICY, SPF_LOOKUPS, DMARC_POLICY, DMARC_REPORTING, DKIM_PRESENT, MTA_STS, TLS_RPT)
__all__ = ["DMARC_POLICY", "DMARC_REPORTING", "SPF_LOOKUPS", "SPF_POLICY", "errors_for", "judge_dmarc_policy",
           "judge_dmarc_reporting", "judge_spf_lookups", "judge_spf_policy"]


def judge(obs: dict) -> list[Finding]:
    """The findings of one domain, from `probes.mail.observe`. Each finding depends only on the data it
    needs: a failed MX query leaves SPF, DMARC, DKIM and TLS-RPT (TXT data) judged; only MX and MTA-STS
    (which needs the MX list) become `error`."""
    target, mx = obs["target"], obs["mx"]
    if mx["status"] == "nxdomain":
        return nonexistent(target)
    spf, dmarc = obs["spf"], obs["dmarc"]
    nomail = [r.strip().lower() for r in spf.get("records", [])] == ["v=spf1 -all"]
    tlsrpt = dict(obs["tls_rpt"])
    if mx["status"] not in RESOLVED:
        mx_finding = errors_for([MX_PRESENT], target, mx["status"])[0]
        sts_finding = errors_for([MTA_STS], target, f"MX lookup: {mx['status']}")[0]
    else:
        mx = dict(mx)
        if mx.get("null") or not mx.get("mx"):  # a mail-less domain: is it protected from spoofing?
            mx["parked"] = {"spf_reject": spf.get("all") == "-" and spf.get("lookups", 0) == 0,
                            "dmarc_reject": dmarc.get("policy") == "reject" and not dmarc.get("testing")}
        tlsrpt["nomail"] = bool(mx.get("null"))
        mx_finding, sts_finding = judge_mx(target, mx), judge_mta_sts(target, obs["mta_sts"])
    return [
        mx_finding, judge_spf_policy(target, spf), judge_spf_lookups(target, spf),
        judge_dmarc_policy(target, dmarc), judge_dmarc_reporting(target, dmarc),
        judge_dkim(target, {**obs["dkim"], "nomail": nomail}), sts_finding, judge_tls_rpt(target, tlsrpt),
    ]


def nonexistent(domain: str) -> list[Finding]:
    """NXDOMAIN is conclusive: no mail can be delivered there and SPF evaluates to "none" (RFC 7208 §4.3)."""
    ev = {"rcode": "NXDOMAIN"}
    return [
        MX_PRESENT.finding("fail", target=domain, evidence=ev, detail=detail(
            "le domaine n'existe pas (NXDOMAIN) : aucun courriel ne peut lui être remis",
            "the domain does not exist (NXDOMAIN): no mail can be delivered to it")),
        SPF_POLICY.finding("info", target=domain, evidence={**ev, "spf": "none"}, detail=detail(
            "le domaine n'existe pas : résultat SPF « none » (RFC 7208 §4.3)",
            "the domain does not exist: SPF result \"none\" (RFC 7208 §4.3)")),
    ]


def judge_mx(target: str, obs: dict) -> Finding:
    """obs: {"status", "mx": [{"pref", "host", "resolves"}], "null": bool, "parked": {"spf_reject", "dmarc_reject"}}."""
    st = obs["status"]
    if st not in ("ok", "nodata"):
        return errors_for([MX_PRESENT], target, st)[0]
    ev = {k: obs.get(k) for k in ("mx", "null", "parked") if obs.get(k) is not None}
    parked = obs.get("parked") or {}
    hygiene_ok = parked.get("spf_reject") and parked.get("dmarc_reject")
    if obs.get("null") or st == "nodata":
        what_fr = "MX nul (aucun courriel accepté)" if obs.get("null") else "aucun MX"
        what_en = "null MX (no mail accepted)" if obs.get("null") else "no MX"
        if hygiene_ok and obs.get("null"):
            return MX_PRESENT.finding("pass", target=target, evidence=ev, detail=detail(
                f"{what_fr}, SPF -all et DMARC reject : domaine sans messagerie bien protégé",
                f"{what_en}, SPF -all and DMARC reject: mail-less domain well protected"))
        return MX_PRESENT.finding("warn", target=target, evidence=ev, detail=detail(
            f"{what_fr} ; un domaine sans messagerie doit publier « MX 0 . », « v=spf1 -all » et DMARC p=reject",
            f"{what_en}; a mail-less domain should publish \"MX 0 .\", \"v=spf1 -all\" and DMARC p=reject"))
    bad = sorted(m["host"] for m in obs["mx"] if m["resolves"] is False)
    unknown = [m["host"] for m in obs["mx"] if m["resolves"] is None]
    if bad:
        return MX_PRESENT.finding("fail", target=target, evidence=ev, detail=detail(
            f"MX sans adresse : {', '.join(bad)}", f"MX without an address: {', '.join(bad)}"))
    if unknown and len(unknown) == len(obs["mx"]):
        return errors_for([MX_PRESENT], target, "MX addresses could not be resolved")[0]
    hosts = ", ".join(m["host"] for m in obs["mx"])
    return MX_PRESENT.finding("pass", target=target, evidence=ev, detail=detail(f"MX : {hosts}", f"MX: {hosts}"))


def judge_dkim(target: str, obs: dict) -> Finding:
    """obs: {"status", "selectors": {sel: {"type", "bits", "revoked", "error"}}, "tried": [declared selectors],
    "common_tried": the common selectors were tried too, "queried": how many, "failed": [their lookups failed]}."""
    sels = obs.get("selectors") or {}
    failed = obs.get("failed") or []
    ev = {"selectors": sels, "tried": obs.get("tried", []), "common_tried": bool(obs.get("common_tried"))}
    if failed:
        ev["failed"] = failed
    # a selector the inventory declares is a name someone relies on: without a key, its signatures fail
    absent = sorted(s for s in obs.get("tried", []) if s not in sels and s not in failed)
    if not sels and obs.get("nomail"):
        return DKIM_PRESENT.finding("info", target=target, evidence=ev, detail=detail(
            "le domaine n'envoie pas de courriel (SPF « -all » seul) : sans objet",
            "the domain sends no mail (bare SPF \"-all\"): not applicable"))
    if not sels:
        if obs["status"] != "ok":
            return errors_for([DKIM_PRESENT], target, obs["status"])[0]
        if failed and len(failed) >= obs.get("queried", len(failed)):
            return errors_for([DKIM_PRESENT], target, "every selector lookup failed")[0]
        return DKIM_PRESENT.finding("warn", target=target, evidence=ev, detail=detail(
            "aucune clé trouvée sous les sélecteurs courants (déclarer le sélecteur dans l'inventaire)",
            "no key found under common selectors (declare the selector in the inventory)"))
    live = {s: v for s, v in sels.items() if not v["revoked"] and not v["error"]}
    weak = sorted(s for s, v in live.items() if v["type"] == "rsa" and (v["bits"] or 0) < 1024)
    short = sorted(s for s, v in live.items() if v["type"] == "rsa" and 1024 <= (v["bits"] or 0) < 2048)
    broken = sorted(s for s, v in sels.items() if v["error"])
    sha1 = sorted(s for s, v in live.items() if v.get("sha1_only"))
    desc = ", ".join(f"{s} ({v['type']} {v['bits'] or '?'})" for s, v in sorted(live.items()))
    if weak:
        return DKIM_PRESENT.finding("fail", target=target, evidence=ev, detail=detail(
            f"clé RSA de moins de 1024 bits : {', '.join(weak)}", f"RSA key under 1024 bits: {', '.join(weak)}"))
    if not live:
        return DKIM_PRESENT.finding("fail", target=target, evidence=ev, detail=detail(
            "clés révoquées ou illisibles seulement", "only revoked or unreadable keys"))
    if absent and not (short or broken or sha1):
        return DKIM_PRESENT.finding("warn", target=target, evidence={**ev, "absent": absent}, detail=detail(
            f"clés : {desc} ; sélecteur déclaré sans clé publiée : {', '.join(absent)}",
            f"keys: {desc}; declared selector without a published key: {', '.join(absent)}"))
    if short or broken or sha1:
        return DKIM_PRESENT.finding("warn", target=target, evidence=ev, detail=detail(
            f"clés : {desc} ; moins de 2048 bits : {', '.join(short) or '-'} ; illisibles : {', '.join(broken) or '-'}"
            f" ; SHA-1 seul (h=sha1, interdit par la RFC 8301) : {', '.join(sha1) or '-'}",
            f"keys: {desc}; under 2048 bits: {', '.join(short) or '-'}; unreadable: {', '.join(broken) or '-'}"
            f"; SHA-1 only (h=sha1, forbidden by RFC 8301): {', '.join(sha1) or '-'}"))
    return DKIM_PRESENT.finding("pass", target=target, evidence=ev, detail=detail(f"clés : {desc}", f"keys: {desc}"))


def judge_mta_sts(target: str, obs: dict) -> Finding:
    """obs: {"status", "txt", "fetch": ok|timeout|tls|http|..., "policy", "problems", "uncovered", "mx"}."""
    st = obs["status"]
    if st not in ("ok", "none", "nomail"):
        return errors_for([MTA_STS], target, st)[0]
    ev = {k: obs.get(k) for k in ("txt", "fetch", "policy", "problems", "uncovered", "mx", "reason")
          if obs.get(k) not in (None, [])}
    if st == "nomail":
        return MTA_STS.finding("info", target=target, evidence=ev, detail=detail(
            "pas de MX : sans objet", "no MX: not applicable"))
    if st == "none":
        return MTA_STS.finding("warn", target=target, evidence=ev, detail=detail(
            "pas d'enregistrement _mta-sts", "no _mta-sts record"))
    if obs.get("fetch") == "timeout":
        return errors_for([MTA_STS], target, "policy fetch timed out")[0]
    if obs.get("fetch") != "ok":
        return MTA_STS.finding("fail", target=target, evidence=ev, detail=detail(
            f"politique annoncée mais inaccessible en HTTPS vérifié ({obs.get('reason') or obs.get('fetch')})",
            f"policy announced but not reachable over verified HTTPS ({obs.get('reason') or obs.get('fetch')})"))
    pol = obs.get("policy") or {}
    probs = obs.get("problems") or []
    if probs:
        return MTA_STS.finding("fail", target=target, evidence=ev, detail=detail(
            f"politique invalide : {'; '.join(probs)}", f"invalid policy: {'; '.join(probs)}"))
    if pol.get("mode") == "enforce" and obs.get("uncovered"):
        return MTA_STS.finding("fail", target=target, evidence=ev, detail=detail(
            f"MX non couverts par la politique : {', '.join(obs['uncovered'])}",
            f"MX not covered by the policy: {', '.join(obs['uncovered'])}"))
    if pol.get("mode") != "enforce":
        return MTA_STS.finding("warn", target=target, evidence=ev, detail=detail(
            f"mode {pol.get('mode')} : pas encore imposé", f"mode {pol.get('mode')}: not enforced yet"))
    if (pol.get("max_age") or 0) < 86400:
        return MTA_STS.finding("warn", target=target, evidence=ev, detail=detail(
            f"max_age={pol.get('max_age')} trop court (au moins 86400)", f"max_age={pol.get('max_age')} too short"))
    return MTA_STS.finding("pass", target=target, evidence=ev, detail=detail(
        f"mode enforce, max_age={pol['max_age']}", f"enforce mode, max_age={pol['max_age']}"))


def judge_tls_rpt(target: str, obs: dict) -> Finding:
    """obs: {"status", "records": [...], "valid": [...], "invalid": [...]}."""
    st = obs["status"]
    if st not in ("ok", "none"):
        return errors_for([TLS_RPT], target, st)[0]
    ev = {k: obs.get(k) for k in ("records", "valid", "invalid") if obs.get(k)}
    if st == "none" and obs.get("nomail"):
        return TLS_RPT.finding("info", target=target, evidence=ev, detail=detail(
            "MX nul : sans objet", "null MX: not applicable"))
    if st == "none":
        return TLS_RPT.finding("warn", target=target, evidence=ev, detail=detail(
            "pas d'enregistrement _smtp._tls", "no _smtp._tls record"))
    if len(obs.get("records") or []) > 1 or not obs.get("valid"):
        return TLS_RPT.finding("fail", target=target, evidence=ev, detail=detail(
            "enregistrement TLS-RPT invalide (rua absent, incorrect ou doublon)",
            "invalid TLS-RPT record (rua missing, wrong or duplicated)"))
    return TLS_RPT.finding("pass", target=target, evidence=ev, detail=detail(
        f"rapports vers {', '.join(obs['valid'])}", f"reports to {', '.join(obs['valid'])}"))
