"""The browser's only way out: a loopback HTTP proxy that resolves names through the scan's resolver.

Chromium is started with `--proxy-server=http://127.0.0.1:<port>` (also for loopback) and
`--host-resolver-rules="MAP * ~NOTFOUND"`, so it never resolves a name itself: every connection it
makes is a CONNECT (https) or an absolute-form request (http) to this proxy, which resolves the host
with `--nameserver` (dnspython, like every probe) and connects to the first address. Host resolver
rules alone could not do it: they are fixed at launch, while third-party names appear at run time.

Every upstream connection is logged (`log`: host, port, address), so a test can assert that nothing
left 127.0.0.0/8. Bounded: connect timeout, idle timeout on each tunnel, a cap on open tunnels.
"""

from __future__ import annotations

import asyncio
import contextlib
import re

from ..tlsscan.resolve import addresses, is_ip

MAX_HEAD = 32768
IDLE = 20.0
MAX_TUNNELS = 256
_REQUEST = re.compile(rb"^([A-Z]+) (\S+) HTTP/1\.[01]$")


class Proxy:
    def __init__(self, resolver, timeout: float, host: str = "127.0.0.1", verify=None, *, deny: bool = False) -> None:
        """`verify`: an SSLContext (system store + --ca-bundle) when the browser itself ignores
        certificate errors; each (host, port) is then verified here once, and refused when it fails.
        `deny`: connect nowhere, answer 403 and log the host (the browser's own background traffic)."""
        self.deny = deny
        self.resolver, self.timeout, self.host, self.verify = resolver, timeout, host, verify
        self.checked: dict[tuple[str, int], asyncio.Task] = {}
        self.port = 0
        self.log: list[dict] = []
        self.server: asyncio.base_events.Server | None = None
        self.slots = asyncio.Semaphore(MAX_TUNNELS)
        self.cache: dict[str, asyncio.Task] = {}
        self.clients: set[asyncio.Task] = set()

    async def start(self) -> Proxy:
        self.server = await asyncio.start_server(self._client, self.host, 0, limit=MAX_HEAD)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
        tasks = [*self.cache.values(), *self.checked.values(), *self.clients]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _resolve(self, host: str) -> list[str]:
        if is_ip(host):
            return [host]
        task = self.cache.get(host)
        if task is None:  # one lookup per name for the whole run (many pages share the trackers)
            task = self.cache[host] = asyncio.ensure_future(addresses(self.resolver, host, self.timeout))
        addrs, error = await task
        if error and self.cache.get(host) is task:
            del self.cache[host]  # a failed lookup (timeout...) is tried again by the next request
        return addrs

    async def _open(self, host: str, port: int, *, tls: bool = False):
        addrs = await self._resolve(host)
        if not addrs:
            self.log.append({"host": host, "port": port, "address": None})
            return None
        entry = {"host": host, "port": port, "address": addrs[0]}
        self.log.append(entry)
        if tls and self.verify is not None:
            key = (host, port)
            if key not in self.checked:
                self.checked[key] = asyncio.ensure_future(self._verify(addrs[0], host, port))
            task = self.checked[key]
            error = await task
            if error:
                if self.checked.get(key) is task:
                    del self.checked[key]  # not remembered: it may have been a timeout
                entry["tls_error"] = error
                return None
        return await asyncio.wait_for(asyncio.open_connection(addrs[0], port), self.timeout)

    async def _verify(self, address: str, host: str, port: int) -> str | None:
        """None when the server's certificate verifies for `host` with the scan's trust store."""
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(
                address, port, ssl=self.verify, server_hostname=None if is_ip(host) else host), self.timeout * 2)
        except Exception as exc:  # noqa: BLE001 - any failure means "not verified"
            return f"{type(exc).__name__}: {exc}"[:200]
        writer.close()
        return None

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self.clients.add(task)
        try:
            async with self.slots:
                await self._serve(reader, writer)
        except (OSError, TimeoutError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:
            pass  # the proxy is closing: end quietly (asyncio's stream callback would log a cancelled task)
        finally:
            self.clients.discard(task)
            writer.close()

    async def _serve(self, reader, writer) -> None:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), self.timeout)
        first, _, rest = head.partition(b"\r\n")
        m = _REQUEST.match(first)
        if not m:
            return
        method, target = m.group(1), m.group(2).decode("ascii", "replace")
        if self.deny:
            self.log.append({"host": target[:200], "port": None, "address": None, "denied": True})
            writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        if method == b"CONNECT":
            host, _, port = target.rpartition(":")
            upstream = await self._open(host.strip("[]").lower(), int(port), tls=True)
            if upstream is None:
                writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await self._pipe(reader, writer, *upstream)
            return
        # http://host[:port]/path: one request per connection (the browser may reuse a proxy
        # connection for another host, so it is closed after the answer)
        m2 = re.match(r"^http://([^/:]+|\[[^\]]+\])(?::(\d+))?(/.*)?$", target)
        if not m2:
            return
        host, port, path = m2.group(1).strip("[]").lower(), int(m2.group(2) or 80), m2.group(3) or "/"
        upstream = await self._open(host, port)
        if upstream is None:
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        lines = [ln for ln in rest.split(b"\r\n") if ln and not ln.lower().startswith((b"proxy-", b"connection:"))]
        request = b"\r\n".join([method + b" " + path.encode() + b" HTTP/1.1", *lines, b"Connection: close"])
        up_reader, up_writer = upstream
        up_writer.write(request + b"\r\n\r\n")
        await self._pipe(reader, writer, up_reader, up_writer, once=True)

    async def _pipe(self, reader, writer, up_reader, up_writer, *, once: bool = False) -> None:
        """Copy both ways until both ends are done; `once`: until the server has answered."""
        async def copy(src, dst) -> None:
            try:
                while True:
                    data = await asyncio.wait_for(src.read(65536), IDLE)
                    if not data:
                        break
                    dst.write(data)
                    await asyncio.wait_for(dst.drain(), IDLE)
            except (OSError, TimeoutError):
                pass
            finally:
                with contextlib.suppress(OSError, RuntimeError):
                    if dst.can_write_eof():
                        dst.write_eof()

        up = asyncio.ensure_future(copy(reader, up_writer))
        try:
            await copy(up_reader, writer)
            if not once:
                await up
        finally:
            up.cancel()
            up_writer.close()
