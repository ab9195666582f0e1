"""The TLS lab itself: test PKI and nginx vhosts behave as their API says."""

from __future__ import annotations

import socket
import ssl
import warnings

import pytest
from cryptography import x509

from .fixtures_tls import *  # noqa: F403  (pytest fixtures)
from .pki import TestCA, many_sans, self_signed
from .util import lab_address


def _handshake(address: str, name: str, bundle=None, *, verify=True, version=None, ciphers=None):
    ctx = ssl.create_default_context(cafile=str(bundle) if bundle else None)
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if version:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = ctx.maximum_version = version
    if ciphers:
        ctx.set_ciphers(ciphers)
    with socket.create_connection((address, 443), timeout=5) as raw, ctx.wrap_socket(raw, server_hostname=name) as tls:
        return tls.version(), tls.cipher()[0], tls.getpeercert(binary_form=True)


def test_pki_options(test_ca):
    leaf = test_ca.issue(["a.lab"], expires_in_days=5, key="rsa", key_size=2048)
    left = leaf.cert.not_valid_after_utc - leaf.cert.not_valid_before_utc
    assert 34 <= left.days <= 36
    assert leaf.cert.issuer == test_ca.intermediate.subject
    assert leaf.key.key_size == 2048
    expired = test_ca.issue(["b.lab"], expired=True)
    assert expired.cert.not_valid_after_utc < expired.cert.not_valid_before_utc.replace(year=2100)
    hostile = self_signed(["c.lab"], subject_cn="<b>x</b>\x1b[31m\x07")
    cn = hostile.cert.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)[0].value
    assert "\x1b" in cn and "<b>" in cn
    big = test_ca.issue(many_sans(1000))
    assert len(big.cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value) == 1000


def test_pki_sha1_when_openssl_allows(test_ca):
    if not TestCA.can_sign("sha1"):
        pytest.skip("local openssl cannot sign with SHA-1: SHA-1 case not tested")
    leaf = test_ca.issue(["sha1.lab"], hash="sha1")
    assert leaf.cert.signature_hash_algorithm.name == "sha1"
    assert leaf.cert.issuer == test_ca.intermediate.subject


def test_nginx_vhosts_tls_and_http(test_ca, ca_bundle, nginx_lab, tmp_path):
    good, legacy, plain = lab_address("tls"), lab_address("tls"), lab_address("tls")
    f1 = test_ca.issue(["good.lab"]).write(tmp_path / "good")
    f2 = test_ca.issue(["old.lab"], key="rsa").write(tmp_path / "old")
    lab = nginx_lab()
    lab.add_vhost("good.lab", good, cert=f1.fullchain, key=f1.key, headers={"X-Test": "1"})
    lab.add_vhost("old.lab", legacy, cert=f2.cert, key=f2.key, chain=f2.chain, protocols="TLSv1 TLSv1.1 TLSv1.2",
                  ciphers="AES128-SHA:@SECLEVEL=0")
    lab.add_vhost("plain.lab", plain)
    lab.start()
    version, _, _ = _handshake(good, "good.lab", ca_bundle)
    assert version == "TLSv1.3"
    with pytest.raises(ssl.SSLError):
        _handshake(good, "good.lab", verify=False, version=ssl.TLSVersion.TLSv1_1, ciphers="ALL:@SECLEVEL=0")
    version, cipher, _ = _handshake(legacy, "old.lab", ca_bundle, verify=False, version=ssl.TLSVersion.TLSv1,
                                    ciphers="ALL:@SECLEVEL=0")
    assert (version, cipher) == ("TLSv1", "AES128-SHA")
    with socket.create_connection((plain, 80), timeout=5) as s:
        s.sendall(b"GET / HTTP/1.0\r\nHost: plain.lab\r\n\r\n")
        assert s.recv(100).startswith(b"HTTP/1.1 200")
    with socket.create_connection((good, 80), timeout=5) as s:
        s.sendall(b"GET /x HTTP/1.0\r\nHost: good.lab\r\n\r\n")
        head = s.recv(1000)
        assert head.startswith(b"HTTP/1.1 301") and b"Location: https://good.lab/x" in head
    with pytest.raises(OSError):
        socket.create_connection((plain, 443), timeout=2).close()
