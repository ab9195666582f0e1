"""A real nginx for lab tests (loopback only), with many virtual hosts in one process.

    from tests.lab.nginx import NginxLab
    from tests.lab.pki import TestCA
    from tests.lab.util import lab_address

    ca = TestCA()
    lab = NginxLab(tmp_path / "nginx")
    files = ca.issue(["ville.lab", "www.ville.lab"]).write(tmp_path / "ville")
    lab.add_vhost(["ville.lab", "www.ville.lab"], lab_address("tls"), cert=files.fullchain, key=files.key,
                  headers={"Strict-Transport-Security": "max-age=31536000"},
                  root_files={"index.html": "<h1>Bonjour</h1>"})
    lab.add_vhost("plain.lab", lab_address("tls"))          # no cert: HTTP only (port 80)
    lab.start()                                             # waits until every port answers
    ...
    lab.stop()

API (stable; other helpers import it):

* `NginxLab(workdir, *, workers=1)`: one nginx master (`daemon off`), its own pid, temp and log paths
  under `workdir`; never touches /etc/nginx or /var/log/nginx.
* `add_vhost(server_name, address, *, cert=None, key=None, chain=None, protocols="TLSv1.2 TLSv1.3",
  ciphers=None, headers=None, http_redirect=True, root_files=None, extra="", http_port=80, https_port=443,
  plain_on_https=False, http=True)` -> `Vhost`.
  `server_name`: a name or a list. `cert`: PEM file (leaf, or leaf + chain; `chain` PEM is appended).
  Without `cert`, the vhost serves HTTP only. `http_redirect=True` makes port 80 answer `301` to
  `https://$host$request_uri`; False serves the files on port 80 too. `headers`: added with `always` on
  the HTTPS side (and the HTTP side when it serves content). `ciphers`: an OpenSSL cipher string; for TLS 1.0/1.1
  or weak suites with OpenSSL 3 end it with `:@SECLEVEL=0`. `root_files`: {relative path: text or bytes}.
  `extra`: raw nginx directives inserted in every server block of the vhost (e.g. a `location` with
  `return 302 ...` or `add_header Set-Cookie ...`). `plain_on_https=True`: port 443 talks plain HTTP.
  Several vhosts may share an address: the first one added there is the default server (SNI fallback).
* `start()`, `reload()` (after more `add_vhost`), `stop()`; `vhosts`; `error_log` (path).
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .util import require_binary, stop, wait_port

_HEAD = """\
daemon off;
master_process on;
{user}
worker_processes {workers};
pid {pid};
error_log {errlog} warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    default_type text/html;
    server_tokens off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    ssl_session_cache off;
    keepalive_timeout 5;
    server_names_hash_bucket_size 128;
    server_names_hash_max_size 8192;
