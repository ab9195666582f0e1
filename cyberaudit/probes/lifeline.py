"""Worker processes never outlive the scan that started them.

    in the worker:  bind_to_parent(parent_pid)   # own process group; dies (with nmap/ssh) when the parent dies
    in the parent:  end_workers(procs)           # on any exit path: SIGTERM the groups, SIGKILL what is left

A worker leads its own process group, so everything it starts (nmap, ssh) is ended with it; the kernel
sends it SIGTERM when the parent dies (Linux PR_SET_PDEATHSIG), and a watchdog thread covers the other
systems and the race where the parent is already gone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time

PR_SET_PDEATHSIG = 1


def _end_my_group(signum=None, frame=None) -> None:
    if os.getpgrp() == os.getpid():  # never the caller's group (a shell pipeline)
        with contextlib.suppress(OSError):
            os.killpg(0, signal.SIGKILL)
    os._exit(128 + (signum or signal.SIGKILL))


def _pdeathsig() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _watch(parent_pid: int) -> None:
    while True:
        if os.getppid() != parent_pid:
            _end_my_group()
        time.sleep(0.5)


def bind_to_parent(parent_pid: int) -> None:
    """Called first thing in a forked worker."""
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None:
            signal.signal(signum, _end_my_group)
    _pdeathsig()
    if os.getppid() != parent_pid:  # the parent died before the lifeline was in place
        _end_my_group()
    threading.Thread(target=_watch, args=(parent_pid,), daemon=True, name="lifeline").start()


def end_workers(procs, grace: float = 1.0) -> None:
    """End every worker that is still running, and its process group, within about `grace` seconds."""
    alive = [p for p in procs if p.pid is not None and p.exitcode is None]
    for p in alive:
        with contextlib.suppress(OSError):
            os.killpg(p.pid, signal.SIGTERM)
        with contextlib.suppress(OSError, AttributeError):
            p.terminate()
    deadline = time.monotonic() + grace
    for p in alive:
        p.join(max(0.0, deadline - time.monotonic()))
    for p in alive:
        if p.exitcode is None:
            with contextlib.suppress(OSError):
                os.killpg(p.pid, signal.SIGKILL)
            with contextlib.suppress(OSError, AttributeError):
                p.kill()
            p.join(1.0)
