"""Mail probe family: MX, SPF, DMARC, DKIM, MTA-STS, TLS-RPT observations for `checks.mail`."""

from __future__ import annotations

import asyncio
import ssl

from ..sanitize import decode_bytes
from . import Target, observed_at
from .mailsec import dkim, dmarc, mtasts, spf
from .net import Net
from .resolver.client import client_for
from .streams import read_within

POLICY_LIMIT = 65536
READ_BUDGET = 2  # a policy is read within 2 x --timeout in total, however slowly the server drips it


async def observe(target: Target, net: Net) -> dict:
    """The facts `checks.mail.judge` needs: MX, SPF tree, DMARC, DKIM keys, TLS-RPT and MTA-STS policy."""
    c = client_for(net)
    domain = target.name
    obs: dict = {"target": domain, "observed_at": observed_at(), "dkim_selectors": sorted(target.dkim_selectors)}
    mx = await c.query(domain, "MX")
    if mx.status == "nxdomain":  # conclusive: nothing else to ask
        obs["mx"] = {"status": mx.status}
        return obs
    obs["spf"], obs["dmarc"], obs["dkim"], obs["tls_rpt"] = await asyncio.gather(
        gather_spf(c, domain), gather_dmarc(c, domain), gather_dkim(c, domain, target.dkim_selectors),
        gather_tlsrpt(c, domain))
    if mx.failed:
        obs["mx"] = {"status": mx.status}
    else:
        obs["mx"] = await gather_mx(c, mx)
        obs["mta_sts"] = await gather_mta_sts(c, net, domain, [m["host"] for m in obs["mx"]["mx"]])
    return obs



def _texts(ans) -> list[str]:
    return [decode_bytes(t) for t in ans.texts()]


async def gather_mx(c, mx) -> dict:
    recs = sorted(mx.records, key=lambda r: (r.preference, r.exchange))
    null = len(recs) == 1 and recs[0].exchange == ""
    obs: dict = {"status": mx.status, "null": null, "mx": []}
    if recs and not null:
        hosts = [r.exchange for r in recs][:10]
        found = await asyncio.gather(*(asyncio.gather(c.query(h, "A"), c.query(h, "AAAA")) for h in hosts))
        for r, h, (a, aaaa) in zip(recs, hosts, found, strict=False):
            if a.ok or aaaa.ok:
                resolves = True
            elif a.failed and aaaa.failed:
                resolves = None
            else:
                resolves = False
            obs["mx"].append({"pref": r.preference, "host": h, "resolves": resolves})
    return obs


async def gather_spf(c, domain: str) -> dict:
    ans = await c.query(domain, "TXT")
    if ans.failed:
        return {"status": ans.status}
    records = spf.select(_texts(ans))
    obs: dict = {"status": ans.status, "records": [r[:1024] for r in records]}
    if len(records) != 1:
        return obs
    try:
        spf.parse(records[0])
    except spf.SpfError as exc:
        obs["syntax"] = str(exc)
        obs["syntax_error"] = exc.as_dict()

    async def txt(name: str):
        a = await c.query(name, "TXT")
        return a.status, a.texts()

    async def exists(name: str, kind: str):
        if kind == "mx":
            a = await c.query(name, "MX")
            return a.status, len(a.records)
        a, aaaa = await asyncio.gather(c.query(name, "A"), c.query(name, "AAAA"))
        if a.failed and aaaa.failed:
            return a.status, 0
        return "ok", len(a.records) + len(aaaa.records)

    tree = await spf.expand(domain, records[0], txt, exists)
    obs.update(tree=tree.root.as_dict(), lookups=tree.lookups, void=tree.void, errors=tree.errors,
               unknown=tree.unknown, loop=tree.loop, all=spf.effective_all(tree), verdict=spf.verdict(tree))
    return obs


async def gather_dmarc(c, domain: str) -> dict:
    for name in dmarc.walk_names(domain):
        ans = await c.query(f"_dmarc.{name}", "TXT")
        if ans.failed:
            return {"status": ans.status, "found_at": name}
        records = [t for t in _texts(ans) if dmarc.is_dmarc(t)]
        if not records:
            continue
        rec = dmarc.parse(records[0])
        sub = name != domain
        obs = {"status": "ok", "found_at": name, "record": records[0][:1024], "several": len(records) > 1,
               "policy": rec.policy_for(subdomain=sub), "testing": rec.testing, "pct": rec.pct,
               "problems": rec.problems, "obsolete": rec.obsolete, "unknown": rec.unknown, "rua": rec.valid_uris("rua"),
               "rua_invalid": [u[:100] for u in rec.uris("rua") if not dmarc.valid_uri(u)]}
        ext = dmarc.external_destinations(rec, name)
        checks_ = await asyncio.gather(*(c.query(f"{name}._report._dmarc.{d}", "TXT") for d in ext))
        obs["external"] = {d: (None if a.failed else any(dmarc.is_dmarc(t) for t in _texts(a)))
                           for d, a in zip(ext, checks_, strict=True)}
        return obs
    return {"status": "none"}


