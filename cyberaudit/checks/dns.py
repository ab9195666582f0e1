"""DNS checks: metadata and pure judges (observations in, findings out; no network here)."""

from __future__ import annotations

import ipaddress

from ..model import Finding, Text
from . import check, days_between
from .dns_dnssec import DNSSEC_VALID, judge_dnssec
from .outcome import RESOLVED, detail, errors_for

__all__ = ["DNSSEC_VALID", "RESOLVED", "detail", "errors_for", "judge_dnssec"]

NS_REDUNDANCY = check(
    "dns.ns.redundancy", severity="medium",
    title=Text(fr="Serveurs de noms redondants", en="Redundant name servers"),
    explanation=Text(
        fr="Si l'unique serveur DNS tombe, le site, la messagerie et les téléservices de la collectivité "
           "deviennent injoignables. Deux serveurs sur des réseaux distincts évitent ce point unique de panne.",
        en="If the only DNS server fails, the authority's web site, mail and online services become "
           "unreachable. Two servers on distinct networks remove this single point of failure."),
    remediation=Text(
        fr="Déclarer au moins deux serveurs de noms faisant autorité, hébergés sur des réseaux différents "
           "(par exemple le serveur du prestataire et un secondaire chez un autre opérateur), et garder leurs "
           "numéros de série SOA synchronisés.",
        en="Declare at least two authoritative name servers on different networks (e.g. the provider's and a "
           "secondary at another operator), and keep their SOA serials in sync."),
    refs=["rfc:2182", "rfc:1034", "anssi-bp-038:resilience"], effort="medium",
)
CAA_PRESENT = check(
    "dns.caa.present", severity="low",
    title=Text(fr="Enregistrement CAA (autorités de certification autorisées)",
               en="CAA record (authorised certificate authorities)"),
    explanation=Text(
        fr="L'enregistrement CAA indique quelles autorités peuvent délivrer un certificat pour le domaine ; "
           "il complique l'obtention d'un faux certificat pour le site de la collectivité.",
        en="The CAA record says which authorities may issue a certificate for the domain; it makes it harder "
           "to obtain a rogue certificate for the authority's site."),
    remediation=Text(
        fr="Publier un enregistrement CAA « issue » pour la ou les autorités utilisées (par ex. "
           "0 issue \"letsencrypt.org\"), éventuellement avec un contact « iodef ».",
        en="Publish a CAA \"issue\" record for the authorities in use (e.g. 0 issue \"letsencrypt.org\"), "
           "optionally with an \"iodef\" contact."),
    refs=["rfc:8659"], effort="low",
)
AXFR_REFUSED = check(
    "dns.axfr.refused", severity="high",
    title=Text(fr="Transfert de zone (AXFR) refusé", en="Zone transfer (AXFR) refused"),
    explanation=Text(
        fr="Un transfert de zone ouvert donne à n'importe qui la liste complète des noms et adresses internes "
           "publiés, une carte toute prête pour préparer une attaque.",
        en="An open zone transfer hands anyone the full list of published names and addresses, a ready-made "
           "map for preparing an attack."),
    remediation=Text(
        fr="Limiter AXFR/IXFR aux seuls serveurs secondaires (ACL par adresse ou clé TSIG) sur chaque serveur "
           "de noms.",
        en="Restrict AXFR/IXFR to the secondary servers only (address ACL or TSIG key) on every name server."),
    refs=["rfc:5936", "anssi-bp-038:hardening"], effort="low",
)
CNAME_DANGLING = check(
    "dns.cname.dangling", severity="high",
    title=Text(fr="Pas d'alias (CNAME) orphelin", en="No dangling alias (CNAME)"),
    explanation=Text(
        fr="Un alias qui pointe vers un nom qui n'existe plus (ancien hébergement, service cloud résilié) peut "
           "être repris par un tiers, qui publie alors son contenu sous le nom de la collectivité.",
        en="An alias pointing at a name that no longer exists (old hosting, cancelled cloud service) can be "
           "taken over by a third party, who then publishes content under the authority's name."),
    remediation=Text(
        fr="Supprimer les CNAME qui pointent vers des noms inexistants ou en boucle, ou recréer la ressource "
           "visée ; inventorier les sous-domaines lors de chaque fin de contrat.",
        en="Remove CNAMEs pointing at non-existent names or looping, or recreate the target resource; review "
           "sub-domains whenever a contract ends."),
    refs=["rfc:1034", "anssi-bp-038:hardening"], effort="low",
)
IPV6_PRESENT = check(
    "dns.ipv6.present", severity="low",
    title=Text(fr="Accessibilité en IPv6 (serveurs de noms, messagerie, web)",
               en="IPv6 reachability (name servers, mail, web)"),
    explanation=Text(
        fr="Une part croissante des usagers se connecte en IPv6 ; publier des adresses IPv6 garantit l'accès "
           "aux services de la collectivité sans passer par des passerelles de traduction.",
        en="A growing share of residents connect over IPv6; publishing IPv6 addresses keeps the authority's "
           "services reachable without translation gateways."),
    remediation=Text(
        fr="Demander à l'hébergeur des adresses IPv6 (AAAA) pour les serveurs de noms, de messagerie et web.",
        en="Ask the host for IPv6 addresses (AAAA) for the name, mail and web servers."),
    refs=["rfc:8200", "rfc:3901"], effort="medium",
)
ZONE_RESOLVES = check(
    "dns.zone.resolves", severity="high",
    title=Text(fr="Le domaine existe dans le DNS", en="The domain exists in the DNS"),
    explanation=Text(
        fr="Un domaine de l'inventaire qui n'existe pas (NXDOMAIN) est peut-être expiré : un tiers pourrait "
           "le racheter et recevoir le courriel qui lui est destiné.",
        en="An inventory domain that does not exist (NXDOMAIN) may have expired: a third party could register "
           "it and receive mail sent to it."),
    remediation=Text(
        fr="Vérifier l'inventaire et la date d'expiration du domaine auprès du bureau d'enregistrement ; "
           "activer le renouvellement automatique.",
        en="Check the inventory and the domain's expiry date with the registrar; enable automatic renewal."),
    refs=["rfc:1034", "anssi-bp-038:resilience"], effort="low",
)

