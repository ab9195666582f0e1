"""UDP/TCP transport of the scan's DNS client: shared sockets, retransmission, TCP fallback.

A few connected UDP sockets per server are shared by every query; answers are matched
by query ID and question. A query is retransmitted with the same ID on an RTT-adaptive
timer (RFC 6298 estimator, doubling backoff, at most `net.retries` retransmissions, all within
`net.timeout` for the query), so a late answer to an earlier copy still counts: a server that never
answers costs `net.timeout` per query, not `net.timeout` per attempt. The number
of queries awaiting an answer is bounded. Truncated answers are asked again over TCP.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import random
import socket
import struct

from ..net import Net
from . import wire as w

OK, NXDOMAIN, NODATA, SERVFAIL, REFUSED, TIMEOUT, ERROR = (
    "ok", "nxdomain", "nodata", "servfail", "refused", "timeout", "error")
FAILED = {SERVFAIL, REFUSED, TIMEOUT, ERROR}
SOCKETS_PER_SERVER = 8
MAX_INFLIGHT = 128  # queries awaiting an answer at once, per client
INITIAL_RTO = 1.0  # first retransmission timer before any RTT sample (s)
MIN_RTO = 0.25


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
        fut = self.pending.get((data[0] << 8) | data[1])
        if fut is not None and not fut.done():
            fut.set_result(data)

    def error_received(self, exc) -> None:  # ICMP unreachable: let the query time out
        pass


class _Wait:
    """One UDP query awaiting its answer: (re)sends on an RTT-adaptive timer, then gives up.

    One future and one timer per query (the answer or the timer settles the future), instead of a
    coroutine, a waiter future and callbacks per attempt: the hot path of a scan."""

    __slots__ = ("fut", "loop", "send", "wire", "sends", "attempts", "rto", "cap", "deadline", "timer")

    def __init__(self, loop, fut: asyncio.Future, send, wire: bytes | None, attempts: int, rto: float, cap: float,
                 budget: float) -> None:
        self.fut, self.loop, self.send, self.wire = fut, loop, send, wire
        self.sends, self.attempts, self.rto, self.cap = 0, attempts, rto, cap
        self.deadline = loop.time() + budget
        self.timer = None
        self.tick()

    def tick(self) -> None:
        if self.fut.done():
            return
        left = self.deadline - self.loop.time()
        if left <= 0:
            self.fut.set_result(None)
            return
        if self.wire is not None and self.sends < self.attempts:
            try:
                self.send(self.wire)
            except Exception as exc:  # a closed socket: the query fails now (never waits forever)
                self.fut.set_exception(exc)
                return
            self.sends += 1
            wait = min(self.rto, left) if self.sends < self.attempts else left
            self.rto = min(self.cap, self.rto * 2)
        else:
            wait = left
        self.timer = self.loop.call_later(wait, self.tick)

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()


class Transport:
    def __init__(self, net: Net) -> None:
        self.timeout = net.timeout
        self.attempts = max(1, net.retries + 1)
        self._ports: dict[tuple[str, int], list[_UdpPort]] = {}
        self._port_lock = asyncio.Lock()
        self._slots = int(net.options.get("dns_inflight", MAX_INFLIGHT))  # free places among queries in flight
        self._queue: collections.deque[asyncio.Future] = collections.deque()  # queries waiting for a place
        self._rtt: dict[tuple[str, int], list[float]] = {}  # server -> [srtt, rttvar] (RFC 6298)
        self.queries = 0
        self._turn = 0

    async def exchange(self, qname: str, qtype: int, server: tuple[str, int], *, rd: bool = True,
                        dnssec: bool = False) -> tuple[str, w.Msg | None, bytes]:
        self.queries += 1
        pool = self._ports.get(server)
        try:
            if pool is not None and len(pool) >= SOCKETS_PER_SERVER:
                self._turn += 1  # the sockets in turn (the query ID stays random: RFC 5452)
                port = pool[self._turn % SOCKETS_PER_SERVER]
            else:
                port = await self._socket(server)
        except OSError:
            return ERROR, None, b""
        pending = port.pending
        qid = random.getrandbits(16)
        while qid in pending:
            qid = random.getrandbits(16)
        try:
            wire, question = w.encode_query(qid, qname, qtype, rd=rd, dnssec=dnssec)
        except w.WireError as exc:
            return ERROR, None, str(exc).encode()
        loop = asyncio.get_running_loop()
        fut = pending[qid] = loop.create_future()  # the ID is taken from now on (no other query may pick it)
        truncated = False
        try:
            if self._slots > 0 and not self._queue:  # a free place (nearly always): no coroutine
                self._slots -= 1
            else:
                await self._acquire(loop)
            try:
                data = await self._udp(loop, port, server, fut, wire, self.timeout)
            finally:
                self._release()
            strays = 0
            while data is not None and strays < 4:
                try:
                    msg = w.decode(data)
                except (w.WireError, struct.error, ValueError):
                    if len(data) > 2 and data[2] & 0x02:  # truncated and unparsable: TCP
                        truncated = True
                        break
                    msg = None
                if msg is not None and msg.flags & 0x8000 and msg.question == question:
                    if not msg.flags & w.TC:
                        return _status(msg), msg, data
                    truncated = True
                    break
                # garbage or a mismatched answer: keep waiting (a little) for the real one
                strays += 1
                fut = pending[qid] = loop.create_future()
                data = await self._udp(loop, port, server, fut, None, self.timeout)
        except OSError:
            return ERROR, None, b""
        finally:
            pending.pop(qid, None)
        if not truncated:
            return TIMEOUT, None, b""
        try:  # truncated: TCP fallback
            wire, question = w.encode_query(random.randrange(65536), qname, qtype, rd=rd, dnssec=dnssec,
                                            payload=65535)
            data = await asyncio.wait_for(self.tcp(wire, server), self.timeout)
            msg = w.decode(data)
        except TimeoutError:
            return TIMEOUT, None, b""
        except (OSError, EOFError, w.WireError, struct.error, ValueError):
            return ERROR, None, b""
        return _status(msg), msg, data

    async def _acquire(self, loop) -> None:
        """Wait for a place among the queries in flight (at most MAX_INFLIGHT await an answer at once)."""
        fut = loop.create_future()
        self._queue.append(fut)
        try:
            await fut  # _release hands its place over by settling fut
        except BaseException:
            if fut.done() and not fut.cancelled():
                self._release()  # handed a place, then cancelled: pass it on
            else:
                with contextlib.suppress(ValueError):
                    self._queue.remove(fut)
            raise

    def _release(self) -> None:
        while self._queue:
            fut = self._queue.popleft()
            if not fut.done():
                fut.set_result(None)
                return
        self._slots += 1

    def _rto(self, server: tuple[str, int]) -> float:
        est = self._rtt.get(server)
        cap = self.timeout / self.attempts  # every retransmission fits in the query's budget
        if est is None:
            return min(cap, INITIAL_RTO)
        return min(cap, max(MIN_RTO, est[0] + 4 * est[1]))

    def _sample(self, server: tuple[str, int], rtt: float) -> None:
        est = self._rtt.get(server)
        if est is None:
            self._rtt[server] = [rtt, rtt / 2]
        else:
            est[1] = 0.75 * est[1] + 0.25 * abs(est[0] - rtt)
            est[0] = 0.875 * est[0] + 0.125 * rtt

    async def _udp(self, loop, port: _UdpPort, server, fut: asyncio.Future, wire: bytes | None,
                   budget: float) -> bytes | None:
        """Send (and resend, same ID, with backoff) until `fut` has the answer or `budget` seconds in total;
        with `wire` None, only wait. A late answer to an earlier copy still counts. None on timeout."""
        start = loop.time()
        waiting = _Wait(loop, fut, port.transport.sendto, wire, self.attempts if wire is not None else 0,
                        self._rto(server), self.timeout, budget)
        try:
            data = await fut
        finally:
            waiting.cancel()
        if data is not None and waiting.sends == 1:
            self._sample(server, loop.time() - start)
        return data

    async def _socket(self, server: tuple[str, int]) -> _UdpPort:
        pool = self._ports.get(server)
        if pool is None or len(pool) < SOCKETS_PER_SERVER:
            async with self._port_lock:
                pool = self._ports.setdefault(server, [])
                if len(pool) < SOCKETS_PER_SERVER:
                    loop = asyncio.get_running_loop()
                    transport, proto = await loop.create_datagram_endpoint(_UdpPort, remote_addr=server)
                    sock = transport.get_extra_info("socket")
                    if sock is not None:
                        try:
                            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
                        except (OSError, AttributeError, TypeError):
                            pass
                    pool.append(proto)
                    return proto
        return random.choice(pool)

    async def tcp(self, wire: bytes, server: tuple[str, int]) -> bytes:
        """One length-prefixed message over TCP and its answer (the caller bounds the time).
        Plain non-blocking socket calls: no stream reader/writer objects per connection."""
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_INET6 if ":" in server[0] else socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setblocking(False)
            await loop.sock_connect(sock, server)
            await loop.sock_sendall(sock, struct.pack("!H", len(wire)) + wire)
            size = struct.unpack("!H", await _recv_exactly(loop, sock, 2))[0]
            return await _recv_exactly(loop, sock, size)
        finally:
            sock.close()

    def close(self) -> None:
        for pool in self._ports.values():
            for p in pool:
                if p.transport is not None:
                    p.transport.close()
        self._ports.clear()


async def _recv_exactly(loop, sock: socket.socket, size: int) -> bytes:
    """`size` bytes from a connected socket; EOFError when the peer closes first."""
    buf = bytearray()
    while len(buf) < size:
        chunk = await loop.sock_recv(sock, size - len(buf))
        if not chunk:
            raise EOFError(f"connection closed after {len(buf)} of {size} bytes")
        buf += chunk
    return bytes(buf)


def _status(msg: w.Msg) -> str:
    rc = msg.rcode
    if rc == 3:
        return NXDOMAIN
    if rc == 2:
        return SERVFAIL
    if rc == 5:
        return REFUSED
    if rc != 0:
        return ERROR
    return OK if msg.answer else NODATA