async def gather_dkim(c, domain: str, extra: tuple[str, ...]) -> dict:
    base = await c.query(f"_domainkey.{domain}", "TXT")
    selectors = sorted(set(extra)) if base.status == "nxdomain" else sorted(set(dkim.SELECTORS) | set(extra))
    answers = await asyncio.gather(*(c.query(f"{s}._domainkey.{domain}", "TXT") for s in selectors))
    found = {}
    failed = []
    for sel, ans in zip(selectors, answers, strict=True):
        if ans.failed:
            failed.append(sel)
            continue
        texts = [t for t in _texts(ans) if dkim.is_dkim(t)]
        if texts:
            found[sel] = dkim.key_info(texts[0])
    # the common selectors are tried for every domain: the observation names only the declared ones
    return {"status": base.status if base.failed else "ok", "selectors": found, "queried": len(selectors),
            "failed": failed, "tried": sorted(set(selectors) - set(dkim.SELECTORS)),
            "common_tried": base.status != "nxdomain"}


async def gather_tlsrpt(c, domain: str) -> dict:
    ans = await c.query(f"_smtp._tls.{domain}", "TXT")
    if ans.failed:
        return {"status": ans.status}
    recs = [t for t in _texts(ans) if mtasts.parse_txt(t, "TLSRPTv1") is not None]
    if not recs:
        return {"status": "none"}
    good, bad = mtasts.tlsrpt_uris(mtasts.parse_txt(recs[0], "TLSRPTv1"))
    return {"status": "ok", "records": recs, "valid": good, "invalid": bad}


async def gather_mta_sts(c, net: Net, domain: str, mx_hosts: list[str]) -> dict:
    if not mx_hosts:
        return {"status": "nomail"}
    ans = await c.query(f"_mta-sts.{domain}", "TXT")
    if ans.failed:
        return {"status": ans.status}
    recs = [t for t in _texts(ans) if mtasts.parse_txt(t, "STSv1") is not None]
    if not recs:
        return {"status": "none"}
    obs: dict = {"status": "ok", "txt": recs, "mx": mx_hosts}
    host = f"mta-sts.{domain}"
    a, aaaa = await asyncio.gather(c.query(host, "A"), c.query(host, "AAAA"))
    if a.failed and not aaaa.records:
        return {**obs, "fetch": "timeout" if a.status == "timeout" else "dns", "reason": f"{host}: {a.status}"}
    addresses = [r.address for r in a.records] + [r.address for r in aaaa.records]
    if not addresses:
        return {**obs, "fetch": "dns", "reason": f"{host} has no address"}
    fetch, body, reason = await fetch_policy(net, host, addresses[0])
    obs.update(fetch=fetch, reason=reason)
    if fetch == "ok":
        policy, problems = mtasts.parse_policy(body)
        obs.update(policy=policy, problems=problems, uncovered=mtasts.uncovered(policy["mx"], mx_hosts))
    return obs


async def fetch_policy(net: Net, host: str, ip: str) -> tuple[str, str, str | None]:
    """GET https://host/.well-known/mta-sts.txt at ip, verified TLS, bounded size and time."""
    port = int(net.options.get("https_port", 443))
    ctx = net.ssl_context()
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(ip, port, ssl=ctx, server_hostname=host), net.timeout)
    except TimeoutError:
        return "timeout", "", "connect timeout"
    except ssl.SSLCertVerificationError as exc:
        return "tls", "", f"certificate: {exc.verify_message}"[:200]
    except (ssl.SSLError, OSError) as exc:
        return "connect", "", f"{type(exc).__name__}: {exc}"[:200]
    try:
        writer.write(f"GET /.well-known/mta-sts.txt HTTP/1.0\r\nHost: {host}\r\nUser-Agent: cyberaudit\r\n"
                     f"Connection: close\r\n\r\n".encode("ascii"))
        raw = await read_within(reader, net.timeout * READ_BUDGET, POLICY_LIMIT)
    except TimeoutError:
        return "timeout", "", "read timeout"
    except (ssl.SSLError, OSError) as exc:
        return "connect", "", f"{type(exc).__name__}"
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    parts = status_line.split()
    if len(parts) < 2 or parts[1] != "200":
        return "http", "", f"HTTP status {decode_bytes(parts[1].encode() if len(parts) > 1 else b'?')[:10]}"
    return "ok", decode_bytes(body), None

