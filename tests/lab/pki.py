"""A throw-away test PKI, generated at run time with `cryptography` (loopback lab only).

    from tests.lab.pki import TestCA

    ca = TestCA()                                   # root + intermediate (EC P-256, SHA-256)
    leaf = ca.issue(["ville.lab", "www.ville.lab"])  # leaf signed by the intermediate
    files = leaf.write(tmp_path / "ville")         # cert.pem (leaf), fullchain.pem (leaf+intermediate),
                                                    # key.pem, chain.pem (intermediate only)
    bundle = ca.write_bundle(tmp_path / "ca.pem")   # root only: pass to `cyberaudit scan --ca-bundle`

Options of `issue(names, ...)`:
  * `days=90` validity from now, or `expired=True`, or `expires_in_days=N` (not_after = now + N days),
    or `valid=(not_before, not_after)` (fixed aware datetimes, e.g. around a recorded demo date);
  * `key="ec"|"rsa"`, `key_size` (RSA bits, or EC curve bits 256/384/521; RSA 1024 allowed for weak-key tests);
  * `hash="sha256"|"sha384"|"sha1"|"md5"`: SHA-1/MD5 are signed by the `openssl` CLI because `cryptography`
    refuses them; `TestCA.can_sign(hash)` says whether this host can, tests skip clearly when it cannot;
  * `subject_cn=` any string (hostile: control characters, HTML), `ip_addresses=[...]`,
  * `issuer="intermediate"|"root"`, `ocsp_url=`/`crl_url=` (AIA OCSP responder, CRL distribution point).
`ca.crl([cert, ...])` (DER CRL of the intermediate), `ca.ocsp_response(cert, revoked=True)` (DER, to staple),
`ca.write_intermediate(folder)` (cert and key PEM, for an `openssl ocsp` responder).
`self_signed(names, ...)` makes a standalone self-signed leaf. `many_sans(n)` gives n SAN names.
Keys are cached per (type, size) within a process: generating RSA keys is the slow part.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_CURVES = {256: ec.SECP256R1, 384: ec.SECP384R1, 521: ec.SECP521R1}
_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


@cache
def _cached_key(kind: str, size: int, slot: int):
    return _new_key(kind, size)


def _new_key(kind: str, size: int):
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=size)
    return ec.generate_private_key(_CURVES[size]())


def make_key(kind: str = "ec", size: int | None = None, *, fresh: bool = False, slot: int = 0):
    size = size or (2048 if kind == "rsa" else 256)
    return _new_key(kind, size) if fresh else _cached_key(kind, size, slot)


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def many_sans(n: int, base: str = "san.lab") -> list[str]:
    return [f"h{i}.{base}" for i in range(n)]


@dataclass
class LeafFiles:
    cert: Path  # leaf only
    fullchain: Path  # leaf + intermediate (what a server should send)
    key: Path
    chain: Path  # intermediates only (may be empty)


@dataclass
class Leaf:
    cert: x509.Certificate
    key: object
    intermediates: list[x509.Certificate] = field(default_factory=list)

    def write(self, folder: Path) -> LeafFiles:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        files = LeafFiles(folder / "cert.pem", folder / "fullchain.pem", folder / "key.pem", folder / "chain.pem")
        files.cert.write_bytes(_pem(self.cert))
        files.chain.write_bytes(b"".join(_pem(c) for c in self.intermediates))
        files.fullchain.write_bytes(_pem(self.cert) + files.chain.read_bytes())
        files.key.write_bytes(_key_pem(self.key))
        files.key.chmod(0o600)
        return files


def _name(cn: str, org: str = "Cyberaudit Lab") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _ski(pub) -> x509.SubjectKeyIdentifier:
    return x509.SubjectKeyIdentifier.from_public_key(pub)


class TestCA:
    """Root and intermediate CA for one test session (no file is written until asked)."""

    __test__ = False  # not a pytest test class

    def __init__(self, name: str = "Cyberaudit Test", *, key: str = "ec") -> None:
        now = dt.datetime.now(dt.UTC)
        self.root_key = make_key(key, fresh=True)
        root_name = _name(f"{name} Root CA")
        self.root = (
            x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
            .public_key(self.root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1500)).not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(_ski(self.root_key.public_key()), critical=False)
            .sign(self.root_key, hashes.SHA256())
        )
        self.inter_key = make_key(key, fresh=True)
        inter_name = _name(f"{name} Intermediate CA")
        self.intermediate = (
            x509.CertificateBuilder().subject_name(inter_name).issuer_name(root_name)
            .public_key(self.inter_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1400)).not_valid_after(now + dt.timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(_ski(self.inter_key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.root_key.public_key()),
                           critical=False)
            .sign(self.root_key, hashes.SHA256())
        )

    # ------------------------------------------------------------------ files
    def write_bundle(self, path: Path) -> Path:
        """PEM bundle with the root only (what `--ca-bundle` takes)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_pem(self.root))
        return path

    def write_intermediate(self, folder: Path) -> tuple[Path, Path]:
        """(certificate, key) PEM files of the intermediate (an `openssl ocsp` responder signs with them)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "inter.pem").write_bytes(_pem(self.intermediate))
        (folder / "inter.key").write_bytes(_key_pem(self.inter_key))
        return folder / "inter.pem", folder / "inter.key"

    def crl(self, revoked: list[x509.Certificate], *, days: int = 7) -> bytes:
        """A DER CRL of the intermediate listing `revoked` (reason keyCompromise)."""
        now = dt.datetime.now(dt.UTC)
        builder = (x509.CertificateRevocationListBuilder().issuer_name(self.intermediate.subject)
                   .last_update(now - dt.timedelta(hours=1)).next_update(now + dt.timedelta(days=days)))
        for cert in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(cert.serial_number)
                .revocation_date(now - dt.timedelta(minutes=30))
                .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False).build())
        return builder.sign(self.inter_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def ocsp_response(self, cert: x509.Certificate, *, revoked: bool) -> bytes:
        """A DER OCSP response for `cert`, signed by the intermediate (to staple with nginx)."""
        from cryptography.x509 import ocsp

        now = dt.datetime.now(dt.UTC)
        status = ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD
        builder = ocsp.OCSPResponseBuilder().add_response(
            cert, self.intermediate, hashes.SHA1(), status, now - dt.timedelta(hours=1),
            now + dt.timedelta(days=1), now - dt.timedelta(minutes=30) if revoked else None,
            x509.ReasonFlags.key_compromise if revoked else None,
        ).responder_id(ocsp.OCSPResponderEncoding.HASH, self.intermediate)
        return builder.sign(self.inter_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    @staticmethod
    def can_sign(hash_name: str) -> bool:
        return hash_name in _HASHES or (hash_name in ("sha1", "md5") and _openssl_can_sign(hash_name))

    # ------------------------------------------------------------------ leaves
    def issue(self, names: list[str], *, days: int = 90, expired: bool = False, expires_in_days: float | None = None,
              key: str = "ec", key_size: int | None = None, hash: str = "sha256", subject_cn: str | None = None,
              ip_addresses: list[str] = (), issuer: str = "intermediate", ocsp_url: str | None = None,
              crl_url: str | None = None, valid: tuple[dt.datetime, dt.datetime] | None = None) -> Leaf:
        ca_cert, ca_key = (self.intermediate, self.inter_key) if issuer == "intermediate" else (self.root, self.root_key)
        leaf_key = make_key(key, key_size)
        builder = _leaf_builder(names, leaf_key, ca_cert.subject, days=days, expired=expired,
                                expires_in_days=expires_in_days, subject_cn=subject_cn, ip_addresses=ip_addresses,
                                valid=valid)
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        access = [x509.AccessDescription(x509.oid.AuthorityInformationAccessOID.CA_ISSUERS,
                                         x509.UniformResourceIdentifier("http://pki.invalid/intermediate.crt"))]
        if ocsp_url:
            access.append(x509.AccessDescription(x509.oid.AuthorityInformationAccessOID.OCSP,
                                                 x509.UniformResourceIdentifier(ocsp_url)))
        builder = builder.add_extension(x509.AuthorityInformationAccess(access), critical=False)
        if crl_url:
            builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                [x509.UniformResourceIdentifier(crl_url)], None, None, None)]), critical=False)
        cert = _sign(builder, ca_key, hash, ca_cert, leaf_key)
        inters = [self.intermediate] if issuer == "intermediate" else []
        return Leaf(cert, leaf_key, inters)


def self_signed(names: list[str], *, days: int = 90, key: str = "ec", key_size: int | None = None,
                hash: str = "sha256", subject_cn: str | None = None, expired: bool = False) -> Leaf:
    leaf_key = make_key(key, key_size, slot=1)
    cn = subject_cn if subject_cn is not None else (names[0] if names else "self-signed")
    builder = _leaf_builder(names, leaf_key, _name(cn), days=days, expired=expired, subject_cn=subject_cn)
    return Leaf(_sign(builder, leaf_key, hash, None, leaf_key), leaf_key, [])


def _leaf_builder(names, leaf_key, issuer_name, *, days, expired, subject_cn, ip_addresses=(),
                  expires_in_days=None, valid=None) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    if valid is not None:
        not_before, not_after = valid
    elif expired:
        not_before, not_after = now - dt.timedelta(days=days + 10), now - dt.timedelta(days=10)
    elif expires_in_days is not None:
        not_before, not_after = now - dt.timedelta(days=30), now + dt.timedelta(days=expires_in_days)
    else:
        not_before, not_after = now - dt.timedelta(hours=1), now + dt.timedelta(days=days)
    cn = subject_cn if subject_cn is not None else (names[0] if names else "lab")
    sans: list[x509.GeneralName] = [x509.DNSName(n) for n in names]
    sans += [x509.IPAddress(ipaddress.ip_address(a)) for a in ip_addresses]
    builder = (
        x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(issuer_name)
        .public_key(leaf_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, isinstance(leaf_key, rsa.RSAPrivateKey), False, False, False, False, False,
                                     False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(_ski(leaf_key.public_key()), critical=False)
    )
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    return builder


def _sign(builder: x509.CertificateBuilder, ca_key, hash_name: str, ca_cert, leaf_key=None) -> x509.Certificate:
    if hash_name in _HASHES:
        return builder.sign(ca_key, _HASHES[hash_name]())
    if hash_name not in ("sha1", "md5"):
        raise ValueError(f"unknown hash {hash_name}")
    # cryptography refuses SHA-1/MD5: sign with SHA-256, then have the openssl CLI re-sign it.
    # cryptography refuses SHA-1/MD5: sign a SHA-256 draft, turn it into a CSR carrying the same subject and
    # extensions, and have the openssl CLI issue it with the weak hash.
    draft = builder.sign(ca_key, hashes.SHA256())
    csr = x509.CertificateSigningRequestBuilder().subject_name(draft.subject)
    for ext in draft.extensions:
        csr = csr.add_extension(ext.value, critical=ext.critical)
    return _openssl_resign(draft, csr.sign(leaf_key, hashes.SHA256()), ca_key, ca_cert, hash_name)


def _openssl_resign(draft: x509.Certificate, csr, ca_key, ca_cert, hash_name: str) -> x509.Certificate:
    openssl = shutil.which("openssl")
    if not openssl:
        raise RuntimeError("openssl CLI not found: cannot sign with " + hash_name)
    days = max(1, (draft.not_valid_after_utc - dt.datetime.now(dt.UTC)).days)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "in.pem").write_bytes(csr.public_bytes(serialization.Encoding.PEM))
        (d / "cakey.pem").write_bytes(_key_pem(ca_key))
        args = [openssl, "x509", "-req", "-copy_extensions", "copyall", "-in", str(d / "in.pem"), "-out", str(d / "out.pem"), f"-{hash_name}",
                "-days", str(days)]
        if ca_cert is None:
            args += ["-signkey", str(d / "cakey.pem")]
        else:
            (d / "ca.pem").write_bytes(_pem(ca_cert))
            args += ["-CA", str(d / "ca.pem"), "-CAkey", str(d / "cakey.pem"), "-set_serial",
                     str(draft.serial_number)]
        res = subprocess.run(args, capture_output=True, timeout=30)
        if res.returncode != 0:
            raise RuntimeError(f"openssl refused to sign with {hash_name}: {res.stderr.decode(errors='replace')}")
        return x509.load_pem_x509_certificate((d / "out.pem").read_bytes())


@cache
def _openssl_can_sign(hash_name: str) -> bool:
    try:
        leaf = self_signed(["probe.lab"], hash=hash_name)
    except Exception:
        return False
    return leaf.cert.signature_hash_algorithm is not None and leaf.cert.signature_hash_algorithm.name == hash_name
