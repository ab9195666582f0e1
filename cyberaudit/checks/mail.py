"""Mail-security checks: metadata and pure judges (observations in, findings out)."""

from __future__ import annotations

from ..model import Finding, Text
from . import check
from .dns import detail, errors_for

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
SPF_POLICY = check(
    "mail.spf.policy", severity="high",
    title=Text(fr="Politique SPF stricte", en="Strict SPF policy"),
    explanation=Text(
        fr="SPF liste les serveurs autorisés à envoyer du courriel au nom de la collectivité ; sans « -all », "
           "n'importe qui peut envoyer de faux messages de la mairie aux usagers ou aux fournisseurs.",
        en="SPF lists the servers allowed to send mail for the authority; without \"-all\", anyone can send "
           "fake messages from the town hall to residents or suppliers."),
    remediation=Text(
        fr="Publier un seul enregistrement TXT « v=spf1 … -all » listant tous les serveurs d'envoi (internes et "
           "prestataires : messagerie, logiciels métier, lettres d'information).",
        en="Publish a single TXT record \"v=spf1 … -all\" listing every sending server (internal and providers: "
           "mail, business software, newsletters)."),
    refs=["rfc:7208", "anssi-pa-066:R44"], effort="low",
)
SPF_LOOKUPS = check(
    "mail.spf.lookup_limit", severity="medium",
    title=Text(fr="SPF dans la limite de 10 requêtes DNS", en="SPF within the 10 DNS lookup limit"),
    explanation=Text(
        fr="Au-delà de 10 requêtes DNS (include, a, mx, ptr, exists, redirect) ou de 2 requêtes vides, les "
           "destinataires considèrent le SPF comme en erreur : les messages légitimes risquent d'être rejetés.",
        en="Beyond 10 DNS lookups (include, a, mx, ptr, exists, redirect) or 2 void lookups, receivers treat "
           "SPF as an error: legitimate mail may be rejected."),
    remediation=Text(
        fr="Réduire les include (remplacer par des ip4/ip6 quand le prestataire le permet), supprimer ptr, "
           "les include en boucle ou vers des noms sans SPF.",
        en="Reduce includes (use ip4/ip6 where the provider allows it), remove ptr, looping includes and "
           "includes of names without SPF."),
    refs=["rfc:7208", "anssi-pa-066:R44"], effort="medium",
)
DMARC_POLICY = check(
    "mail.dmarc.policy", severity="high",
    title=Text(fr="Politique DMARC appliquée", en="DMARC policy enforced"),
    explanation=Text(
        fr="DMARC dit aux destinataires quoi faire d'un message qui usurpe le domaine ; avec « p=none » ou en "
           "mode test, les faux courriels de la collectivité arrivent quand même dans les boîtes.",
        en="DMARC tells receivers what to do with a message spoofing the domain; with \"p=none\" or in test "
           "mode, fake mail from the authority still reaches inboxes."),
    remediation=Text(
        fr="Après une période d'observation des rapports en p=none, passer à « p=quarantine » puis "
           "« p=reject », sans « t=y ».",
        en="After observing reports with p=none, move to \"p=quarantine\" then \"p=reject\", without \"t=y\"."),
    refs=["rfc:9989", "anssi-pa-066:R48+"], effort="medium",
)
DMARC_REPORTING = check(
    "mail.dmarc.reporting", severity="low",
    title=Text(fr="Rapports DMARC reçus", en="DMARC reports received"),
    explanation=Text(
        fr="Les rapports agrégés (rua) montrent qui envoie du courriel au nom de la collectivité : ils "
           "permettent de durcir la politique sans bloquer un service légitime.",
        en="Aggregate reports (rua) show who sends mail in the authority's name: they make it possible to "
           "tighten the policy without blocking a legitimate service."),
    remediation=Text(
        fr="Ajouter « rua=mailto:dmarc@<domaine> » ; une adresse chez un tiers doit être autorisée par un "
           "enregistrement <domaine>._report._dmarc.<tiers>.",
        en="Add \"rua=mailto:dmarc@<domain>\"; an address at a third party must be authorised by a "
           "<domain>._report._dmarc.<third party> record."),
    refs=["rfc:9989", "anssi-pa-066:R48+"], effort="low",
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
           "mode enforce, avec des motifs mx couvrant tous les MX et un max_age d'au moins un jour.",
        en="Publish _mta-sts TXT \"v=STSv1; id=…\" and https://mta-sts.<domain>/.well-known/mta-sts.txt in "
           "enforce mode, with mx patterns covering every MX and a max_age of at least a day."),
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
__all__ = ["errors_for"]


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


