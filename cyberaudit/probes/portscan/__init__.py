"""Port-scan engines: nmap (python-nmap) and a built-in asyncio TCP connect scanner.

Both return the same shape, `{address: {"timed_out": bool, "ports": [{"port", "protocol",
"state", "service"}]}}`, so `checks/ports.py` judges them alike and the evidence only
differs by the `engine` name.
"""

from __future__ import annotations


class EngineError(Exception):
    """The engine could not run (binary missing, crashed, unparsable output, time bound hit)."""
