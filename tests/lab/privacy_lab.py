"""The privacy lab: collectivité sites and third-party stand-ins on nginx, names in a real knot.

    lab = PrivacyLab(tmp_path, test_ca, ca_bundle).start()
    lab.net(...)        # a Net pointed at the lab's knot, trusting the lab CA
    lab.stop()

Sites (tests/lab/privacy_sites.py) live under `.lab` on one loopback address (one more for the HTTP-only
site); the vendors' stand-ins (tests/lab/privacy_vendors.py) on another, under their real host names,
each zone in knot with a wildcard to that address. Names outside these zones are refused by knot, so
the browser can reach nothing else.
"""

from __future__ import annotations

from pathlib import Path

from . import privacy_vendors as vendors
from .knot import KnotLab
from .nginx import NginxLab
from .privacy_sites import SITES
from .util import lab_address


def _free_dns_address() -> str:
    from .conftest import free_dns_address

    return free_dns_address("privacy")


class PrivacyLab:
    def __init__(self, workdir: Path, ca, ca_bundle: Path, sites: dict | None = None) -> None:
        self.workdir, self.ca, self.ca_bundle = Path(workdir), ca, ca_bundle
        self.sites = SITES if sites is None else sites
        self.knot = KnotLab(self.workdir / "knot", _free_dns_address())
        self.nginx = NginxLab(self.workdir / "nginx")
        self.site_address = lab_address("privacy")
        self.http_address = lab_address("privacy")
        self.vendor_address = lab_address("privacy")

    def names(self) -> list[str]:
        return [f"{s}.lab" for s in self.sites]

    def start(self) -> PrivacyLab:
        records = []
        tls_names = [f"{s}.lab" for s, spec in self.sites.items() if not spec.get("http_only")]
        leaf = self.ca.issue(tls_names).write(self.workdir / "sites-cert")
        for s, spec in self.sites.items():
            files = {p: self._content(c) for p, c in spec.get("files", {}).items()}
            if spec.get("http_only"):
                self.nginx.add_vhost(f"{s}.lab", self.http_address, root_files=files, extra=spec.get("extra", ""))
                records.append(f"{s} A {self.http_address}")
                continue
            self.nginx.add_vhost(f"{s}.lab", self.site_address, cert=leaf.fullchain, key=leaf.key,
                                 headers=spec.get("headers"), root_files=files, extra=spec.get("extra", ""))
            records.append(f"{s} A {self.site_address}")
        vend = self.ca.issue(vendors.HOSTS).write(self.workdir / "vendors-cert")
        self.nginx.add_vhost(vendors.HOSTS, self.vendor_address, cert=vend.fullchain, key=vend.key,
                             root_files=dict(vendors.FILES), extra=vendors.EXTRA, http_redirect=False)
        self.knot.add_zone("lab.", "\n".join(records))
        for zone in vendors.ZONES:
            self.knot.add_zone(f"{zone}.", f"@ A {self.vendor_address}\n* A {self.vendor_address}")
        self.knot.start()
        self.nginx.start()
        return self

    @staticmethod
    def _content(c):
        if isinstance(c, str) and c.startswith("@"):
            return getattr(vendors, c[1:])
        return c

    def net(self, **options):
        from cyberaudit.probes.net import Net

        return Net(nameserver=self.knot.address, port=53, ca_bundle=self.ca_bundle, timeout=2.0, retries=1,
                   options=options)

    def stop(self) -> None:
        self.nginx.stop()
        self.knot.stop()
