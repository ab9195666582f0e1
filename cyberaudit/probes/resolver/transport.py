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


class Transport:
    def __init__(self, net: Net) -> None:
        self.timeout = net.timeout
        self.attempts = max(1, net.retries + 1)
        self._ports: dict[tuple[str, int], list[_UdpPort]] = {}
        self._port_lock = asyncio.Lock()
        self._inflight = asyncio.Semaphore(int(net.options.get("dns_inflight", MAX_INFLIGHT)))
        self._rtt: dict[tuple[str, int], list[float]] = {}  # server -> [srtt, rttvar] (RFC 6298)
        self.queries = 0

    async def exchange(self, qname: str, qtype: int, server: tuple[str, int], *, rd: bool = True,
                        dnssec: bool = False) -> tuple[str, w.Msg | None, bytes]:
        self.queries += 1
        try:
            port = await self._socket(server)
        except OSError:
            return ERROR, None, b""
        qid = random.randrange(65536)
        while qid in port.pending:
            qid = random.randrange(65536)
        try:
            wire, question = w.encode_query(qid, qname, qtype, rd=rd, dnssec=dnssec)
        except w.WireError as exc:
            return ERROR, None, str(exc).encode()
        fut = asyncio.get_running_loop().create_future()
        port.pending[qid] = fut
        truncated = False
        try:
            async with self._inflight:
                data = await self._udp(port, server, fut, wire)
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
                fut = asyncio.get_running_loop().create_future()
                port.pending[qid] = fut
                data = await self._udp(port, server, fut, None, budget=self.timeout)
        except OSError:
            return ERROR, None, b""
        finally:
            port.pending.pop(qid, None)
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

    async def _udp(self, port: _UdpPort, server, fut: asyncio.Future, wire: bytes | None,
                   budget: float | None = None) -> bytes | None:
        """Send (and resend, same ID, with backoff) until an answer or `net.timeout` in total.

        A late answer to an earlier copy still counts. Returns None on timeout."""
        loop = asyncio.get_running_loop()
        rto = self._rto(server)
        budget = budget if budget is not None else self.timeout
        start = loop.time()
        sends = 0
        while True:
            if wire is not None and sends < self.attempts:
                port.transport.sendto(wire)
                sends += 1
            left = budget - (loop.time() - start)
            if left <= 0:
                return None
            wait = min(rto, left) if sends < self.attempts and wire is not None else left
            if await _wait(loop, fut, wait):
                if sends == 1:
                    self._sample(server, loop.time() - start)
                return fut.result()
            rto = min(self.timeout, rto * 2)

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


async def _wait(loop, fut: asyncio.Future, timeout: float) -> bool:
    """Wait for fut up to timeout without cancelling it (lighter than asyncio.wait)."""
    if fut.done():
        return True
    waiter = loop.create_future()

    def wake(_=None) -> None:
        if not waiter.done():
            waiter.set_result(None)

    timer = loop.call_later(timeout, wake)
    fut.add_done_callback(wake)
    try:
        await waiter
    finally:
        timer.cancel()
        fut.remove_done_callback(wake)
    return fut.done()


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
