"""Key-exchange parameters read from the ServerKeyExchange of real nginx vhosts: a 1024-bit DH group,
a composite modulus, a non-safe prime (RFC 5114), a standard ffdhe2048 group, and ECDHE/TLS 1.3 groups."""

from __future__ import annotations

import base64
import random
import subprocess

import pytest

from cyberaudit.probes import Target
from cyberaudit.probes.net import Net
from cyberaudit.probes.pipeline import scan

from .knot import KnotLab
from .nginx import NginxLab
from .pki import TestCA
from .util import lab_address, require_binary

DHE = "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:@SECLEVEL=0"


def _der_len(n: int) -> bytes:
    if n < 128:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def _der_int(n: int) -> bytes:
    b = n.to_bytes(n.bit_length() // 8 + 1, "big")
    return b"\x02" + _der_len(len(b)) + b


def dh_pem(p: int, g: int) -> str:
    """PKCS#3 DHParameter (SEQUENCE { prime, base }) as PEM, for moduli openssl would never generate."""
    body = _der_int(p) + _der_int(g)
    der = b"\x30" + _der_len(len(body)) + body
    return "-----BEGIN DH PARAMETERS-----\n" + base64.encodebytes(der).decode() + "-----END DH PARAMETERS-----\n"


def _openssl(command: str, *args: str, out) -> None:
    subprocess.run([require_binary("openssl"), command, "-out", str(out), *args], check=True, capture_output=True,
                   timeout=120)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("kexlab")
    ca = TestCA()
    bundle = ca.write_bundle(tmp / "ca.pem")
    _openssl("dhparam", "1024", out=tmp / "dh1024.pem")
    _openssl("genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048", out=tmp / "ffdhe2048.pem")
    _openssl("genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:dh_2048_256", out=tmp / "rfc5114.pem")
    rng = random.Random(16)
    composite = (rng.getrandbits(1024) | (1 << 1023) | 1) * (rng.getrandbits(1024) | (1 << 1023) | 1)
    (tmp / "composite.pem").write_text(dh_pem(composite, 2))
    nginx = NginxLab(tmp / "nginx")
    zone, addresses = [], {}
    for name, params in (("dh1024", "dh1024.pem"), ("composite", "composite.pem"), ("rfc5114", "rfc5114.pem"),
                         ("ffdhe", "ffdhe2048.pem"), ("ecdhe", None)):
        addr = addresses[name] = lab_address("tls")
        files = ca.issue([f"{name}.lab"], key="rsa").write(tmp / name)
        if params:
            nginx.add_vhost(f"{name}.lab", addr, cert=files.fullchain, key=files.key, protocols="TLSv1.2",
                            ciphers=DHE, extra=f"        ssl_dhparam {tmp / params};")
        else:
            nginx.add_vhost(f"{name}.lab", addr, cert=files.fullchain, key=files.key,
                            ciphers="ECDHE+AESGCM:ECDHE+CHACHA20")
        zone.append(f"{name} A {addr}")
    knot = KnotLab(tmp / "knot", lab_address("tls"))
    knot.add_zone("lab.", "\n".join(zone))
    try:
        knot.start()
        nginx.start()
        net = Net(nameserver=knot.address, port=53, ca_bundle=bundle, timeout=2.0, deadline=60)
        targets = [Target(f"{n}.lab", "host", frozenset({"tls"})) for n in addresses]
        yield {f.target: f for f in scan(targets, ["tls"], net).findings() if f.id == "tls.kex.params"}
    finally:
        nginx.stop()
        knot.stop()


def test_1024_bit_dh_group_is_weak(lab):
    f = lab["dh1024.lab"]
    assert f.status.value == "fail", f.evidence
    assert f.evidence["dhe"]["bits"] == 1024 and f.evidence["dhe"]["safe_prime"] is True
    assert "1024" in f.detail.en and "under 2048" in f.detail.en
    assert f.evidence["dhe"]["suite"].startswith("TLS_DHE_RSA_")


def test_composite_modulus_fails(lab):
    f = lab["composite.lab"]
    assert f.status.value == "fail" and f.evidence["dhe"]["prime"] is False
    assert "composite modulus" in f.detail.en and f.evidence["dhe"]["bits"] >= 2047


def test_non_safe_prime_fails_with_its_group_named(lab):
    f = lab["rfc5114.lab"]
    assert f.status.value == "fail" and f.evidence["dhe"]["safe_prime"] is False
    assert f.evidence["dhe"]["group"] == "RFC 5114 2048-bit/256" and "safe prime" in f.detail.en


def test_standard_ffdhe_group_passes(lab):
    f = lab["ffdhe.lab"]
    assert f.status.value == "pass", f.detail
    assert f.evidence["dhe"]["group"] == "ffdhe2048" and "ffdhe2048" in f.detail.en


def test_ecdhe_and_tls13_groups_are_reported(lab):
    f = lab["ecdhe.lab"]
    assert f.status.value == "pass"
    assert f.evidence["ecdhe"]["group"] in ("x25519", "secp256r1") and f.evidence["tls13"]["group"] == "x25519"
    assert "dhe" not in f.evidence  # no DHE suite offered: nothing to judge there
