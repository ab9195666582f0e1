"""Async DNS client for the probes, on top of dnspython's message code.

    client = DnsClient(net)                     # one per scan process (shares sockets and a cache)
    ans = await client.query("exemple.fr", "MX")
    ans.status   # "ok" | "nxdomain" | "nodata" | "servfail" | "refused" | "timeout" | "error"
    ans.failed   # True when nothing can be concluded (servfail/refused/timeout/error) -> finding `error`

Queries go to `--nameserver` (or the system's resolver) over UDP with a per-query
timeout and `net.retries` retries, and over TCP when the answer is truncated.
Referrals (from an authoritative-only server, as in the lab) are followed to the
delegated servers, within a bounded depth; CNAME chains are followed within a bound
with loop detection. A few sockets per server are shared by all queries (the query
ID and question must match), so thousands of queries cost no socket set-up.
"""

from __future__ import annotations

import asyncio
import random
import struct
import weakref
from dataclasses import dataclass, field

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype

from .net import Net

OK, NXDOMAIN, NODATA, SERVFAIL, REFUSED, TIMEOUT, ERROR = (
    "ok", "nxdomain", "nodata", "servfail", "refused", "timeout", "error")
FAILED = {SERVFAIL, REFUSED, TIMEOUT, ERROR}
MAX_CNAME = 8
MAX_REFERRALS = 6
PAYLOAD = 1232
SOCKETS_PER_SERVER = 4


@dataclass
class Answer:
    name: str  # the name asked (normalised, no trailing dot)
    rdtype: str
    status: str
    records: list = field(default_factory=list)  # rdata of rdtype at the end of the CNAME chain
    cnames: list[str] = field(default_factory=list)  # CNAME targets followed, in order
    rrsigs: list = field(default_factory=list)  # RRSIG rdata covering the answer
    ttl: int = 0
    detail: str = ""
    rrset: object = None  # the dnspython RRset of records (for DNSSEC validation)
    sigset: object = None  # the RRSIG RRset covering it
    zone: str | None = None  # owner of the SOA in the authority section (NODATA/NXDOMAIN)
    loop: bool = False

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


class _UdpPort(asyncio.DatagramProtocol):
    """One UDP socket to one server; answers are matched by query ID."""

    def __init__(self) -> None:
        self.transport: asyncio.DatagramTransport | None = None
        self.pending: dict[int, asyncio.Future] = {}

    def connection_made(self, transport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr) -> None:
        if len(data) < 12:
            return
        fut = self.pending.get(struct.unpack("!H", data[:2])[0])
        if fut is not None and not fut.done():
            fut.set_result(data)

    def error_received(self, exc) -> None:  # ICMP unreachable: let the query time out
        pass


