"""Which authentication methods an SSH server offers (is password login possible?).

Primary: nmap's vetted `ssh-auth-methods` script (it stops at the "none" userauth request
and lists the methods). Fallback without nmap: the OpenSSH client with no key, no agent and
no password prompt, reading its "Permission denied (publickey,password)." line. Neither
tries a password; both are time-bounded and run without a shell.
"""

from __future__ import annotations

import asyncio
import re
import shutil

from ...checks.mfa import ssh_methods
from ...names import normalise_target
from . import EngineError, nmap_engine

USER = "cyberaudit"
_DENIED = re.compile(r"Permission denied \(([a-z0-9@.,\-]{1,300})\)")


async def _ssh_client(address: str, port: int, timeout: float) -> list[str] | None:
    path = shutil.which("ssh")
    if not path:
        raise EngineError("neither nmap nor the ssh client is installed")
    address = normalise_target(address)
    argv = [path, "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "PreferredAuthentications=publickey", "-o", "IdentitiesOnly=yes", "-o", "IdentityFile=none",
            "-o", "IdentityAgent=none", "-o", f"ConnectTimeout={max(1, int(timeout))}", "-o", "LogLevel=ERROR",
            "-p", str(int(port)), "-l", USER, "--", address, "true"]
    proc = await asyncio.create_subprocess_exec(
        *argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        _, err = await asyncio.wait_for(proc.communicate(), timeout + 2)
    except TimeoutError:
        raise EngineError("ssh client timed out") from None
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    m = _DENIED.search(err[-4096:].decode("utf-8", "replace"))
    return sorted(set(m.group(1).split(","))) if m else None


async def auth_methods(address: str, port: int = 22, *, timeout: float = 10.0,
                       engine: str | None = None) -> tuple[list[str] | None, str]:
    """(methods or None when unknown, engine used). Raises EngineError when nothing could run."""
    engine = engine or ("nmap" if nmap_engine.nmap_path() else "ssh")
    if engine == "nmap":
        out = await nmap_engine.script(address, port, "ssh-auth-methods", args=f"ssh.user={USER}",
                                       timeout=timeout)
        return ssh_methods(out), "nmap"
    return await _ssh_client(address, port, timeout), "ssh"