def judge_dmarc_policy(target: str, obs: dict) -> Finding:
    """obs: {"status", "found_at", "record", "policy", "testing", "pct", "problems", "obsolete", "several"}."""
    st = obs["status"]
    if st not in ("ok", "none"):
        return errors_for([DMARC_POLICY], target, st)[0]
    ev = {k: obs.get(k) for k in ("found_at", "record", "policy", "testing", "pct", "problems", "obsolete",
                                  "unknown") if obs.get(k) not in (None, [], False)}
    if st == "none":
        return DMARC_POLICY.finding("fail", target=target, evidence=ev, detail=detail(
            "aucun enregistrement DMARC (ni sur le domaine, ni sur un parent)",
            "no DMARC record (neither on the domain nor on a parent)"))
    where_fr = "sur le domaine" if obs["found_at"] == target else f"hérité de {obs['found_at']}"
    where_en = "on the domain" if obs["found_at"] == target else f"inherited from {obs['found_at']}"
    if obs.get("several"):
        return DMARC_POLICY.finding("fail", target=target, evidence=ev, detail=detail(
            f"plusieurs enregistrements DMARC {where_fr} : ignorés", f"several DMARC records {where_en}: ignored"))
    pol = obs.get("policy")
    if pol is None:
        return DMARC_POLICY.finding("fail", target=target, evidence=ev, detail=detail(
            f"politique invalide {where_fr} : {'; '.join(obs.get('problems', []))}",
            f"invalid policy {where_en}: {'; '.join(obs.get('problems', []))}"))
    if obs.get("testing"):
        return DMARC_POLICY.finding("fail", target=target, evidence=ev, detail=detail(
            f"p={pol} en mode test (t=y) {where_fr} : pas d'application réelle",
            f"p={pol} in test mode (t=y) {where_en}: not enforced"))
    if pol == "none":
        return DMARC_POLICY.finding("fail", target=target, evidence=ev, detail=detail(
            f"p=none {where_fr} : observation seulement", f"p=none {where_en}: monitoring only"))
    pct = obs.get("pct")
    note_fr = note_en = ""
    if obs.get("obsolete"):
        note_fr = f" ; balises obsolètes (RFC 9989) : {', '.join(obs['obsolete'])}"
        note_en = f"; obsolete tags (RFC 9989): {', '.join(obs['obsolete'])}"
    if pct is not None and pct < 100:
        return DMARC_POLICY.finding("warn", target=target, evidence=ev, detail=detail(
            f"p={pol} {where_fr}, mais pct={pct} : d'anciens destinataires ne l'appliquent qu'en partie{note_fr}",
            f"p={pol} {where_en}, but pct={pct}: older receivers apply it only partly{note_en}"))
    if pol == "quarantine":
        return DMARC_POLICY.finding("warn", target=target, evidence=ev, detail=detail(
            f"p=quarantine {where_fr} : étape suivante p=reject{note_fr}",
            f"p=quarantine {where_en}: next step p=reject{note_en}"))
    status = "warn" if obs.get("problems") else "pass"
    return DMARC_POLICY.finding(status, target=target, evidence=ev, detail=detail(
        f"p=reject {where_fr}{note_fr}" + (f" ; {'; '.join(obs['problems'])}" if obs.get("problems") else ""),
        f"p=reject {where_en}{note_en}" + (f"; {'; '.join(obs['problems'])}" if obs.get("problems") else "")))


def judge_dmarc_reporting(target: str, obs: dict) -> Finding:
    """obs: {"status", "rua": [...], "external": {dest: authorised bool|None}}."""
    st = obs["status"]
    if st not in ("ok", "none"):
        return errors_for([DMARC_REPORTING], target, st)[0]
    rua = obs.get("rua") or []
    ext = obs.get("external") or {}
    ev = {"rua": rua, "external": ext, "found_at": obs.get("found_at")}
    if obs.get("rua_invalid"):
        ev["rua_invalid"] = obs["rua_invalid"]
    if st != "none" and not rua and obs.get("rua_invalid"):
        return DMARC_REPORTING.finding("warn", target=target, evidence=ev, detail=detail(
            "rua ne contient aucune adresse valide (mailto:adresse@domaine) : aucun rapport ne peut être envoyé",
            "rua holds no valid URI (mailto:address@domain): no report can be sent"))
    if st == "none" or not rua:
        return DMARC_REPORTING.finding("warn", target=target, evidence=ev, detail=detail(
            "aucune adresse de rapports (rua)", "no report address (rua)"))
    refused = sorted(d for d, ok in ext.items() if ok is False)
    if refused:
        return DMARC_REPORTING.finding("warn", target=target, evidence=ev, detail=detail(
            f"destination externe non autorisée (_report._dmarc absent) : {', '.join(refused)}",
            f"external destination not authorised (no _report._dmarc): {', '.join(refused)}"))
    if any(ok is None for ok in ext.values()):
        return errors_for([DMARC_REPORTING], target, "external authorisation not checkable")[0]
    return DMARC_REPORTING.finding("pass", target=target, evidence=ev, detail=detail(
        f"rapports envoyés à {', '.join(rua)}", f"reports sent to {', '.join(rua)}"))


def judge_dkim(target: str, obs: dict) -> Finding:
    """obs: {"status", "selectors": {sel: {"type", "bits", "revoked", "error"}}, "tried": [declared selectors],
    "common_tried": the common selectors were tried too}."""
    sels = obs.get("selectors") or {}
    ev = {"selectors": sels, "tried": obs.get("tried", []), "common_tried": bool(obs.get("common_tried"))}
    if not sels and obs.get("nomail"):
        return DKIM_PRESENT.finding("info", target=target, evidence=ev, detail=detail(
            "le domaine n'envoie pas de courriel (SPF « -all » seul) : sans objet",
            "the domain sends no mail (bare SPF \"-all\"): not applicable"))
    if not sels:
        if obs["status"] != "ok":
            return errors_for([DKIM_PRESENT], target, obs["status"])[0]
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
