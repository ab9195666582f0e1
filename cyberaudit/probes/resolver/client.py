"""Async DNS client for the probes, on top of dnspython's message code.

    client = DnsClient(net)                     # one per scan process (shares sockets and a cache)
    ans = await client.query("exemple.fr", "MX")
    ans.status   # "ok" | "nxdomain" | "nodata" | "servfail" | "refused" | "timeout" | "error"
    ans.failed   # True when nothing can be concluded (servfail/refused/timeout/error) -> finding `error`

Queries go to `--nameserver` (or the system's resolver) over UDP with a per-query
timeout and `net.retries` retries, and over TCP when the answer is truncated.
Messages are encoded and decoded by `dnswire` (fast path); dnspython parses only
DNSSEC answers (for validation) and zone transfers (`dnspy`, imported only then, so a TLS,
web or plain DNS scan starts without loading dnspython).
Referrals (from an authoritative-only server, as in the lab) are followed to the
delegated servers, within a bounded depth; CNAME chains are followed within a bound
with loop detection. Sockets, retransmission and TCP fallback: `dnstransport`.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import weakref
from dataclasses import dataclass, field

from ..net import Net
from . import wire as w
from .transport import ERROR, FAILED, NODATA, NXDOMAIN, OK, REFUSED, SERVFAIL, TIMEOUT, Transport

__all__ = ["ERROR", "FAILED", "NODATA", "NXDOMAIN", "OK", "REFUSED", "SERVFAIL", "TIMEOUT", "Answer",
           "DnsClient", "client_for"]

MAX_CNAME = 8
MAX_REFERRALS = 6
MAX_GLUE_DEPTH = 3
_TRY_NEXT = frozenset((TIMEOUT, ERROR, REFUSED))  # a server that gives these: ask the next one


@dataclass
class Answer:
    name: str  # the name asked (normalised, no trailing dot)
    rdtype: str
    status: str
    records: list = field(default_factory=list)  # rdata of rdtype at the end of the CNAME chain (dnswire
    # objects: .address, .exchange/.preference, .target, .strings, .flags/.tag/.value, .serial; dnspython rdata
    # for dnssec=True queries)
    cnames: list[str] = field(default_factory=list)  # CNAME targets followed, in order
    rrsigs: list = field(default_factory=list)  # RRSIG rdata covering the answer
    ttl: int = 0
    detail: str = ""
    rrset: object = None  # the dnspython RRset of records (for DNSSEC validation)
    sigset: object = None  # the RRSIG RRset covering it
    zone: str | None = None  # owner of the SOA in the authority section (NODATA/NXDOMAIN)
    loop: bool = False
    denial: list = field(default_factory=list)  # NODATA/NXDOMAIN with dnssec=True: [(NSEC/NSEC3 RRset, RRSIG RRset)]

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def failed(self) -> bool:
        return self.status in FAILED

    @property
    def missing(self) -> bool:
        return self.status in (NXDOMAIN, NODATA)

    def texts(self) -> list[bytes]:
        """TXT records as raw bytes (character-strings joined)."""
        return [b"".join(r.strings) for r in self.records if hasattr(r, "strings")]


class DnsClient:
    def __init__(self, net: Net) -> None:
        self.net = net
        if net.nameserver:
            self.servers = [(net.nameserver, net.port)]
        else:
            import dns.resolver

            self.servers = [(ns, 53) for ns in dns.resolver.Resolver().nameservers[:2]] or [("127.0.0.1", 53)]
        self.timeout = net.timeout
        self.transport = Transport(net)
        self.users = 0  # scans holding this client (hold_client / release_client)
        self._cache: dict[tuple, asyncio.Future] = {}
        self._index: dict[str, list[tuple]] = {}
        self._cuts: dict[str, list[tuple[str, int]]] = {}  # zone -> servers (from referrals)
        self.memo: dict = {}  # facts the probes derive once per client from cached answers (a few entries)

    # ------------------------------------------------------------- public API
    def forget(self, domain: str) -> None:
        """Drop cached answers at or under `domain` (after its target is done: bounded memory)."""
        cache, index = self._cache, self._index
        for key in index.pop(domain, ()):
            fut = cache.get(key)
            if fut is None or not fut.done():
                continue
            del cache[key]
            name = key[0]  # the key is also indexed under its names below `domain`: unlist it there too
            while len(name) > len(domain):
                keys = index.get(name)
                if keys is not None:
                    with contextlib.suppress(ValueError):
                        keys.remove(key)
                    if not keys:
                        del index[name]
                name = name.partition(".")[2]

    async def query(self, name: str, rdtype: str, *, dnssec: bool = False) -> Answer:
        """Resolve name/rdtype (cached per client; concurrent asks share one query)."""
        key = (name.lower().rstrip("."), rdtype.upper(), dnssec)
        cache = self._cache
        while True:
            fut = cache.get(key)
            if fut is None:
                break
            if fut.done():
                if not fut.cancelled():
                    return fut.result()
            else:
                await asyncio.wait((fut,))  # someone else is asking: wait for it (never cancels it)
                if not fut.cancelled():
                    return fut.result()
            if cache.get(key) is fut:  # the one asking was cancelled: ask again, ourselves
                del cache[key]
        # the first to ask resolves in its own task (no extra task per query); the others wait on `fut`
        fut = asyncio.get_running_loop().create_future()
        cache[key] = fut
        labels = key[0].split(".")
        index = self._index
        for i in range(len(labels) - 1):  # index under each parent name, for forget()
            index.setdefault(".".join(labels[i:]), []).append(key)
        try:
            ans = await self._resolve(key[0], key[1], dnssec)
        except BaseException as exc:
            if cache.get(key) is fut:
                del cache[key]
            if isinstance(exc, asyncio.CancelledError):
                fut.cancel()  # the waiters, if any, then ask again themselves
            else:
                fut.set_exception(exc)
                fut.exception()  # retrieved: no "exception never retrieved" when nobody else waited
            raise
        fut.set_result(ans)
        return ans

    async def ask(self, name: str, rdtype: str, server: tuple[str, int], *, rd: bool = False,
                  dnssec: bool = False) -> tuple[str, w.Msg | None]:
        """One question to one server, no referral or CNAME following: (status, dnswire.Msg)."""
        status, msg, _raw = await self.transport.exchange(name, w.TYPES[rdtype], server, rd=rd, dnssec=dnssec)
        return status, msg

    async def axfr(self, zone: str, server: tuple[str, int]) -> tuple[str, int]:
        """Try a zone transfer: ("open", n_records) | ("refused", 0) | (TIMEOUT/ERROR, 0)."""
        try:
            wire = w.encode_axfr(random.getrandbits(16), zone)
        except w.WireError:
            return ERROR, 0
        try:
            async with asyncio.timeout(self.timeout):  # no extra task, unlike wait_for
                data = await self.transport.tcp(wire, server)
        except TimeoutError:
            return TIMEOUT, 0
        except (OSError, EOFError, ValueError):
            return REFUSED, 0  # connection refused/closed = no transfer served
        if len(data) < 12 or data[3] & 0x0F:  # an error code (most servers: REFUSED): no transfer
            return REFUSED, 0
        from . import dnspy  # start-up: only a zone transfer or a DNSSEC answer loads dnspython

        count = dnspy.axfr_count(data)
        if count is None:
            return REFUSED, 0
        return "open", count

    # ------------------------------------------------------------ resolution
    def _servers_for(self, qname: str) -> list[tuple[str, int]]:
        """The servers of the closest enclosing zone cut learnt from a referral (else the configured ones)."""
        cuts = self._cuts
        if cuts:
            name = qname
            while True:
                servers = cuts.get(name)
                if servers is not None:
                    return servers
                if "." not in name:
                    break
                name = name.partition(".")[2]
        return self.servers

    async def _resolve(self, name: str, rdtype: str, dnssec: bool, depth: int = 0) -> Answer:
        ans = Answer(name=name, rdtype=rdtype, status=ERROR)
        want = w.TYPES.get(rdtype)
        if want is None:
            ans.detail = f"unsupported type {rdtype}"
            return ans
        current = name
        seen = {current}
        for _ in range(MAX_CNAME + 1):
            status, msg, raw = await self._lookup(current, want, dnssec, depth)
            ans.status = status
            if msg is None or status in FAILED:
                return ans
            owner = current
            while True:  # walk the CNAME chain inside this answer
                recs = [r for r in msg.answer if r.rtype == want and r.name == owner]
                if recs:
                    ans.records = [r.data for r in recs]
                    ans.ttl = recs[0].ttl
                    ans.status = OK
                    if dnssec:
                        _dnssec_sets(ans, raw, owner, want)
                    return ans
                cname = None if want == w.CNAME else next(
                    (r for r in msg.answer if r.rtype == w.CNAME and r.name == owner), None)
                if cname is None:
                    break
                owner = cname.data.target
                ans.cnames.append(owner)
                if owner in seen or len(ans.cnames) > MAX_CNAME:
                    ans.status, ans.loop, ans.detail = ERROR, True, "cname loop or chain too long"
                    return ans
                seen.add(owner)
            if status == NXDOMAIN:  # the name (or the end of its CNAME chain) does not exist
                ans.status, ans.zone = NXDOMAIN, _soa_owner(msg)
                if dnssec:
                    ans.denial = _denial_sets(raw)
                if ans.cnames:
                    ans.detail = "dangling"
                return ans
            if owner == current:
                ans.status = NODATA
                ans.zone = _soa_owner(msg)
                if dnssec:
                    ans.denial = _denial_sets(raw)
                return ans
            current = owner  # the CNAME leaves this answer: chase the target
        ans.status, ans.detail = ERROR, "cname chain too long"
        return ans

    async def _lookup(self, qname: str, want: int, dnssec: bool, depth: int = 0):
        """Ask the configured server, following referrals to delegated servers."""
        parent = qname.partition(".")[2] if want == w.DS and "." in qname else qname
        servers = self._servers_for(parent)
        status, msg, raw = ERROR, None, b""
        visited: set[str] = set()
        exchange = self.transport.exchange
        for _ in range(MAX_REFERRALS):
            for server in servers:  # the first server that answers (inline: one coroutine less per query)
                status, msg, raw = await exchange(qname, want, server, dnssec=dnssec)
                if status not in _TRY_NEXT:
                    break
            if msg is None or status != NODATA or msg.flags & w.AA or msg.answer:
                return status, msg, raw
            nsset = [r for r in msg.authority if r.rtype == w.NS]
            cut = nsset[0].name if nsset else None
            if cut is None or not (qname == cut or qname.endswith("." + cut)) or cut in visited:
                return status, msg, raw
            if want == w.DS and cut == qname:
                return status, msg, raw  # the DS answer belongs to the parent: no DS
            visited.add(cut)
            nxt = self._cuts.get(cut) or await self._glue(msg, cut, [r.data.target for r in nsset if r.name == cut],
                                                          depth)
            if not nxt:
                return ERROR, msg, raw
            self._cuts[cut] = nxt
            servers = nxt
        return status, msg, raw

    async def _glue(self, msg: w.Msg, cut: str, targets: list[str], depth: int) -> list[tuple[str, int]]:
        """Addresses of a delegation's servers: glue, else resolved here (uncached and depth-bounded,
        so zones whose servers are named in each other cannot wait on each other forever)."""
        out: list[tuple[str, int]] = []
        for target in sorted(set(targets)):
            found = [r.data.address for r in msg.additional if r.name == target and r.rtype in (w.A, w.AAAA)]
            if not found and depth < MAX_GLUE_DEPTH and not (target == cut or target.endswith("." + cut)):
                a = await self._resolve(target, "A", False, depth + 1)
                found = [r.address for r in a.records]
            out.extend((ip, 53) for ip in found)
        return out[:4]

    def close(self) -> None:
        self.transport.close()


def _soa_owner(msg: w.Msg) -> str | None:
    return next((r.name for r in msg.authority if r.rtype == w.SOA), None)


def _dnssec_sets(ans: Answer, raw: bytes, owner: str, want: int) -> None:
    """Re-read a DNSSEC answer with dnspython: RRset and RRSIGs for validation."""
    from . import dnspy  # start-up: see the module docstring

    sets = dnspy.answer_sets(raw, owner, want)
    if sets is None:
        return
    ans.rrset, ans.sigset = sets
    ans.records = list(ans.rrset)
    ans.rrsigs = list(ans.sigset) if ans.sigset is not None else []


def _denial_sets(raw: bytes) -> list:
    from . import dnspy  # start-up: see the module docstring

    return dnspy.denial_sets(raw)


_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # loop -> {id(net): client}


def existing_client(net: Net) -> DnsClient | None:
    try:
        per_loop = _clients.get(asyncio.get_running_loop(), {})
    except RuntimeError:
        return None
    c = per_loop.get(id(net))
    return c if c is not None and c.net is net else None


def hold_client(net: Net) -> None:
    """A scan starts using this loop's client for `net` (scans may share one: see release_client)."""
    client_for(net).users += 1


def release_client(net: Net) -> None:
    """A scan is done with the client; the last one out closes its sockets."""
    c = existing_client(net)
    if c is not None:
        c.users -= 1
        if c.users <= 0:
            c.close()
            _clients[asyncio.get_running_loop()].pop(id(net), None)


def client_for(net: Net) -> DnsClient:
    """The DnsClient shared by the probes running in this event loop with these settings."""
    per_loop = _clients.setdefault(asyncio.get_running_loop(), {})
    c = per_loop.get(id(net))
    if c is None or c.net is not net:
        c = per_loop[id(net)] = DnsClient(net)
    return c
