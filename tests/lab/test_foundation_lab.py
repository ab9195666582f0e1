"""The foundation's lab: knot serves a DNSSEC-signed zone, nginx a TLS vhost with a test CA,
and the Net settings every probe honours (--nameserver, --ca-bundle) reach them."""

from __future__ import annotations

import asyncio
import socket
import ssl

import dns.dnssec
import dns.name
import dns.rdatatype

from cyberaudit.probes.net import Net, parse_nameserver

from .conftest import free_dns_address
from .knot import KnotLab
from .nginx import NginxLab
from .pki import TestCA
from .util import lab_address


def test_signed_zone_resolves_and_tls_handshake_completes(tmp_path):
    web = lab_address("tls")
    ca = TestCA("Foundation")
    files = ca.issue(["www.mairie.lab", "mairie.lab"]).write(tmp_path / "cert")
    bundle = ca.write_bundle(tmp_path / "ca.pem")

    knot = KnotLab(tmp_path / "knot", free_dns_address())
    knot.add_zone("lab.", "", signed=True)
    knot.add_zone("mairie.lab.", f"@ A {web}\nwww A {web}\n", signed=True)
    nginx = NginxLab(tmp_path / "nginx")
    nginx.add_vhost(["www.mairie.lab", "mairie.lab"], web, cert=files.cert, key=files.key, chain=files.chain)
    with knot, nginx:  # __enter__ starts each server once, with its zones and vhosts

        ns, port = parse_nameserver(knot.nameserver)
        net = Net(nameserver=ns, port=port, ca_bundle=bundle, timeout=3.0)

        # 1. The one DNS client every probe uses talks to knot, and the answer is signed.
        async def ask():
            from cyberaudit.probes.resolver.client import client_for

            client = client_for(net)
            try:
                return await client.query("www.mairie.lab", "A")
            finally:
                client.close()

        answer = asyncio.run(ask())
        assert [r.address for r in answer.records] == [web]
        msg = knot.query("www.mairie.lab.", "A", dnssec=True)
        rrset = msg.find_rrset(msg.answer, dns.name.from_text("www.mairie.lab."), dns.rdataclass.IN,
                               dns.rdatatype.A)
        rrsig = msg.find_rrset(msg.answer, dns.name.from_text("www.mairie.lab."), dns.rdataclass.IN,
                               dns.rdatatype.RRSIG, dns.rdatatype.A)
        keys = knot.query("mairie.lab.", "DNSKEY", dnssec=True)
        dnskey = keys.find_rrset(keys.answer, dns.name.from_text("mairie.lab."), dns.rdataclass.IN,
                                 dns.rdatatype.DNSKEY)
        dns.dnssec.validate(rrset, rrsig, {dns.name.from_text("mairie.lab."): dnskey})  # raises if bogus

        # 2. A verified TLS handshake with SNI, trusting the test CA only through --ca-bundle.
        with socket.create_connection((web, 443), timeout=3) as raw, \
                net.ssl_context().wrap_socket(raw, server_hostname="www.mairie.lab") as tls:
            assert tls.version() in ("TLSv1.2", "TLSv1.3")
            sans = [v for k, v in tls.getpeercert()["subjectAltName"] if k == "DNS"]
            assert "www.mairie.lab" in sans

        # 3. Without the bundle the same handshake is refused: the option really matters.
        plain = Net(nameserver=ns, port=port, timeout=3.0)
        with socket.create_connection((web, 443), timeout=3) as raw:
            try:
                plain.ssl_context().wrap_socket(raw, server_hostname="www.mairie.lab")
            except ssl.SSLCertVerificationError:
                pass
            else:
                raise AssertionError("handshake verified without the test CA")
