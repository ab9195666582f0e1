"""A real `openssl ocsp` responder for lab tests, answering for the lab CA's intermediate.

    responder = OcspResponder(tmp_path / "ocsp", ca, [(good_cert, False), (revoked_cert, True)]).start()
    responder.url_for("ocsp.lab")      # "http://ocsp.lab:<port>/" (ocsp.lab must resolve to a loopback address)
    responder.stop()

`openssl ocsp -port` takes a port only: the responder listens on that port of every local address; tests
only ever reach it through loopback.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from pathlib import Path

from cryptography import x509

from .util import free_port, require_binary, stop


def _dn(name: x509.Name) -> str:
    return "".join(f"/{a.rfc4514_attribute_name}={a.value}" for a in name)


class OcspResponder:
    def __init__(self, workdir: Path, ca, entries: list[tuple[x509.Certificate, bool]]) -> None:
        self.openssl = require_binary("openssl")
        self.workdir = Path(workdir)
        self.ca, self.entries = ca, entries
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def _index(self) -> str:
        now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)
        lines = []
        for cert, revoked in self.entries:
            expiry = cert.not_valid_after_utc.strftime("%y%m%d%H%M%SZ")
            rev = now.strftime("%y%m%d%H%M%SZ") + ",keyCompromise" if revoked else ""
            lines.append("\t".join(["R" if revoked else "V", expiry, rev, f"{cert.serial_number:X}", "unknown",
                                    _dn(cert.subject)]))
        return "\n".join(lines) + "\n"

    def start(self) -> OcspResponder:
        self.workdir.mkdir(parents=True, exist_ok=True)
        (self.workdir / "index.txt").write_text(self._index())
        (self.workdir / "index.txt.attr").write_text("unique_subject = no\n")
        cert, key = self.ca.write_intermediate(self.workdir)
        self.proc = subprocess.Popen(
            [self.openssl, "ocsp", "-index", str(self.workdir / "index.txt"), "-port", str(self.port),
             "-rsigner", str(cert), "-rkey", str(key), "-CA", str(cert), "-nmin", "60", "-ignore_err",
             "-timeout", "5"],
            stdout=subprocess.DEVNULL, stderr=open(self.workdir / "ocsp.log", "wb"))  # noqa: SIM115
        # no probe connection: the responder serves one client at a time and would wait on an idle one
        deadline = time.monotonic() + 10
        while b"waiting for OCSP client" not in (self.workdir / "ocsp.log").read_bytes():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"openssl ocsp did not start; see {self.workdir / 'ocsp.log'}")
            time.sleep(0.05)
        return self

    def url_for(self, host: str) -> str:
        return f"http://{host}:{self.port}/"

    def stop(self) -> None:
        stop(self.proc)
        self.proc = None