DNS_CHECKS = (NS_REDUNDANCY, DNSSEC_VALID, CAA_PRESENT, AXFR_REFUSED, CNAME_DANGLING, IPV6_PRESENT)


def judge(obs: dict) -> list[Finding]:
    """The findings of one domain, from `probes.dns.observe`. A failed SOA query leaves every check
    untested (`error`); NXDOMAIN is conclusive: only `dns.zone.resolves`, failed, is judged."""
    target, soa = obs["target"], obs["soa"]
    if soa not in RESOLVED:
        return errors_for((ZONE_RESOLVES, *DNS_CHECKS), target, soa)
    if soa == "nxdomain":
        return [ZONE_RESOLVES.finding("fail", target=target, evidence={"rcode": "NXDOMAIN"}, detail=detail(
            "le domaine n'existe pas (NXDOMAIN)", "the domain does not exist (NXDOMAIN)"))]
    zone = obs.get("zone") or target
    inzone = {"zone": zone} if zone != target else {}  # a name inside a zone is judged on its zone
    sec = dict(obs["dnssec"])
    if sec.get("expires_at"):
        sec["expires_in_days"] = days_between(obs["observed_at"], sec["expires_at"])
    return [
        ZONE_RESOLVES.finding("pass", target=target, evidence={"soa": soa, "zone": zone}),
        judge_ns(target, {**obs["ns"], **inzone}), judge_dnssec(target, {**sec, **inzone}),
        judge_caa(target, obs["caa"]), judge_axfr(target, {**obs["axfr"], **inzone}),
        judge_cnames(target, obs["cnames"]), judge_ipv6(target, obs["ipv6"]),
    ]