class DnsClient:
    def __init__(self, net: Net) -> None:
        self.net = net
        if net.nameserver:
            self.servers = [(net.nameserver, net.port)]
        else:
            import dns.resolver

            self.servers = [(ns, 53) for ns in dns.resolver.Resolver().nameservers[:2]] or [("127.0.0.1", 53)]
        self.timeout = net.timeout
        self.attempts = max(1, net.retries + 1)
        self._ports: dict[tuple[str, int], list[_UdpPort]] = {}
        self._port_lock = asyncio.Lock()
        self._cache: dict[tuple, asyncio.Future] = {}
        self._cuts: dict[dns.name.Name, list[tuple[str, int]]] = {}  # zone -> servers (from referrals)
        self.queries = 0

    # ------------------------------------------------------------- public API
    def forget(self, domain: str) -> None:
        """Drop cached answers at or under `domain` (after its target is done: bounded memory)."""
        suffix = "." + domain
        for key in [k for k in self._cache if k[0] == domain or k[0].endswith(suffix)]:
            if self._cache[key].done():
                del self._cache[key]

    async def query(self, name: str, rdtype: str, *, dnssec: bool = False) -> Answer:
        """Resolve name/rdtype (cached per client; concurrent asks share one query)."""
        key = (name.lower().rstrip("."), rdtype.upper(), dnssec)
        fut = self._cache.get(key)
        if fut is None:
            fut = asyncio.ensure_future(self._resolve(key[0], key[1], dnssec))
            self._cache[key] = fut
        return await asyncio.shield(fut)

    async def ask(self, name: str, rdtype: str, server: tuple[str, int], *, rd: bool = False,
                  dnssec: bool = False) -> tuple[str, dns.message.Message | None]:
        """One question to one server, no referral or CNAME following: (status, message)."""
        q = self._make(name, rdtype, dnssec, rd)
        return await self._exchange(q, server)

    async def axfr(self, zone: str, server: tuple[str, int]) -> tuple[str, int]:
        """Try a zone transfer: ("open", n_records) | ("refused", 0) | (TIMEOUT/ERROR, 0)."""
        q = dns.message.make_query(zone + ".", dns.rdatatype.AXFR)
        try:
            data = await asyncio.wait_for(self._tcp(q.to_wire(), server), self.timeout)
            msg = dns.message.from_wire(data, ignore_trailing=True, one_rr_per_rrset=True)
        except TimeoutError:
            return TIMEOUT, 0
        except (OSError, dns.exception.DNSException, EOFError, ValueError):
            return REFUSED, 0  # connection refused/closed = no transfer served
        if msg.rcode() != dns.rcode.NOERROR or not msg.answer:
            return REFUSED, 0
        if msg.answer[0].rdtype != dns.rdatatype.SOA:
            return REFUSED, 0
        return "open", sum(len(r) for r in msg.answer)

    # ------------------------------------------------------------ resolution
    def _make(self, name: str, rdtype: str, dnssec: bool, rd: bool = True) -> dns.message.Message:
        q = dns.message.make_query(dns.name.from_text(name), rdtype, use_edns=0, payload=PAYLOAD,
                                   want_dnssec=dnssec)
        if not rd:
            q.flags &= ~dns.flags.RD
        return q

    def _servers_for(self, qname: dns.name.Name) -> list[tuple[str, int]]:
        best = None
        for zone in self._cuts:
            if qname.is_subdomain(zone) and (best is None or len(zone) > len(best)):
                best = zone
        return self._cuts[best] if best is not None else self.servers

    async def _resolve(self, name: str, rdtype: str, dnssec: bool) -> Answer:
        ans = Answer(name=name, rdtype=rdtype, status=ERROR)
        try:
            current = dns.name.from_text(name)
        except (dns.exception.DNSException, ValueError) as exc:
            ans.detail = f"bad name: {exc}"[:200]
            return ans
        want = dns.rdatatype.from_text(rdtype)
        seen = {current}
        for _ in range(MAX_CNAME + 1):
            status, msg = await self._lookup(current, want, dnssec)
            ans.status = status
            if msg is not None and status in (NXDOMAIN, NODATA):
                soa = next((r for r in msg.authority if r.rdtype == dns.rdatatype.SOA), None)
                ans.zone = soa.name.to_text(omit_final_dot=True) if soa is not None else None
            if msg is None or status in FAILED or status == NXDOMAIN:
                if status == NXDOMAIN and ans.cnames:
                    ans.detail = "dangling"
                return ans
            # walk the CNAME chain inside this answer
            owner = current
            while True:
                rrset = msg.get_rrset(msg.answer, owner, dns.rdataclass.IN, want)
                if rrset is not None:
                    ans.records = list(rrset)
                    ans.ttl = rrset.ttl
                    ans.rrset = rrset
                    sig = msg.get_rrset(msg.answer, owner, dns.rdataclass.IN, dns.rdatatype.RRSIG, want)
                    ans.rrsigs = list(sig) if sig is not None else []
                    ans.sigset = sig
                    ans.status = OK
                    return ans
                cname = None if want == dns.rdatatype.CNAME else msg.get_rrset(
                    msg.answer, owner, dns.rdataclass.IN, dns.rdatatype.CNAME)
                if cname is None:
                    break
                owner = cname[0].target
                ans.cnames.append(owner.to_text(omit_final_dot=True))
                if owner in seen or len(ans.cnames) > MAX_CNAME:
                    ans.status, ans.loop, ans.detail = ERROR, True, "cname loop or chain too long"
                    return ans
                seen.add(owner)
            if owner == current:
                ans.status = NODATA
                soa = next((r for r in msg.authority if r.rdtype == dns.rdatatype.SOA), None)
                ans.zone = soa.name.to_text(omit_final_dot=True) if soa is not None else None
                return ans
            current = owner  # CNAME leaves the answer: chase the target
        ans.status, ans.detail = ERROR, "cname chain too long"
        return ans

    async def _lookup(self, qname: dns.name.Name, want, dnssec: bool) -> tuple[str, dns.message.Message | None]:
        """Ask the configured server, following referrals to delegated servers."""
        servers = self._servers_for(qname.parent() if want == dns.rdatatype.DS and len(qname) > 1 else qname)
        q = self._make(qname.to_text(), dns.rdatatype.to_text(want), dnssec)
        status, msg = ERROR, None
        visited: set[dns.name.Name] = set()
        for _ in range(MAX_REFERRALS):
            status, msg = await self._try_servers(q, servers)
            if msg is None or status != NODATA or msg.flags & dns.flags.AA or msg.answer:
                return status, msg
            nsset = next((r for r in msg.authority if r.rdtype == dns.rdatatype.NS), None)
            if nsset is None or not qname.is_subdomain(nsset.name) or nsset.name in visited:
                return status, msg
            if want == dns.rdatatype.DS and nsset.name == qname:
                return status, msg  # the DS answer belongs to the parent: no DS
            visited.add(nsset.name)
            nxt = self._cuts.get(nsset.name) or await self._glue(msg, nsset)
            if not nxt:
                return ERROR, msg
            self._cuts[nsset.name] = nxt
            servers = nxt
        return status, msg

    async def _glue(self, msg: dns.message.Message, nsset) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        for ns in sorted(nsset, key=lambda r: r.target.to_text()):
            found = [r.address for rr in msg.additional if rr.name == ns.target
                     and rr.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA) for r in rr]
            if not found and not ns.target.is_subdomain(nsset.name):
                a = await self.query(ns.target.to_text(), "A")
                found = [r.address for r in a.records]
            out.extend((ip, 53) for ip in found)
        return out[:4]

    async def _try_servers(self, q: dns.message.Message, servers) -> tuple[str, dns.message.Message | None]:
        status, msg = ERROR, None
        for server in servers:
            status, msg = await self._exchange(q, server)
            if status not in (TIMEOUT, ERROR, REFUSED):
                return status, msg
        return status, msg

    # --------------------------------------------------------------- transport
    async def _exchange(self, q: dns.message.Message, server: tuple[str, int]):
        self.queries += 1
        for _ in range(self.attempts):
            try:
                data = await self._udp(q, server)
            except TimeoutError:
                continue
            except OSError:
                return ERROR, None
            try:
                resp = dns.message.from_wire(data, ignore_trailing=True)
            except dns.message.Truncated:
                break
            except dns.exception.DNSException:
                continue  # garbage: treat like a lost packet
            if not q.is_response(resp):
                continue
            if resp.flags & dns.flags.TC:
                break
            return _status(resp), resp
        else:
            return TIMEOUT, None
        try:  # truncated: TCP fallback
            data = await asyncio.wait_for(self._tcp(q.to_wire(), server), self.timeout)
            resp = dns.message.from_wire(data, ignore_trailing=True)
        except TimeoutError:
            return TIMEOUT, None
        except (OSError, EOFError, dns.exception.DNSException, ValueError):
            return ERROR, None
        return _status(resp), resp

    async def _socket(self, server: tuple[str, int]) -> _UdpPort:
        pool = self._ports.get(server)
        if pool is None or len(pool) < SOCKETS_PER_SERVER:
            async with self._port_lock:
                pool = self._ports.setdefault(server, [])
                if len(pool) < SOCKETS_PER_SERVER:
                    loop = asyncio.get_running_loop()
                    _, proto = await loop.create_datagram_endpoint(_UdpPort, remote_addr=server)
                    pool.append(proto)
                    return proto
        return random.choice(pool)

    async def _udp(self, q: dns.message.Message, server: tuple[str, int]) -> bytes:
        port = await self._socket(server)
        qid = random.randrange(65536)
        while qid in port.pending:
            qid = random.randrange(65536)
        q.id = qid
        fut = asyncio.get_running_loop().create_future()
        port.pending[qid] = fut
        try:
            port.transport.sendto(q.to_wire())
            return await asyncio.wait_for(fut, self.timeout)
        finally:
            port.pending.pop(qid, None)

    async def _tcp(self, wire: bytes, server: tuple[str, int]) -> bytes:
        reader, writer = await asyncio.open_connection(server[0], server[1])
        try:
            writer.write(struct.pack("!H", len(wire)) + wire)
            await writer.drain()
            size = struct.unpack("!H", await reader.readexactly(2))[0]
            return await reader.readexactly(size)
        finally:
            writer.close()

    def close(self) -> None:
        for pool in self._ports.values():
            for p in pool:
                if p.transport is not None:
                    p.transport.close()
        self._ports.clear()


def _status(resp: dns.message.Message) -> str:
    rc = resp.rcode()
    if rc == dns.rcode.NXDOMAIN:
        return NXDOMAIN
    if rc == dns.rcode.SERVFAIL:
        return SERVFAIL
    if rc == dns.rcode.REFUSED:
        return REFUSED
    if rc != dns.rcode.NOERROR:
        return ERROR
    return OK if resp.answer else NODATA


_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # loop -> {id(net): client}


def existing_client(net: Net) -> DnsClient | None:
    try:
        per_loop = _clients.get(asyncio.get_running_loop(), {})
    except RuntimeError:
        return None
    c = per_loop.get(id(net))
    return c if c is not None and c.net is net else None


def close_client(net: Net) -> None:
    """Close the sockets of this loop's client for `net` (end of a scan)."""
    c = existing_client(net)
    if c is not None:
        c.close()
        _clients[asyncio.get_running_loop()].pop(id(net), None)


def client_for(net: Net) -> DnsClient:
    """The DnsClient shared by the probes running in this event loop with these settings."""
    per_loop = _clients.setdefault(asyncio.get_running_loop(), {})
    c = per_loop.get(id(net))
    if c is None or c.net is not net:
        c = per_loop[id(net)] = DnsClient(net)
    return c
