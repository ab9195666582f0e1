"""RFC 8301: a DKIM key restricted to SHA-1 (h=sha1) is flagged; sha256 or no h= tag is fine."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cyberaudit.checks.mail import judge_dkim
from cyberaudit.model import Status
from cyberaudit.probes.mailsec.dkim import key_info

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
P = base64.b64encode(KEY.public_bytes(serialization.Encoding.DER,
                                      serialization.PublicFormat.SubjectPublicKeyInfo)).decode()


def _judge(record: str):
    return judge_dkim("mairie.lab", {"status": "ok", "selectors": {"default": key_info(record)}})


def test_sha1_only_key_is_a_warning():
    info = key_info(f"v=DKIM1; k=rsa; h=sha1; p={P}")
    assert info["sha1_only"] and info["bits"] == 2048
    f = _judge(f"v=DKIM1; k=rsa; h=sha1; p={P}")
    assert f.status is Status.WARN and "SHA-1" in f.detail.fr


def test_sha256_or_no_restriction_passes():
    for record in (f"v=DKIM1; k=rsa; p={P}", f"v=DKIM1; k=rsa; h=sha1:sha256; p={P}", f"v=DKIM1; h=SHA256; p={P}"):
        assert not key_info(record)["sha1_only"]
        assert _judge(record).status is Status.PASS, record