def network_of(ip: str) -> str:
    addr = ipaddress.ip_address(ip)
    prefix = 24 if addr.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def same_network(ns: dict) -> list[str]:
    """IP versions in which two or more servers have addresses, all in one network (a /24 or /48):
    judged per version, as Zonemaster does, so an IPv6 address of one server does not hide two
    servers sharing one IPv4 network (RFC 2182 §3.1)."""
    nets: dict[int, dict[str, set[str]]] = {}
    for name, v in ns.items():
        for ip in v["addresses"]:
            nets.setdefault(ipaddress.ip_address(ip).version, {}).setdefault(name, set()).add(network_of(ip))
    return [f"IPv{ver}" for ver, by_server in sorted(nets.items())
            if len(by_server) >= 2 and len(set().union(*by_server.values())) < 2]


def judge_ns(target: str, obs: dict) -> Finding:
    """obs: {"status", "ns": {name: {"addresses": [...], "aa": bool|None, "serial": int|None}}}."""
    if obs.get("status") != "ok":
        return errors_for([NS_REDUNDANCY], target, obs.get("status", "error"))[0]
    ns = obs["ns"]
    unknown = [n for n, v in ns.items() if not v["addresses"] and v.get("lookup", "ok") != "ok"]
    if unknown and len(unknown) == len(ns):
        return errors_for([NS_REDUNDANCY], target, "name server addresses could not be resolved")[0]
    homeless = sorted(n for n, v in ns.items() if not v["addresses"] and n not in unknown)
    networks = sorted({network_of(ip) for v in ns.values() for ip in v["addresses"]})
    serials = sorted({v["serial"] for v in ns.values() if v.get("serial") is not None})
    lame = sorted(n for n, v in ns.items() if v.get("aa") is not True)
    evidence = {"ns": ns, "networks": networks, "serials": serials, "not_authoritative": lame}
    if obs.get("zone"):
        evidence["zone"] = obs["zone"]
    if len(ns) < 2:
        return NS_REDUNDANCY.finding("fail", target=target, evidence=evidence, detail=detail(
            "un seul serveur de noms déclaré", "only one name server declared"))
    if homeless:
        evidence["without_address"] = homeless
        status = "fail" if len(ns) - len(homeless) < 2 else "warn"
        return NS_REDUNDANCY.finding(status, target=target, evidence=evidence, detail=detail(
            f"serveur(s) de noms sans adresse : {', '.join(homeless)}",
            f"name server(s) without an address: {', '.join(homeless)}"))
    shared = same_network(ns)
    if len(networks) < 2 or shared:
        evidence["same_network"] = shared
        return NS_REDUNDANCY.finding("fail", target=target, evidence=evidence, detail=detail(
            f"tous les serveurs de noms sont sur le même réseau ({', '.join(shared) or 'IP'})",
            f"every name server is on the same network ({', '.join(shared) or 'IP'})"))
    if lame and len(lame) == len(ns):
        return errors_for([NS_REDUNDANCY], target, "no name server answered")[0]
    if lame:
        return NS_REDUNDANCY.finding("warn", target=target, evidence=evidence, detail=detail(
            f"serveur(s) ne répondant pas avec autorité : {', '.join(lame)}",
            f"server(s) not answering authoritatively: {', '.join(lame)}"))
    if len(serials) > 1:
        return NS_REDUNDANCY.finding("warn", target=target, evidence=evidence, detail=detail(
            f"numéros de série SOA différents : {serials}", f"SOA serials differ: {serials}"))
    return NS_REDUNDANCY.finding("pass", target=target, evidence=evidence, detail=detail(
        f"{len(ns)} serveurs sur {len(networks)} réseaux", f"{len(ns)} servers on {len(networks)} networks"))


