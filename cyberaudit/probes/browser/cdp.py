"""A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe` (no port, no dependency).

Chromium reads commands on its fd 3 and writes answers and events on its fd 4, one JSON message per
NUL-terminated frame. No TCP port is opened (another local user could not drive the browser), and no
package is needed: asyncio and the standard library only.

    browser = await Browser.launch("/usr/bin/chromium", ["--headless", ...])
    ctx = (await browser.send("Target.createBrowserContext"))["browserContextId"]
    session = await browser.attach(target_id)     # a Session: send(method, params), on(event, fn)
    await browser.close()
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import signal
from collections.abc import Callable

MAX_MESSAGE = 64 * 1024 * 1024  # a frame larger than this is a broken browser


class CDPError(Exception):
    pass


def _high(fd: int) -> int:
    """A close-on-exec copy of `fd` numbered >= 10 (so dup2 onto 3 and 4 never clobbers it)."""
    new = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return new


class Session:
    """One attached target (flattened session): commands and events carry its sessionId."""

    def __init__(self, browser: Browser, session_id: str | None) -> None:
        self.browser, self.id = browser, session_id
        self.handlers: dict[str, list[Callable[[dict], None]]] = {}

    def on(self, event: str, fn: Callable[[dict], None]) -> None:
        self.handlers.setdefault(event, []).append(fn)

    async def send(self, method: str, params: dict | None = None, timeout: float = 10.0) -> dict:
        return await self.browser.send(method, params, session=self.id, timeout=timeout)

    def post(self, method: str, params: dict | None = None) -> None:
        """Send without waiting for the answer (from an event handler)."""
        self.browser.post(method, params, session=self.id)


class Browser:
    def __init__(self, pid: int, reader: asyncio.StreamReader, write_fd: int) -> None:
        self.pid, self.reader, self.write_fd = pid, reader, write_fd
        self.next_id = 0
        self.pending: dict[int, asyncio.Future] = {}
        self.sessions: dict[str | None, Session] = {}
        self.root = Session(self, None)
        self.sessions[None] = self.root
        self.closed = False
        self.reader_task = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def launch(cls, exe: str, args: list[str], env: dict[str, str] | None = None) -> Browser:
        to_child_r, to_child_w = (_high(fd) for fd in os.pipe())
        from_child_r, from_child_w = (_high(fd) for fd in os.pipe())
        actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
                   (os.POSIX_SPAWN_DUP2, to_child_r, 3), (os.POSIX_SPAWN_DUP2, from_child_w, 4)]
        try:
            pid = os.posix_spawn(exe, [exe, *args, "--remote-debugging-pipe"], env or dict(os.environ),
                                 file_actions=actions, setsid=True)
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(limit=MAX_MESSAGE)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(from_child_r, "rb", 0))
        os.set_blocking(to_child_w, False)
        return cls(pid, reader, to_child_w)

    async def _read(self) -> None:
        try:
            while True:
                frame = await self.reader.readuntil(b"\0")
                try:
                    msg = json.loads(frame[:-1])
                except ValueError:
                    continue
                self._dispatch(msg)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, OSError):
            pass
        finally:
            self.closed = True
            for fut in self.pending.values():
                if not fut.done():
                    fut.set_exception(CDPError("browser closed"))
            self.pending.clear()

    def _dispatch(self, msg: dict) -> None:
        if "id" in msg:
            fut = self.pending.pop(msg["id"], None)
            if fut is not None and not fut.done():
                if "error" in msg:
                    fut.set_exception(CDPError(str(msg["error"].get("message", "error"))[:200]))
                else:
                    fut.set_result(msg.get("result") or {})
            return
        session = self.sessions.get(msg.get("sessionId"))
        if session is None:
            return
        for fn in session.handlers.get(msg.get("method", ""), ()):
            try:
                fn(msg.get("params") or {})
            except Exception:  # noqa: BLE001 - a handler bug must not stop the reader
                continue

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                n = os.write(self.write_fd, view)
            except BlockingIOError:
                # the pipe is full (rare: commands are small); fall back to a short blocking write
                os.set_blocking(self.write_fd, True)
                try:
                    n = os.write(self.write_fd, view)
                finally:
                    os.set_blocking(self.write_fd, False)
            view = view[n:]

    def post(self, method: str, params: dict | None = None, session: str | None = None) -> asyncio.Future:
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        if self.closed:
            fut.set_exception(CDPError("browser closed"))
            return fut
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.pending[self.next_id] = fut
        try:
            self._write(json.dumps(msg).encode() + b"\0")
        except OSError as exc:
            self.pending.pop(self.next_id, None)
            fut.set_exception(CDPError(f"browser pipe: {exc}"))
        fut.add_done_callback(lambda f: f.cancelled() or f.exception())  # never "exception never retrieved"
        return fut

    async def send(self, method: str, params: dict | None = None, *, session: str | None = None,
                   timeout: float = 10.0) -> dict:
        fut = self.post(method, params, session)
        try:
            return await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            raise CDPError(f"{method}: no answer in {timeout:g}s") from None

    async def attach(self, target_id: str) -> Session:
        res = await self.send("Target.attachToTarget", {"targetId": target_id, "flatten": True})
        session = Session(self, res["sessionId"])
        self.sessions[session.id] = session
        return session

    def detach(self, session: Session) -> None:
        self.sessions.pop(session.id, None)

    async def close(self) -> None:
        if not self.closed:
            with contextlib.suppress(CDPError, OSError):
                await self.send("Browser.close", timeout=3)
        with contextlib.suppress(OSError):
            os.close(self.write_fd)
        self.reader_task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.reader_task
        await asyncio.get_running_loop().run_in_executor(None, self._reap)

    def _reap(self) -> None:
        """Wait for the browser; kill its whole process group (renderers, zygote) if it lingers."""
        import time

        end = time.monotonic() + 3
        while time.monotonic() < end:
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    break
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
