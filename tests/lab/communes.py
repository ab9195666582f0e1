"""Fifteen communes on loopback, for the IT provider's view of a scan (issue 21): one knot, one nginx and
two SMTP servers; each commune has its own mix of good and bad DNS, mail, TLS and web settings.

    with CommuneLab(tmp_path) as lab:
        lab.args()  # ["--nameserver", "127.121.x.1:53", "--ca-bundle", ".../ca.pem", "--trust-anchor", ...]
        lab.domains  # ["commune01.lab", ..., "commune15.lab"]

`python -m tests.lab.communes DIR` starts the lab and prints a scan command to try by hand (Ctrl-C stops).
"""

from __future__ import annotations

from pathlib import Path

from .knot import KnotLab
from .nginx import NginxLab
from .pki import TestCA, self_signed
from .smtp_server import SmtpServer
from .util import lab_address

HSTS = {"Strict-Transport-Security": "max-age=31536000; includeSubDomains"}
GOOD_HEADERS = {**HSTS, "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
                "Content-Security-Policy": "default-src 'self'", "Referrer-Policy": "no-referrer"}
MODERN = "ECDHE+AESGCM:ECDHE+CHACHA20"
PAGE = {"index.html": "<!doctype html><html lang=fr><title>Mairie</title><h1>Bonjour</h1></html>"}

# name: (mail zone lines, web kind). Web kinds: good, expired, selfsigned, tls10, nohsts, plain, none.
COMMUNES = {
    "commune01": ('@ TXT "v=spf1 mx -all"\n_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@commune01.lab"',
                  "good"),
    "commune02": ('@ TXT "v=spf1 +all"', "good"),
    "commune03": ('@ TXT "v=spf1 mx -all"\n_dmarc TXT "v=DMARC1; p=none"', "expired"),
    "commune04": ('@ TXT "v=spf1 mx ~all"\n_dmarc TXT "v=DMARC1; p=quarantine"', "selfsigned"),
    "commune05": ("", "plain"),
    "commune06": ('@ TXT "v=spf1 mx -all"\n_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@commune06.lab"',
                  "tls10"),
    "commune07": ('@ TXT "v=spf1 mx -all"\n_dmarc TXT "v=DMARC1; p=reject"', "nohsts"),
    "commune08": ('@ TXT "v=spf1 ?all"\n_dmarc TXT "v=DMARC1; p=none"', "none"),
    "commune09": ('@ TXT "v=spf1 mx -all"\n_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@commune09.lab"\n'
                  "vieux CNAME ancien-site.disparu.lab.", "good"),
    "commune10": ('@ TXT "v=spf1 include:a.lab include:b.lab include:c.lab include:d.lab include:e.lab '
                  'include:f.lab include:g.lab include:h.lab include:i.lab include:j.lab include:k.lab -all"',
                  "nohsts"),
    "commune11": ('@ TXT "v=spf1 mx -all"\n_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@commune11.lab"',
                  "expired"),
    "commune12": ('@ TXT "v=spf1 mx -all"\n_dmarc TXT "v=DMARC1; p=quarantine; rua=mailto:d@commune12.lab"',
                  "good"),
    "commune13": ('@ TXT "v=spf1 -all"', "plain"),
    "commune14": ('@ TXT "v=spf1 mx -all"\n_dmarc TXT "v=DMARC1; p=reject"', "selfsigned"),
    "commune15": ('@ TXT "v=spf1 mx -all"\n_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@commune15.lab"',
                  "good"),
}
SILENT_MX = ("commune05", "commune13")  # their MX has an address where nothing listens: STARTTLS untested


def free_address(*ports: int) -> str:
    """A fresh lab address on which `ports` (TCP, and UDP 53) are free now (a lab started by hand may hold some)."""
    import socket

    for _ in range(60):
        ip = lab_address("communes")
        socks = []
        try:
            for port in ports:
                tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                socks.append(tcp)
                tcp.bind((ip, port))
                if port == 53:
                    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    socks.append(udp)
                    udp.bind((ip, port))
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
        return ip
    raise RuntimeError("no free lab address for the communes")


