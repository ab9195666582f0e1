"""The one output path of the tool: every byte printed arrives, or the run fails loudly.

A blocking `write()` on a pipe may return a partial count (a signal arrives while the
reader is slow, an event loop left the descriptor non-blocking, ...). Python's unbuffered
text streams (PYTHONUNBUFFERED=1, common in CI images) ignore that count and drop the rest.
`install()` puts every standard stream on `FullWriter`, which writes until done, waits
when the descriptor is non-blocking and raises on a real error; Rich, `print`,
`sys.stdout.write` and `sys.stdout.buffer.write` all go through it.
"""

from __future__ import annotations

import errno
import io
import os
import select
import sys


class FullWriter(io.RawIOBase):
    """A raw stream over a file descriptor whose `write` writes every byte or raises."""

    def __init__(self, fd: int):
        super().__init__()
        self._fd = fd

    def fileno(self) -> int:
        return self._fd

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        total = 0
        while total < len(view):
            try:
                n = os.write(self._fd, view[total:])
            except BlockingIOError:  # the descriptor was left non-blocking: wait until it drains
                select.select([], [self._fd], [])
                continue
            except InterruptedError:
                continue
            if n == 0:
                raise OSError(errno.EIO, "write returned 0")
            total += n
        return total

    def close(self) -> None:  # the descriptor belongs to the process, not to this object
        super().close()


def _wrap(stream, fd: int):
    encoding = getattr(stream, "encoding", None) or "utf-8"
    errors = getattr(stream, "errors", None) or "strict"
    line_buffering = bool(getattr(stream, "line_buffering", False))
    raw = FullWriter(fd)
    # keep the stream's buffering: unbuffered (PYTHONUNBUFFERED=1) stays unbuffered
    buffered = io.BufferedWriter(raw, 64 * 1024) if isinstance(getattr(stream, "buffer", None), io.BufferedWriter) \
        else raw
    return io.TextIOWrapper(buffered, encoding=encoding, errors=errors, line_buffering=line_buffering,
                            write_through=bool(getattr(stream, "write_through", False)))


def _on_full_writer(stream) -> bool:
    buffer = getattr(stream, "buffer", None)
    return isinstance(buffer, FullWriter) or isinstance(getattr(buffer, "raw", None), FullWriter)


def install() -> None:
    """Put sys.stdout and sys.stderr on FullWriter (same encoding, errors and line buffering)."""
    for name, fd in (("stdout", 1), ("stderr", 2)):
        stream = getattr(sys, name)
        if stream is None or _on_full_writer(stream):
            continue
        try:
            if stream.fileno() != fd:
                continue
        except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
            continue  # not a real descriptor (a test's capture): leave it alone
        try:
            stream.flush()
        except OSError:
            pass
        setattr(sys, name, _wrap(stream, fd))


def write_out(data: str | bytes) -> None:
    """Print data (text or bytes) on stdout, whole, and flush it."""
    if isinstance(data, str):
        sys.stdout.write(data)
    else:
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            sys.stdout.write(data.decode("utf-8"))
        else:
            buffer.write(data)
    sys.stdout.flush()