"""


@dataclass
class Vhost:
    names: list[str]
    address: str
    cert: Path | None = None
    key: Path | None = None
    protocols: str = "TLSv1.2 TLSv1.3"
    ciphers: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    http_redirect: bool = True
    root: Path | None = None
    extra: str = ""
    http_port: int = 80
    https_port: int = 443
    plain_on_https: bool = False
    http: bool = True

    @property
    def name(self) -> str:
        return self.names[0]


def _is_open(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.2).close()
    except OSError:
        return False
    return True


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class NginxLab:
    """One nginx process serving many loopback virtual hosts."""

    def __init__(self, workdir: Path, *, workers: int = 1) -> None:
        self.nginx = require_binary("nginx")
        self.workdir = Path(workdir)
        self.workers = workers
        self.vhosts: list[Vhost] = []
        self.proc: subprocess.Popen | None = None
        self.error_log = self.workdir / "error.log"
        self._defaults: set[tuple[str, int]] = set()

    # ------------------------------------------------------------------ config
    def add_vhost(self, server_name: str | list[str], address: str, *, cert: Path | None = None,
                  key: Path | None = None, chain: Path | None = None, protocols: str = "TLSv1.2 TLSv1.3",
                  ciphers: str | None = None, headers: dict[str, str] | None = None, http_redirect: bool = True,
                  root_files: dict[str, str | bytes] | None = None, extra: str = "", http_port: int = 80,
                  https_port: int = 443, plain_on_https: bool = False, http: bool = True) -> Vhost:
        names = [server_name] if isinstance(server_name, str) else list(server_name)
        index = len(self.vhosts)
        root = self.workdir / "www" / f"v{index}"
        root.mkdir(parents=True, exist_ok=True)
        for rel, content in {"index.html": "<!doctype html><title>lab</title><p>lab</p>\n",
                             **(root_files or {})}.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
        if cert is not None and chain is not None:
            merged = self.workdir / "certs" / f"v{index}.pem"
            merged.parent.mkdir(parents=True, exist_ok=True)
            merged.write_bytes(Path(cert).read_bytes() + Path(chain).read_bytes())
            cert = merged
        vhost = Vhost(names, address, Path(cert) if cert else None, Path(key) if key else None, protocols, ciphers,
                      dict(headers or {}), http_redirect, root, extra, http_port, https_port, plain_on_https, http)
        self.vhosts.append(vhost)
        return vhost

    def _server(self, v: Vhost, port: int, tls: bool) -> str:
        default = ""
        if (v.address, port) not in self._defaults:
            self._defaults.add((v.address, port))
            default = " default_server"
        lines = [f"    server {{\n        listen {v.address}:{port}{' ssl' if tls else ''}{default};",
                 f"        server_name {' '.join(v.names)};", f"        root {v.root};"]
        serves = tls or v.plain_on_https or not v.http_redirect or v.cert is None
        if tls:
            lines += [f"        ssl_certificate {v.cert};", f"        ssl_certificate_key {v.key};",
                      f"        ssl_protocols {v.protocols};"]
            if v.ciphers:
                lines.append(f"        ssl_ciphers {_quote(v.ciphers)};")
        if serves:
            lines += [f"        add_header {_quote(k)} {_quote(val)} always;" for k, val in v.headers.items()]
            if v.extra:
                lines.append(v.extra)
            lines.append("        location / { try_files $uri $uri/ =404; }")
        else:
            lines.append("        location / { return 301 https://$host$request_uri; }")
        lines.append("    }")
        return "\n".join(lines)

    def config(self) -> str:
        self._defaults.clear()
        tmp = self.workdir / "tmp"
        # As root, nginx workers would drop to `nobody`, who cannot read pytest's 0700 tmp dirs.
        user = "user root root;" if os.geteuid() == 0 else ""
        parts = [_HEAD.format(user=user, workers=self.workers, pid=self.workdir / "nginx.pid", errlog=self.error_log, tmp=tmp)]
        for v in self.vhosts:
            if v.cert is not None and not v.plain_on_https:
                parts.append(self._server(v, v.https_port, True))
            elif v.plain_on_https:
                parts.append(self._server(v, v.https_port, False))
            if v.http:
                parts.append(self._server(v, v.http_port, False))
        parts.append("}\n")
        return "\n".join(parts)

    def _write(self) -> Path:
        for sub in ("tmp", "logs"):
            (self.workdir / sub).mkdir(parents=True, exist_ok=True)
        conf = self.workdir / "nginx.conf"
        conf.write_text(self.config())
        return conf

    def _cmd(self, *extra: str) -> list[str]:
        return [self.nginx, "-p", str(self.workdir), "-c", str(self.workdir / "nginx.conf"),
                "-e", str(self.error_log), *extra]

    def _ports(self) -> set[tuple[str, int]]:
        ports = set()
        for v in self.vhosts:
            if v.cert is not None or v.plain_on_https:
                ports.add((v.address, v.https_port))
            if v.http:
                ports.add((v.address, v.http_port))
        return ports

    # ------------------------------------------------------------------ lifecycle
    def start(self, timeout: float = 15.0) -> NginxLab:
        self._write()
        busy = [f"{h}:{p}" for h, p in sorted(self._ports()) if _is_open(h, p)]
        if busy:
            raise RuntimeError(f"already in use (a stale server?): {', '.join(busy)}")
        test = subprocess.run(self._cmd("-t", "-q"), capture_output=True, timeout=60)
        if test.returncode != 0:
            raise RuntimeError(f"nginx config rejected: {test.stderr.decode(errors='replace')[-2000:]}")
        self.proc = subprocess.Popen(self._cmd(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._wait(timeout)
        return self

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for host, port in sorted(self._ports()):
            try:
                wait_port(host, port, max(0.5, deadline - time.monotonic()), self.proc)
            except (RuntimeError, TimeoutError) as exc:
                err = self.error_log.read_text(errors="replace")[-2000:] if self.error_log.exists() else ""
                self.stop()
                raise RuntimeError(f"nginx did not start ({exc}): {err}") from None
        self._check_alive()

    def _check_alive(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            err = self.error_log.read_text(errors="replace")[-2000:] if self.error_log.exists() else ""
            raise RuntimeError(f"nginx exited: {err}")

    def reload(self, timeout: float = 15.0) -> None:
        """Apply vhosts added after start() (SIGHUP to the master), then wait for the new ports."""
        if self.proc is None:
            self.start(timeout)
            return
        self._write()
        res = subprocess.run(self._cmd("-s", "reload"), capture_output=True, timeout=30)
        if res.returncode != 0:
            raise RuntimeError(f"nginx reload failed: {res.stderr.decode(errors='replace')[-2000:]}")
        time.sleep(0.2)
        self._wait(timeout)

    def stop(self) -> None:
        stop(self.proc)
        if self.proc is not None and self.proc.stderr:
            self.proc.stderr.close()
        self.proc = None

    def __enter__(self) -> NginxLab:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
