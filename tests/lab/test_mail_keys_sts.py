"""MX, DKIM, MTA-STS (real HTTPS server with a test CA) and TLS-RPT against a real knot."""

from __future__ import annotations

import base64
import http.server
import secrets
import ssl
import threading

import pytest
import trustme
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from cyberaudit.probes.pipeline import probe as run_probe

from .conftest import free_dns_address


def _dkim(bits: int | None) -> str:
    if bits is None:
        raw = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return f"v=DKIM1; k=ed25519; p={base64.b64encode(raw).decode()}"
    if bits < 1024:  # cryptography refuses to generate it; a public modulus of that size is enough here
        key = rsa.RSAPublicNumbers(65537, secrets.randbits(bits) | (1 << (bits - 1)) | 1).public_key()
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=bits).public_key()
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    b64 = base64.b64encode(der).decode()
    chunks = " ".join(f'"{b64[i:i + 200]}"' for i in range(0, len(b64), 200))
    return f'"v=DKIM1; k=rsa; p=" {chunks}'


def test_mx_and_dkim_key_sizes(knot_lab, lab_scan):
    lab = knot_lab()
    lab.add_zone("lab.", "")
    lab.add_zone("fort.lab.", f'@ MX 10 mx\nmx A 192.0.2.1\ns1._domainkey TXT {_dkim(2048)}\n'
                 f'perso._domainkey TXT "{_dkim(None)}"\n')
    lab.add_zone("moyen.lab.", f"@ MX 10 mx\nmx A 192.0.2.1\nselector1._domainkey TXT {_dkim(1024)}\n")
    lab.add_zone("faible.lab.", f"@ MX 10 mx\nmx AAAA 2001:db8::1\ngoogle._domainkey TXT {_dkim(512)}\n")
    lab.add_zone("sansmx.lab.", '@ TXT "v=spf1 mx ~all"\n')
    lab.add_zone("mxcasse.lab.", "@ MX 10 nulle-part.mxcasse.lab.\n")
    lab.start()
    res = lab_scan(lab, "fort.lab", "moyen.lab", "faible.lab", "sansmx.lab", "mxcasse.lab", families=("mail",))
    assert res["fort.lab"]["mail.dkim.present"].status.value == "pass"  # "perso" is not a common selector
    fort = res["fort.lab"]["mail.dkim.present"].evidence["selectors"]
    assert fort == {"s1": {"type": "rsa", "bits": 2048, "revoked": False, "error": None, "sha1_only": False}}
    assert res["moyen.lab"]["mail.dkim.present"].status.value == "warn"
    assert res["faible.lab"]["mail.dkim.present"].status.value == "fail"
    assert res["fort.lab"]["mail.mx.present"].status.value == "pass"
    assert res["faible.lab"]["mail.mx.present"].status.value == "pass"  # IPv6-only MX resolves
    assert res["sansmx.lab"]["mail.mx.present"].status.value == "warn"
    assert "spf" in res["sansmx.lab"]["mail.mx.present"].detail.en.lower()
    assert res["mxcasse.lab"]["mail.mx.present"].status.value == "fail"


def test_workspace_dkim_selectors_are_queried(knot_lab):
    import asyncio

    from cyberaudit.probes import Target
    from cyberaudit.probes.net import Net

    lab = knot_lab()
    lab.add_zone("lab.", "")
    lab.add_zone("fort.lab.", f'@ MX 10 mx\nmx A 192.0.2.1\nperso._domainkey TXT "{_dkim(None)}"\n')
    lab.start()
    target = Target("fort.lab", "domain", frozenset({"dns"}), dkim_selectors=("perso",))
    found = {f.id: f for f in asyncio.run(run_probe("mail", target, Net(nameserver=lab.address, timeout=1)))}
    dk = found["mail.dkim.present"]
    assert dk.status.value == "pass" and dk.evidence["selectors"]["perso"]["type"] == "ed25519"


@pytest.fixture
def https_lab(tmp_path):
    """Factory: serve {path: body} over HTTPS on a lab address for `host`; returns (ip, ca_file)."""
    servers = []
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))

    def make(host: str, body: str, *, trusted: bool = True) -> str:
        ip = free_dns_address()
        issuer = ca if trusted else trustme.CA()
        cert = issuer.issue_cert(host)
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(ctx)

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                data = body.encode() if self.path == "/.well-known/mta-sts.txt" else b""
                self.send_response(200 if data else 404)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        srv = http.server.ThreadingHTTPServer((ip, 443), Handler)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return ip

    make.ca_file = ca_file
    yield make
    for s in servers:
        s.shutdown()
        s.server_close()


def test_mta_sts_policy_over_verified_https_and_tls_rpt(knot_lab, lab_scan, https_lab):
    good = https_lab("mta-sts.sts.lab", "version: STSv1\nmode: enforce\nmx: *.sts.lab\nmax_age: 604800\n")
    partial = https_lab("mta-sts.partiel.lab", "version: STSv1\nmode: enforce\nmx: mx1.partiel.lab\nmax_age: 86400\n")
    testing = https_lab("mta-sts.essai.lab", "version: STSv1\nmode: testing\nmx: mx.essai.lab\nmax_age: 86400\n")
    rogue = https_lab("mta-sts.faux.lab", "version: STSv1\nmode: enforce\nmx: mx.faux.lab\nmax_age: 86400\n",
                      trusted=False)
    lab = knot_lab()
    lab.add_zone("lab.", "")
    common = '_mta-sts TXT "v=STSv1; id=20240101"\n'
    lab.add_zone("sts.lab.", f"@ MX 10 mx1\nmx1 A 192.0.2.1\nmta-sts A {good}\n{common}"
                 '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@sts.lab"\n')
    lab.add_zone("partiel.lab.", f"@ MX 10 mx1\n@ MX 20 mx2\nmx1 A 192.0.2.1\nmx2 A 192.0.2.2\n"
                 f"mta-sts A {partial}\n{common}_smtp._tls TXT \"v=TLSRPTv1; rua=ftp://x\"\n")
    lab.add_zone("essai.lab.", f"@ MX 10 mx\nmx A 192.0.2.1\nmta-sts A {testing}\n{common}")
    lab.add_zone("faux.lab.", f"@ MX 10 mx\nmx A 192.0.2.1\nmta-sts A {rogue}\n{common}")
    lab.start()
    res = lab_scan(lab, "sts.lab", "partiel.lab", "essai.lab", "faux.lab", families=("mail",),
                   ca_bundle=https_lab.ca_file)
    sts = res["sts.lab"]["mail.mta_sts.policy"]
    assert sts.status.value == "pass" and sts.evidence["policy"]["max_age"] == 604800
    part = res["partiel.lab"]["mail.mta_sts.policy"]
    assert part.status.value == "fail" and part.evidence["uncovered"] == ["mx2.partiel.lab"]
    assert res["essai.lab"]["mail.mta_sts.policy"].status.value == "warn"
    faux = res["faux.lab"]["mail.mta_sts.policy"]
    assert faux.status.value == "fail" and faux.evidence["fetch"] == "tls"
    assert res["sts.lab"]["mail.tls_rpt.present"].status.value == "pass"
    assert res["partiel.lab"]["mail.tls_rpt.present"].status.value == "fail"
    assert res["essai.lab"]["mail.tls_rpt.present"].status.value == "warn"
    # without --ca-bundle the lab CA is unknown: the policy cannot be trusted
    res = lab_scan(lab, "sts.lab", families=("mail",))
    assert res["sts.lab"]["mail.mta_sts.policy"].evidence["fetch"] == "tls"
