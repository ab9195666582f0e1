"""A DNS relay on loopback that forwards to a lab knot but drops chosen questions (they time out).

    relay = DnsFilter(lab_address("dns2"), upstream=lab.address,
                      drop=lambda name, rdtype: rdtype == "MX").start()
    relay.address        # pass as --nameserver: everything else is knot's real answer
    relay.stop()

`rewrite(name, rdtype, message) -> message` may alter an answer before it is relayed (e.g. strip or
tamper with its DNSSEC records). UDP only (the scan's client asks over UDP; TCP is only used for
truncated answers). Loopback only.
"""

from __future__ import annotations

import socket
import threading

import dns.message
import dns.query
import dns.rdatatype


class DnsFilter:
    def __init__(self, address: str, upstream: str, drop=lambda name, rdtype: False, rewrite=None) -> None:
        self.address, self.upstream, self.drop, self.rewrite = address, upstream, drop, rewrite
        self.dropped: list[tuple[str, str]] = []
        self._sock: socket.socket | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> DnsFilter:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind((self.address, 53))
        self._sock.settimeout(0.2)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self._sock.recvfrom(65535)
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(data, peer), daemon=True).start()

    def _answer(self, data: bytes, peer) -> None:
        try:
            query = dns.message.from_wire(data)
            q = query.question[0]
            name, rdtype = q.name.to_text(omit_final_dot=True).lower(), dns.rdatatype.to_text(q.rdtype)
            if self.drop(name, rdtype):
                self.dropped.append((name, rdtype))
                return
            answer = dns.query.udp(query, self.upstream, timeout=2, ignore_trailing=True)
            if self.rewrite is not None:
                answer = self.rewrite(name, rdtype, answer)
            self._sock.sendto(answer.to_wire(max_size=65535), peer)
        except Exception:  # noqa: BLE001 - a relay in a test: drop what it cannot relay
            return

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
        if self._sock is not None:
            self._sock.close()