class CommuneLab:
    def __init__(self, workdir: Path) -> None:
        self.workdir = Path(workdir)
        self.ca = TestCA("Communes")
        self.bundle = self.ca.write_bundle(self.workdir / "ca.pem")
        self.knot = KnotLab(self.workdir / "knot", free_address(53))
        self.nginx = NginxLab(self.workdir / "nginx")
        self.smtp: list[SmtpServer] = []
        self.domains = [f"{name}.lab" for name in COMMUNES]
        self._build()

    def _build(self) -> None:
        good_mx, old_mx = free_address(25), free_address(25)
        files = self.ca.issue(["mx.lab"]).write(self.workdir / "mx")
        self.smtp.append(SmtpServer(good_mx, cert=files.fullchain, key=files.key, hostname="mx.lab"))
        own = self_signed(["mx-ancien.lab"]).write(self.workdir / "mx-old")
        self.smtp.append(SmtpServer(old_mx, cert=own.fullchain, key=own.key, hostname="mx-ancien.lab"))
        nowhere = free_address(25)  # nothing listens here
        self.knot.add_zone("lab.", f"mx A {good_mx}\nmx-ancien A {old_mx}\nmx-muet A {nowhere}", signed=True)
        for i, (name, (mail, web)) in enumerate(COMMUNES.items()):
            domain = f"{name}.lab"
            mx = "mx-muet.lab." if name in SILENT_MX else ("mx-ancien.lab." if i % 4 == 3 else "mx.lab.")
            zone = [f"@ MX 10 {mx}", mail]
            if web != "none":
                address = free_address(80, 443)
                zone += [f"@ A {address}", f"www A {address}"]
                self._vhost(domain, address, web)
            self.knot.add_zone(f"{domain}.", "\n".join(zone), signed=i % 3 == 0)

    def _vhost(self, domain: str, address: str, web: str) -> None:
        names = [domain, f"www.{domain}"]
        if web == "plain":
            self.nginx.add_vhost(names, address, root_files=PAGE, http_redirect=False)
            return
        if web == "selfsigned":
            files = self_signed(names).write(self.workdir / domain)
        else:
            files = self.ca.issue(names, expired=web == "expired").write(self.workdir / domain)
        protocols = "TLSv1 TLSv1.2 TLSv1.3" if web == "tls10" else "TLSv1.2 TLSv1.3"
        ciphers = MODERN + ":AES128-SHA:@SECLEVEL=0" if web == "tls10" else MODERN
        headers = {} if web == "nohsts" else (HSTS if web in ("expired", "selfsigned") else GOOD_HEADERS)
        self.nginx.add_vhost(names, address, cert=files.fullchain, key=files.key, protocols=protocols,
                             ciphers=ciphers, headers=headers, root_files=PAGE)

    def start(self) -> CommuneLab:
        for srv in self.smtp:
            srv.start()
        self.knot.start()
        self.nginx.start()
        self.anchor = self.workdir / "anchor.txt"
        self.anchor.write_text(self.knot.trust_anchor())
        return self

    def stop(self) -> None:
        self.nginx.stop()
        self.knot.stop()
        for srv in self.smtp:
            srv.stop()

    def args(self) -> list[str]:
        return ["--nameserver", self.knot.nameserver, "--ca-bundle", str(self.bundle),
                "--trust-anchor", str(self.anchor)]

    def __enter__(self) -> CommuneLab:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


if __name__ == "__main__":  # pragma: no cover - manual use
    import sys
    import time

    with CommuneLab(Path(sys.argv[1])) as lab:
        print("python -m cyberaudit scan " + " ".join(lab.domains) + " " + " ".join(lab.args())
              + " --checks dns,mail,tls,web --timeout 2", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
