"""A real Knot DNS server for lab tests (loopback only).

    from tests.lab.knot import KnotLab
    from tests.lab.util import lab_address

    lab = KnotLab(tmp_path / "knot", lab_address("dns"))
    lab.add_zone("lab.", "", signed=True)                     # the lab's top zone
    lab.add_zone("ville.lab.", '''
        @    MX 10 mail
        mail A 127.0.0.1
        @    TXT "v=spf1 mx -all"
    ''', signed=True)
    lab.start()                    # knotd on <address>:53, own config/db/rundir under workdir
    lab.nameserver                 # "127.53.0.1:53" -> `cyberaudit scan --nameserver`
    lab.trust_anchor()             # DNSKEY (SEP) lines of the top signed zone
    lab.add_zone("autre.lab.", "...")  # then lab.reload()
    lab.stop()

API (stable; other helpers import it):

* `KnotLab(workdir, address, *, extra_addresses=())`: knotd listens on every address, port 53
  (e.g. a second name server on another /24: `address.replace("127.53.", "127.153.")`).
* `add_zone(name, text="", *, signed=False, algorithm="ecdsap256sha256", rrsig_lifetime=None,
  publish_ds=True, allow_axfr=False, nsec3=False)`: zone-file text relative to the zone origin (`$ORIGIN` and `$TTL 300` are added).
  When the text has no SOA, a SOA is added; when it has no NS at the apex, `@ NS ns1` with
  `ns1 A <address>` is added. `signed=True` lets knot sign the zone itself (automatic policy, NSEC);
  once started, the DS of every signed zone whose parent zone is also in the lab is added to the
  parent (unless `publish_ds=False`), so the chain parent DS -> child DNSKEY exists.
  `allow_axfr=True` lets anyone transfer the zone (an open AXFR to detect). `nsec3=True` signs with NSEC3
  (knot's defaults) instead of NSEC.
  Calling `add_zone` again with the same name replaces the zone (then `reload()`).
* `add_broken_zone(name)`: a configured zone whose file does not load: knot answers SERVFAIL.
* `start()`, `reload()`, `stop()`; `nameserver` ("IP:53"); `address`.
* `trust_anchor(zone=None)`: text of the DNSKEY records with the SEP flag of `zone` (default: the
  shortest signed zone of the lab). The scan accepts it as `Net.options["trust_anchor"]`
  (zone-file lines of DNSKEY or DS records) so DNSSEC validation is anchored in the lab.
* `query(name, rdtype, *, dnssec=False, tcp=False)`: a dnspython message from the lab (for asserts).

Fixtures (tests/lab/conftest.py): `knot_lab(**kwargs)` builds labs in tmp_path on a lab address whose
port 53 is free, and stops them; `blackhole()` gives an address where DNS never answers (timeouts);
`lab_scan(lab, *domains, families=("dns", "mail"), timeout=1.0, **net_options)` runs the real scan
pipeline against the lab (trust anchor set when a zone is signed) -> {domain: {check id: Finding}}.
"""

from __future__ import annotations

import subprocess
import textwrap
import time
from pathlib import Path

import dns.dnssec
import dns.message
import dns.name
import dns.query
import dns.rdatatype
import dns.rrset

from .util import require_binary, stop, write

_SOA = "@ SOA ns1 hostmaster {serial} 3600 900 1209600 300\n"


