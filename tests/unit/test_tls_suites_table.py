"""The cipher-suite table agrees with the local OpenSSL on every suite OpenSSL knows."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from cyberaudit.probes.tlsscan.suites import SUITES


def test_code_points_are_unique():
    codes = [c for c, _, _ in SUITES]
    assert len(codes) == len(set(codes))


def test_table_matches_openssl():
    if not shutil.which("openssl"):
        pytest.skip("openssl command not installed")
    out = subprocess.run(["openssl", "ciphers", "-V", "-stdname", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"],
                         capture_output=True, text=True, check=True).stdout
    table = {code: (iana, ossl) for code, iana, ossl in SUITES}
    checked = 0
    for line in out.splitlines():
        parts = line.split()
        hi, lo = parts[0].split(",")
        code = (int(hi, 16) << 8) | int(lo, 16)
        assert code in table, f"{parts[0]} {parts[2]} missing from the table"
        assert table[code] == (parts[2], parts[4])
        checked += 1
    assert checked > 50
