"""SSH password authentication detection against a real local sshd (own host key, own config)."""

from __future__ import annotations

import asyncio
import os
import subprocess

import pytest

from cyberaudit.model import Status
from cyberaudit.probes import Target
from cyberaudit.probes.net import Net
from cyberaudit.probes.pipeline import probe as run_probe
from cyberaudit.probes.portscan import ssh_auth

from .util import lab_address, require_binary, stop, wait_port, write

pytestmark = pytest.mark.lab
AUTH = "M. Blanc (DGS), 2026-11-19"


@pytest.fixture
def sshd(tmp_path):
    """Factory: sshd(password=True|False, kbd=False) -> address of a running sshd on port 22."""
    binary = require_binary("sshd", package="openssh-server")
    keygen = require_binary("ssh-keygen", package="openssh-client")
    if os.geteuid() != 0:
        pytest.skip("sshd on port 22 with privilege separation needs root")
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege-separation directory
    procs = []

    def start(password: bool, kbd: bool = False) -> str:
        address = lab_address("ssh")
        folder = tmp_path / f"sshd{len(procs)}"
        folder.mkdir()
        key = folder / "host_ed25519"
        subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        cfg = write(folder / "sshd_config", "\n".join([
            "Port 22", f"ListenAddress {address}", f"HostKey {key}", f"PidFile {folder / 'sshd.pid'}",
            f"PasswordAuthentication {'yes' if password else 'no'}",
            f"KbdInteractiveAuthentication {'yes' if kbd else 'no'}",
            "UsePAM no", "PubkeyAuthentication yes", "AuthorizedKeysFile none", "StrictModes no",
            "LogLevel ERROR", ""]))
        proc = subprocess.Popen([binary, "-D", "-e", "-f", str(cfg)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        procs.append(proc)
        wait_port(address, 22, proc=proc)
        return address

    yield start
    for proc in procs:
        stop(proc)


def scan(address: str, **options) -> dict:
    target = Target(name=address, kind="host", scope=frozenset({"mfa"}), authorization=AUTH)
    return {f.id: f for f in asyncio.run(run_probe("mfa", target, Net(timeout=3.0, options=options)))}


@pytest.mark.parametrize("engine", ["nmap", "ssh"])
def test_password_login_is_a_failure(sshd, engine):
    require_binary("nmap" if engine == "nmap" else "ssh", package="nmap" if engine == "nmap" else "openssh-client")
    fs = scan(sshd(password=True), ssh_engine=engine)
    f = fs["mfa.surface.ssh_password"]
    assert f.status is Status.FAIL and "password" in f.evidence["methods"]
    assert f.evidence["engine"] == engine and f.evidence["url"].startswith("ssh://")
    assert f.evidence["authorization"] == AUTH


@pytest.mark.parametrize("engine", ["nmap", "ssh"])
def test_keys_only_passes(sshd, engine):
    require_binary("nmap" if engine == "nmap" else "ssh", package="nmap" if engine == "nmap" else "openssh-client")
    fs = scan(sshd(password=False), ssh_engine=engine)
    f = fs["mfa.surface.ssh_password"]
    assert f.status is Status.PASS and f.evidence["methods"] == ["publickey"]
    assert fs["mfa.surface.none"].status is Status.PASS


def test_keyboard_interactive_only_is_a_warning(sshd):
    require_binary("nmap", package="nmap")
    fs = scan(sshd(password=False, kbd=True), ssh_engine="nmap")
    f = fs["mfa.surface.ssh_password"]
    assert f.status is Status.WARN and "keyboard-interactive" in f.evidence["methods"]


def test_methods_helper_direct(sshd):
    require_binary("nmap", package="nmap")
    address = sshd(password=True)
    methods, engine = asyncio.run(ssh_auth.auth_methods(address, 22, timeout=5))
    assert engine == "nmap" and methods == ["password", "publickey"]


def test_non_ssh_service_on_22_is_an_error_not_a_verdict():
    from .test_ports_listeners import Listeners

    require_binary("nmap", package="nmap")
    with Listeners(lab_address("ssh")) as ls:
        ls.open(22, banner=b"\x1b[2Jnot ssh\r\n")
        fs = scan(ls.address, ssh_engine="nmap")
    assert fs["mfa.surface.ssh_password"].status is Status.ERROR
