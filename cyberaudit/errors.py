"""Exit codes and the error types that map to them.

Policy (documented in the README):
  0  everything ran; thresholds met
  1  ran, but --fail-under SCORE or --fail-on SEVERITY was not met
  2  bad usage or bad input file (the message names file, line and field)
  3  probes could not run at all (no network, every target unreachable, missing tool)
  4  a file or the output could not be written (disk full, read-only, no permission)
 70  internal error (a bug: the message asks to report it)
130  interrupted (Ctrl-C); 129 / 143 stopped by SIGHUP / SIGTERM (128 + signal number)
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    THRESHOLD = 1
    INPUT = 2
    PROBE = 3
    WRITE = 4
    INTERNAL = 70
    INTERRUPTED = 130


class CyberauditError(Exception):
    """Base of every error meant for a user (never shown as a traceback)."""

    exit_code: ExitCode = ExitCode.INPUT

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(CyberauditError):
    """A bad argument or input file. `file`, `line` (1-based) and `field` locate it."""

    exit_code = ExitCode.INPUT

    def __init__(self, message: str, file: str | None = None, line: int | None = None,
                 field: str | None = None):
        self.file = file
        self.line = line
        self.field = field
        where = ""
        if file:
            where = str(file)
            if line:
                where += f":{line}"
            if field:
                where += f" [{field}]"
            where += ": "
        elif field:
            where = f"[{field}] "
        super().__init__(where + message)
        self.bare_message = message


class ProbeError(CyberauditError):
    """Probes could not run at all (exit 3)."""

    exit_code = ExitCode.PROBE


class ThresholdError(CyberauditError):
    """Ran fine, but a --fail-on / --fail-under threshold was not met (exit 1)."""

    exit_code = ExitCode.THRESHOLD


class WorkspaceLocked(CyberauditError):
    exit_code = ExitCode.INPUT


class WriteError(CyberauditError):
    """A file or the standard output could not be written (exit 4): what, where, how much space."""

    exit_code = ExitCode.WRITE


class Stopped(BaseException):
    """SIGTERM or SIGHUP: unwind (locks released, temp files removed), exit 128 + signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


# errno values that mean "the user's disk or rights", not a bug
WRITE_ERRNOS = frozenset({28, 122, 27, 30, 13, 1, 5})  # ENOSPC EDQUOT EFBIG EROFS EACCES EPERM EIO


def write_error(exc: OSError, path: object | None = None) -> WriteError:
    """A WriteError for an OSError met while writing `path` (None: the standard output)."""
    import errno
    import os
    import shutil

    from .i18n import t

    where = str(path) if path is not None else (exc.filename or None)
    what = os.strerror(exc.errno) if exc.errno else str(exc)
    space = ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) and where:
        folder = os.path.dirname(os.path.abspath(where)) or "/"
        try:
            free = shutil.disk_usage(folder).free
            space = t(f" ; espace libre sur {folder} : {free // 1024} Kio",
                      f"; free space on {folder}: {free // 1024} KiB")
        except OSError:
            pass
    if where:
        return WriteError(t(f"impossible d'écrire {where} : {what}{space}",
                            f"could not write {where}: {what}{space}"))
    return WriteError(t(f"impossible d'écrire la sortie standard : {what}",
                        f"could not write the standard output: {what}"))
