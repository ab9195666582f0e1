"""SPF checks (pure): the record's own validity and what receivers will do (RFC 7208), from the
observations of `cyberaudit.probes.mail.gather_spf`. The family's judge is `checks.mail.judge`."""

from __future__ import annotations

from ..model import Finding, Text
from . import check
from .outcome import detail, errors_for

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


def judge_spf_policy(target: str, obs: dict) -> Finding:
    """obs: {"status", "records": [...], "syntax": str|None, "all": qualifier|None, "tree": {...}}."""
    st = obs["status"]
    if st not in ("ok", "nodata", "nxdomain"):
        return errors_for([SPF_POLICY], target, st)[0]
    recs = obs.get("records") or []
    ev = {"records": recs, "all": obs.get("all"),
          "receivers": (obs.get("verdict") or {}).get("result") or ("none" if not recs else "permerror")}
    if not recs:
        return SPF_POLICY.finding("fail", target=target, evidence=ev, detail=detail(
            "aucun enregistrement SPF", "no SPF record"))
    if len(recs) > 1:
        return SPF_POLICY.finding("fail", target=target, evidence=ev, detail=detail(
            f"{len(recs)} enregistrements SPF (un seul permis : permerror)",
            f"{len(recs)} SPF records (only one allowed: permerror)"))
    if obs.get("syntax"):
        where = obs.get("syntax_error") or {}
        at_fr = f" (terme « {where['term']} », position {where['position']}, {where['section']})" if where else ""
        at_en = f" (term \"{where['term']}\", position {where['position']}, {where['section']})" if where else ""
        return SPF_POLICY.finding("fail", target=target, evidence={**ev, "syntax": obs["syntax"], **(
            {"syntax_error": where} if where else {}), "receivers": "permerror"}, detail=detail(
            f"erreur de syntaxe : les destinataires rendent « permerror » et la politique est sans effet : "
            f"{obs['syntax']}{at_fr}",
            f"syntax error: receivers return permerror and the policy is void: {obs['syntax']}{at_en}"))
    q = obs.get("all")
    verdict = obs.get("verdict") or {}
    if verdict.get("result") == "permerror":
        first = verdict["errors"][0]
        why = f"{first['message']} ({first['section']})"
        applied_fr = f"« {q}all »" if q else "la politique"
        applied_en = f"\"{q}all\"" if q else "the policy"
        return SPF_POLICY.finding("fail", target=target, evidence={**ev, "receivers": "permerror",
                                                                     "errors": verdict["errors"]}, detail=detail(
            f"politique sans effet : pour un expéditeur non listé, les destinataires rendent « permerror » "
            f"au lieu d'appliquer {applied_fr} : {why}",
            f"policy void: for a sender that is not listed, receivers return permerror instead of applying "
            f"{applied_en}: {why}"))
    if q == "-" and verdict.get("result") == "temperror":
        return SPF_POLICY.finding("error", target=target, evidence={**ev, "errors": verdict["errors"]}, detail=detail(
            "« -all » publié, mais des requêtes de l'arbre SPF sont restées sans réponse : effet non vérifiable",
            "\"-all\" published, but lookups of the SPF tree went unanswered: effect cannot be verified"))
    if q == "-":
        return SPF_POLICY.finding("pass", target=target, evidence=ev, detail=detail("se termine par -all",
                                                                                  "ends with -all"))
    if q == "~":
        return SPF_POLICY.finding("warn", target=target, evidence=ev, detail=detail(
            "« ~all » : les messages non autorisés sont seulement marqués",
            "\"~all\": unauthorised messages are only marked"))
    label = {"+": "+all", "?": "?all", None: "pas de all"}.get(q, str(q))
    label_en = {"+": "+all", "?": "?all", None: "no all"}.get(q, str(q))
    return SPF_POLICY.finding("fail", target=target, evidence=ev, detail=detail(
        f"« {label} » : tout serveur peut envoyer au nom du domaine",
        f"\"{label_en}\": any server may send for the domain"))


def judge_spf_lookups(target: str, obs: dict) -> Finding:
    """obs: {"status", "tree": Tree.as_dict, "lookups", "void", "errors", "unknown", "loop"}."""
    st = obs["status"]
    if st not in ("ok", "nodata", "nxdomain"):
        return errors_for([SPF_LOOKUPS], target, st)[0]
    if obs.get("tree") is None:
        return SPF_LOOKUPS.finding("info", target=target, evidence={}, detail=detail(
            "pas d'enregistrement SPF unique à évaluer", "no single SPF record to evaluate"))
    ev = {k: obs[k] for k in ("tree", "lookups", "void", "errors", "unknown", "loop")}
    n, void = obs["lookups"], obs["void"]
    problems = []
    if n > 10:
        problems.append((f"{n} requêtes DNS (maximum 10)", f"{n} DNS lookups (limit 10)"))
    if void > 2:
        problems.append((f"{void} requêtes vides (maximum 2)", f"{void} void lookups (limit 2)"))
    if obs["loop"]:
        problems.append(("boucle d'include", "include loop"))
    other = [e for e in obs["errors"] if not e.startswith("loop")]
    if other:
        problems.append((f"erreurs : {'; '.join(other[:3])}", f"errors: {'; '.join(other[:3])}"))
    if problems:
        return SPF_LOOKUPS.finding("fail", target=target, evidence=ev, detail=detail(
            " ; ".join(p[0] for p in problems), "; ".join(p[1] for p in problems)))
    if obs["unknown"]:
        return SPF_LOOKUPS.finding("error", target=target, evidence=ev, detail=detail(
            f"{n} requêtes comptées, certaines sans réponse", f"{n} lookups counted, some unanswered"))
    ptr = '"ptr"' in str(obs["tree"]) or " ptr" in str(obs["tree"])
    status = "warn" if ptr else "pass"
    return SPF_LOOKUPS.finding(status, target=target, evidence=ev, detail=detail(
        f"{n} requête(s) DNS sur 10, {void} vide(s)" + (" ; ptr est déconseillé" if ptr else ""),
        f"{n} DNS lookup(s) of 10, {void} void" + ("; ptr is discouraged" if ptr else "")))
