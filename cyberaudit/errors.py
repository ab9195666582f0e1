"""Exit codes and the error types that map to them.

Policy (documented in the README):
  0  everything ran; thresholds met
  1  ran, but --fail-under SCORE or --fail-on SEVERITY was not met
  2  bad usage or bad input file (the message names file, line and field)
  3  probes could not run at all (no network, every target unreachable, missing tool)
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    THRESHOLD = 1
    INPUT = 2
    PROBE = 3


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
