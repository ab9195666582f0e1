"""A small asyncio SMTP server for lab tests (loopback only), run in a background thread.

    from tests.lab.smtp_server import SmtpServer
    srv = SmtpServer(lab_address("smtp"), mode="starttls", cert=files.fullchain, key=files.key).start()
    ...                      # port 25 by default
    srv.stop()

Modes: "starttls" (EHLO offers STARTTLS, then a real TLS handshake with `cert`/`key`), "plain" (no
STARTTLS), "busy" (banner `421 too many connections`, then close), "silent" (accepts, never speaks).
`srv.connections` counts accepted connections (to check the probe's politeness).
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from pathlib import Path


class SmtpServer:
    def __init__(self, address: str, *, port: int = 25, mode: str = "starttls", cert: Path | None = None,
                 key: Path | None = None, hostname: str = "mail.lab") -> None:
        self.address, self.port, self.mode, self.hostname = address, port, mode, hostname
        self.ctx = None
        if mode == "starttls":
            self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.ctx.load_cert_chain(str(cert), str(key))
        self.connections = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._server = None

    def start(self) -> SmtpServer:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        if not self._ready.wait(10) or self._server is None:
            raise RuntimeError(f"SMTP lab server did not start on {self.address}:{self.port}")
        return self

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        try:
            self._server = self._loop.run_until_complete(
                asyncio.start_server(self._handle, self.address, self.port))
        finally:
            self._ready.set()
        self._loop.run_forever()

    def stop(self) -> None:
        if self._loop is None:
            return

        async def shutdown():
            self._server.close()
            await self._server.wait_closed()

        fut = asyncio.run_coroutine_threadsafe(shutdown(), self._loop)
        try:
            fut.result(5)
        except Exception:  # noqa: BLE001 - best effort at teardown
            pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            await self._session(reader, writer)
        except (ConnectionError, OSError, ssl.SSLError, asyncio.IncompleteReadError, TimeoutError):
            pass
        finally:
            writer.close()

    async def _session(self, reader, writer) -> None:
        if self.mode == "silent":
            await asyncio.sleep(3600)
        if self.mode == "busy":
            writer.write(b"421 4.7.0 mail.lab too many connections, try later\r\n")
            await writer.drain()
            return
        writer.write(f"220 {self.hostname} ESMTP lab\r\n".encode())
        tls = False
        while True:
            line = await asyncio.wait_for(reader.readline(), 30)
            if not line:
                return
            verb = line.decode(errors="replace").strip().split(" ")[0].upper()
            if verb in ("EHLO", "HELO"):
                caps = [self.hostname, "PIPELINING", "SIZE 10240000"]
                if self.mode == "starttls" and not tls:
                    caps.append("STARTTLS")
                caps.append("8BITMIME")
                reply = "".join(f"250-{c}\r\n" for c in caps[:-1]) + f"250 {caps[-1]}\r\n"
                writer.write(reply.encode())
            elif verb == "STARTTLS" and self.mode == "starttls" and not tls:
                writer.write(b"220 2.0.0 Ready to start TLS\r\n")
                await writer.drain()
                await writer.start_tls(self.ctx)
                tls = True
                continue
            elif verb == "QUIT":
                writer.write(b"221 2.0.0 Bye\r\n")
                await writer.drain()
                return
            else:
                writer.write(b"502 5.5.2 Error: command not recognized\r\n")
            await writer.drain()