def judge_caa(target: str, obs: dict) -> Finding:
    """obs: {"status", "records": [{"flags", "tag", "value"}], "owner"}."""
    if obs["status"] not in ("ok", "nodata", "nxdomain"):
        return errors_for([CAA_PRESENT], target, obs["status"])[0]
    recs = obs.get("records") or []
    issuers = sorted({r["value"] for r in recs if r["tag"] in ("issue", "issuewild")})
    ev = {"records": recs, "issuers": issuers, "owner": obs.get("owner")}
    if not recs:
        return CAA_PRESENT.finding("warn", target=target, evidence=ev, detail=detail(
            "aucun enregistrement CAA : toute autorité peut émettre", "no CAA record: any authority may issue"))
    if not issuers:
        return CAA_PRESENT.finding("warn", target=target, evidence=ev, detail=detail(
            "CAA sans balise issue", "CAA without an issue tag"))
    return CAA_PRESENT.finding("pass", target=target, evidence=ev, detail=detail(
        f"autorités autorisées : {', '.join(issuers)}", f"authorised CAs: {', '.join(issuers)}"))


def judge_axfr(target: str, obs: dict) -> Finding:
    """obs: {"servers": {"ns (ip)": "open"|"refused"|"timeout"|"error"}} or {"status": ...}."""
    servers = obs.get("servers") or {}
    if not servers:
        return errors_for([AXFR_REFUSED], target, obs.get("status", "no name server address"))[0]
    opened = sorted(k for k, v in servers.items() if v == "open")
    ev = {"servers": servers, **({"zone": obs["zone"]} if obs.get("zone") else {})}
    if opened:
        return AXFR_REFUSED.finding("fail", target=target, evidence=ev, detail=detail(
            f"transfert de zone ouvert sur {', '.join(opened)}", f"zone transfer open on {', '.join(opened)}"))
    if all(v in ("timeout", "error") for v in servers.values()):
        return errors_for([AXFR_REFUSED], target, "no name server answered")[0]
    return AXFR_REFUSED.finding("pass", target=target, evidence=ev, detail=detail(
        "transfert refusé par les serveurs joints", "transfer refused by the servers reached"))


def judge_cnames(target: str, obs: dict) -> Finding:
    """obs: {"names": {name: {"status", "chain": [...], "dangling": bool, "loop": bool}}}."""
    names = obs.get("names") or {}
    bad = sorted(n for n, v in names.items() if v.get("dangling") or v.get("loop"))
    aliased = {n: v for n, v in names.items() if v.get("chain")}
    unknown = sorted(n for n, v in aliased.items() if v["status"] in ("timeout", "servfail", "refused", "error")
                     and not v.get("loop"))
    ev = {"aliases": aliased, "dangling": bad}
    if bad:
        return CNAME_DANGLING.finding("fail", target=target, evidence=ev, detail=detail(
            f"alias orphelin ou en boucle : {', '.join(bad)}", f"dangling or looping alias: {', '.join(bad)}"))
    if unknown:
        return CNAME_DANGLING.finding("error", target=target, evidence=ev, detail=detail(
            f"cible d'alias non vérifiable : {', '.join(unknown)}", f"alias target not checkable: {', '.join(unknown)}"))
    return CNAME_DANGLING.finding("pass", target=target, evidence=ev, detail=detail(
        f"{len(aliased)} alias vérifié(s)", f"{len(aliased)} alias(es) checked"))


def judge_ipv6(target: str, obs: dict) -> Finding:
    """obs: {"hosts": {role: {name: bool (has AAAA)}}} for roles ns, mx, web."""
    hosts = obs.get("hosts") or {}
    missing = sorted(f"{role}:{n}" for role, names in hosts.items() for n, has in names.items() if not has)
    total = sum(len(v) for v in hosts.values())
    if total == 0:
        return errors_for([IPV6_PRESENT], target, obs.get("status", "no host to test"))[0]
    ev = {"hosts_tested": total, "hosts_without_ipv6": len(missing)}  # the names are in the detail
    if not missing:
        return IPV6_PRESENT.finding("pass", target=target, evidence=ev, detail=detail(
            "tous les serveurs ont une adresse IPv6", "every server has an IPv6 address"))
    status = "warn" if len(missing) == total else "info"
    return IPV6_PRESENT.finding(status, target=target, evidence=ev, detail=detail(
        f"sans IPv6 : {', '.join(missing)}", f"without IPv6: {', '.join(missing)}"))