class KnotLab:
    """One knotd process serving the zones of a test, on loopback."""

    def __init__(self, workdir: Path, address: str, *, extra_addresses: tuple[str, ...] = ()) -> None:
        self.knotd = require_binary("knotd", package="knot")
        self.knotc = require_binary("knotc", package="knot")
        self.workdir = Path(workdir)
        self.address = address
        self.addresses = (address, *extra_addresses)
        self.zones: dict[str, dict] = {}
        self.proc: subprocess.Popen | None = None
        self._serial = int(time.time()) % 1_000_000_000
        self._ds: dict[str, list[str]] = {}  # parent zone -> DS lines of its signed children

    # ------------------------------------------------------------------ zones
    @property
    def nameserver(self) -> str:
        return f"{self.address}:53"

    def add_zone(self, name: str, text: str = "", *, signed: bool = False, algorithm: str = "ecdsap256sha256",
                 rrsig_lifetime: str | None = None, publish_ds: bool = True, allow_axfr: bool = False,
                 nsec3: bool = False) -> None:
        origin = _fqdn(name)
        self.zones[origin] = {"text": textwrap.dedent(text), "signed": signed, "algorithm": algorithm,
                              "lifetime": rrsig_lifetime, "publish_ds": publish_ds, "broken": False,
                              "axfr": allow_axfr, "nsec3": nsec3}

    def add_broken_zone(self, name: str) -> None:
        self.zones[_fqdn(name)] = {"text": "this is not a zone file {\n", "signed": False, "broken": True,
                                   "publish_ds": False}

    def _zone_file(self, origin: str) -> str:
        z = self.zones[origin]
        if z["broken"]:
            return z["text"]
        self._serial += 1
        body = z["text"]
        head = f"$ORIGIN {origin}\n$TTL 300\n"
        lines = [ln.split(";", 1)[0].split() for ln in body.splitlines()]
        if not any("SOA" in [w.upper() for w in ln] for ln in lines):
            head += _SOA.format(serial=self._serial)
            z["serial"] = self._serial
        if not any(ln and ln[0] == "@" and "NS" in [w.upper() for w in ln] for ln in lines):
            head += f"@ NS ns1\nns1 A {self.address}\n"
        extra = "".join(line + "\n" for line in self._ds.get(origin, []))
        return head + body + "\n" + extra

    def _config(self) -> str:
        w = self.workdir
        listen = "".join(f"    listen: {a}@53\n" for a in self.addresses)
        policies = []
        zones = []
        for origin in sorted(self.zones):
            z = self.zones[origin]
            zones.append(f"  - domain: {origin}\n    file: {w / 'zones' / (origin + 'zone')}\n")
            if z.get("axfr"):
                zones[-1] += "    acl: open_axfr\n"
            if z["signed"]:
                pid = f"p{len(policies)}"
                pol = f"  - id: {pid}\n    algorithm: {z['algorithm']}\n    nsec3: {'on' if z.get('nsec3') else 'off'}\n"
                if z["lifetime"]:
                    half = max(1, _seconds(z["lifetime"]) // 2)
                    pol += f"    rrsig-lifetime: {z['lifetime']}\n    rrsig-refresh: {half}\n"
                policies.append(pol)
                zones[-1] += f"    dnssec-signing: on\n    dnssec-policy: {pid}\n"
        return (
            f"server:\n    rundir: {w / 'run'}\n{listen}    udp-workers: 2\n    tcp-workers: 2\n"
            f"    background-workers: 1\n"
            f"database:\n    storage: {w / 'db'}\n"
            f"log:\n  - target: {w / 'knotd.log'}\n    any: info\n"
            + "acl:\n  - id: open_axfr\n    address: 0.0.0.0/0\n    action: transfer\n"
            + ("policy:\n" + "".join(policies) if policies else "")
            + "template:\n  - id: default\n    zonefile-sync: -1\n    zonefile-load: whole\n"
            "    journal-content: none\n    semantic-checks: off\n"
            "zone:\n" + "".join(zones)
        )

    def _write_all(self) -> None:
        for origin in self.zones:
            write(self.workdir / "zones" / (origin + "zone"), self._zone_file(origin))
        write(self.workdir / "knot.conf", self._config())

    # --------------------------------------------------------------- process
    def start(self, timeout: float = 20.0) -> KnotLab:
        (self.workdir / "run").mkdir(parents=True, exist_ok=True)
        (self.workdir / "db").mkdir(parents=True, exist_ok=True)
        self._write_all()
        self.proc = subprocess.Popen([self.knotd, "-c", str(self.workdir / "knot.conf")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait_ready(timeout)
        if self._publish_ds():
            self._write_all()
            self._knotc("reload")
            self._wait_ready(timeout)
        return self

    def reload(self, timeout: float = 20.0) -> None:
        """Apply zones added or replaced since start (new DS included)."""
        self._write_all()
        self._knotc("reload")
        self._wait_ready(timeout)
        if self._publish_ds():
            self._write_all()
            self._knotc("reload")
            self._wait_ready(timeout)

    def stop(self) -> None:
        stop(self.proc)
        self.proc = None

    def _knotc(self, *args: str) -> None:
        subprocess.run([self.knotc, "-c", str(self.workdir / "knot.conf"), "-t", "10", *args],
                       check=True, capture_output=True, timeout=30)

    # --------------------------------------------------------------- helpers
    def query(self, name: str, rdtype: str, *, dnssec: bool = False, tcp: bool = False,
              timeout: float = 2.0) -> dns.message.Message:
        q = dns.message.make_query(_fqdn(name), rdtype, want_dnssec=dnssec, use_edns=0, payload=1232)
        if tcp:
            return dns.query.tcp(q, self.address, timeout=timeout)
        return dns.query.udp(q, self.address, timeout=timeout, ignore_trailing=True)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = {o for o, z in self.zones.items() if not z["broken"]}
        while pending:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"knotd exited; see {self.workdir / 'knotd.log'}")
            for origin in sorted(pending):
                if self._zone_ready(origin):
                    pending.discard(origin)
            if pending and time.monotonic() > deadline:
                raise TimeoutError(f"knot did not serve {sorted(pending)}; see {self.workdir / 'knotd.log'}")
            if pending:
                time.sleep(0.05)

    def _zone_ready(self, origin: str) -> bool:
        z = self.zones[origin]
        try:
            msg = self.query(origin, "SOA", dnssec=z["signed"], timeout=0.5)
        except Exception:
            return False
        soa = [r for r in msg.answer if r.rdtype == dns.rdatatype.SOA]
        if not soa or msg.rcode() != 0:
            return False
        serial = soa[0][0].serial
        if z.get("serial") is not None and serial < z["serial"]:
            return False
        if z["signed"] and not any(r.rdtype == dns.rdatatype.RRSIG for r in msg.answer):
            return False
        expected = self._ds.get(origin)
        if expected:
            for child in {ln.split()[0] for ln in expected}:
                try:
                    ds = self.query(child, "DS", timeout=0.5)
                except Exception:
                    return False
                if not any(r.rdtype == dns.rdatatype.DS for r in ds.answer):
                    return False
        return True

    def _ksk(self, origin: str) -> list:
        msg = self.query(origin, "DNSKEY", tcp=True)
        keys = [r for r in msg.answer if r.rdtype == dns.rdatatype.DNSKEY]
        return [k for k in (keys[0] if keys else []) if k.flags & 1]

    def _publish_ds(self) -> bool:
        """Put each signed child's DS into its lab parent. True when a parent changed."""
        wanted: dict[str, list[str]] = {}
        for origin, z in self.zones.items():
            if not z["signed"] or not z["publish_ds"]:
                continue
            parent = self._parent(origin)
            if parent is None:
                continue
            for key in self._ksk(origin):
                ds = dns.dnssec.make_ds(origin, key, "SHA256")
                wanted.setdefault(parent, []).append(f"{origin} 300 IN DS {ds.to_text()}")
        wanted = {p: sorted(v) for p, v in wanted.items()}
        changed = wanted != self._ds
        self._ds = wanted
        return changed

    def _parent(self, origin: str) -> str | None:
        name = dns.name.from_text(origin)
        while len(name) > 1:
            name = name.parent()
            if name.to_text() in self.zones:
                return name.to_text()
        return None

    def trust_anchor(self, zone: str | None = None) -> str:
        if zone is None:
            signed = [o for o, z in self.zones.items() if z["signed"]]
            zone = min(signed, key=lambda o: (len(dns.name.from_text(o)), o))
        return "".join(f"{_fqdn(zone)} 300 IN DNSKEY {k.to_text()}\n" for k in self._ksk(_fqdn(zone)))

    def __enter__(self) -> KnotLab:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _seconds(value: str) -> int:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    value = value.strip()
    if value[-1] in units:
        return int(value[:-1]) * units[value[-1]]
    return int(value)


def _fqdn(name: str) -> str:
    return name if name.endswith(".") else name + "."


def add_member_zones(lab: KnotLab, members: int, policy) -> KnotLab:
    """The territory labs' member zones: commune<i>.lab with an MX, SPF `mx -all` and DMARC `p=policy(i)`."""
    lab.add_zone("lab.", "")
    for i in range(members):
        lab.add_zone(f"commune{i}.lab.", f"""
            @    MX 10 mail
            mail A 127.0.0.1
            @    TXT "v=spf1 mx -all"
            _dmarc TXT "v=DMARC1; p={policy(i)}"
        """)
    return lab

